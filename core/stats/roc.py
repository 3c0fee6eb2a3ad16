"""ROC curve, AUC with DeLong CI, paired DeLong test and Youden threshold, as R's pROC."""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import norm

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._delong import auc_variance, difference_variance, placements
from remarkit.stats._eval_inputs import (
    Direction,
    as_binary,
    as_scores,
    check_direction,
    check_level,
    split_classes,
)
from remarkit.stats._roc_points import roc_points, warn_if_constant

__all__ = [
    "AucResult",
    "DelongTestResult",
    "RocCurveResult",
    "YoudenResult",
    "auc_ci",
    "delong_test",
    "roc_curve",
    "youden_threshold",
]

_DIRECTION_DOC = "'<': controls < cases, a case is positive if score >= threshold; '>' the reverse"


class RocCurveResult(StatResult):
    """ROC curve at pROC's thresholds."""

    kind: Literal["roc_curve"] = Field("roc_curve", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per threshold in pROC's order: threshold, sensitivity, specificity, "
        "tp, fp, tn, fn."
    )
    n_cases: int = Field(description="Number of cases (y = 1).")
    n_controls: int = Field(description="Number of controls (y = 0).")
    direction: Direction = Field(description=_DIRECTION_DOC)


class AucResult(StatResult):
    """AUC with its DeLong confidence interval."""

    kind: Literal["auc"] = Field("auc", description="Result type tag.")
    auc: float = Field(description="Area under the ROC curve (Mann-Whitney, ties count 1/2).")
    lower: float = Field(description="Lower DeLong confidence bound, clipped to [0, 1].")
    upper: float = Field(description="Upper DeLong confidence bound, clipped to [0, 1].")
    se: float = Field(description="DeLong standard error of the AUC.")
    level: float = Field(description="Confidence level of the interval.")
    n_cases: int = Field(description="Number of cases (y = 1).")
    n_controls: int = Field(description="Number of controls (y = 0).")
    direction: Direction = Field(description=_DIRECTION_DOC)


class DelongTestResult(StatResult):
    """Paired DeLong test of two AUCs on the same subjects."""

    kind: Literal["delong_test"] = Field("delong_test", description="Result type tag.")
    auc_a: float = Field(description="AUC of score_a.")
    auc_b: float = Field(description="AUC of score_b.")
    difference: float = Field(description="auc_a - auc_b.")
    lower: float = Field(description="Lower confidence bound of the difference (not clipped).")
    upper: float = Field(description="Upper confidence bound of the difference (not clipped).")
    se: float = Field(description="DeLong standard error of the difference, sqrt(L S L').")
    z: float = Field(description="Z statistic, difference / se (0 when both are 0, as pROC).")
    p_value: float = Field(description="Two-sided p-value of Z.")
    level: float = Field(description="Confidence level of the interval.")
    n_cases: int = Field(description="Number of cases (y = 1).")
    n_controls: int = Field(description="Number of controls (y = 0).")
    direction: Direction = Field(description=_DIRECTION_DOC)


class YoudenResult(StatResult):
    """Threshold maximising Youden's J = sensitivity + specificity - 1."""

    kind: Literal["youden"] = Field("youden", description="Result type tag.")
    threshold: float = Field(
        description="Chosen optimum: of tied optima, the one with the highest sensitivity "
        "(the first row pROC's coords(best.method='youden') returns)."
    )
    tied_thresholds: list[float] = Field(
        description="Every threshold attaining the maximum, in pROC's order (specificity "
        "increasing); the chosen threshold is the first."
    )
    optima: pd.DataFrame = Field(
        description="The tied optima: threshold, sensitivity, specificity, youden, tp, fp, tn, fn."
    )
    youden: float = Field(description="Youden's J at the optimum.")
    sensitivity: float = Field(description="Sensitivity at the chosen threshold.")
    specificity: float = Field(description="Specificity at the chosen threshold.")
    tp: int = Field(description="True positives at the chosen threshold.")
    fp: int = Field(description="False positives at the chosen threshold.")
    tn: int = Field(description="True negatives at the chosen threshold.")
    fn: int = Field(description="False negatives at the chosen threshold.")
    direction: Direction = Field(description=_DIRECTION_DOC)


def _prepare(
    y: Any, score: Any, direction: str, name: str = "score"
) -> tuple[np.ndarray, np.ndarray, Direction]:
    yy = as_binary(y)
    ss = as_scores(score, yy.size, name)
    dirn = check_direction(direction)
    cases, controls = split_classes(yy, ss)
    warn_if_constant(ss, name)
    return cases, controls, dirn


def _oriented(cases: np.ndarray, controls: np.ndarray, direction: Direction) -> tuple[Any, Any]:
    return (cases, controls) if direction == "<" else (-cases, -controls)


def roc_curve(y: Any, score: Any, *, direction: str = "<") -> RocCurveResult:
    """Sensitivity and specificity at every threshold, as ``pROC::roc(y, score, direction=,
    levels=c(0, 1))`` (``$thresholds``, ``$sensitivities``, ``$specificities``)."""
    cases, controls, dirn = _prepare(y, score, direction)
    pts = roc_points(cases, controls, dirn)
    table = pd.DataFrame(
        {
            "threshold": pts.thresholds,
            "sensitivity": pts.sensitivity,
            "specificity": pts.specificity,
            "tp": pts.tp,
            "fp": pts.fp,
            "tn": pts.tn,
            "fn": pts.fn,
        }
    )
    return RocCurveResult(
        table=table, n_cases=pts.n_cases, n_controls=pts.n_controls, direction=dirn
    )


def auc_ci(y: Any, score: Any, *, direction: str = "<", level: float = 0.95) -> AucResult:
    """AUC with DeLong CI, as pROC ``auc(roc)`` and ``ci.auc(roc, method="delong")``.

    The variance uses the O(n log n) midrank placement algorithm; with fewer than two cases or
    controls the interval is undefined (NaN, with a RemarkitWarning), as pROC returns NA.
    """
    lev = check_level(level)
    cases, controls, dirn = _prepare(y, score, direction)
    pl = placements(*_oriented(cases, controls, dirn))
    var = auc_variance(pl)
    if math.isnan(var):
        warnings.warn(
            "too few observations for DeLong: the AUC CI needs at least two cases and two "
            f"controls (got {cases.size} and {controls.size}); CI set to NaN",
            RemarkitWarning,
            stacklevel=2,
        )
    se = math.sqrt(max(var, 0.0)) if not math.isnan(var) else math.nan
    # qnorm(c(alpha/2, 1 - alpha/2), mean = auc, sd = se) as pROC, then clipped to [0, 1]
    alpha = 1.0 - lev
    bounds = np.asarray(norm.ppf([alpha / 2.0, 1.0 - alpha / 2.0]), dtype=np.float64)
    lo, hi = (pl.auc + se * bounds).tolist() if se > 0 else (pl.auc, pl.auc)
    if math.isnan(se):
        lo = hi = math.nan
    return AucResult(
        auc=pl.auc,
        lower=float(np.clip(lo, 0.0, 1.0)),
        upper=float(np.clip(hi, 0.0, 1.0)),
        se=se,
        level=lev,
        n_cases=int(cases.size),
        n_controls=int(controls.size),
        direction=dirn,
    )


def delong_test(
    y: Any, score_a: Any, score_b: Any, *, level: float = 0.95, direction: str = "<"
) -> DelongTestResult:
    """Paired DeLong test, as pROC ``roc.test(roc_a, roc_b, method="delong", paired=TRUE)``.

    Both ROC curves use the same ``direction``. Z = (auc_a - auc_b) / sqrt(L S L'), two-sided p,
    and the Wald CI of the difference at ``level``.
    """
    lev = check_level(level)
    yy = as_binary(y)
    sa = as_scores(score_a, yy.size, "score_a")
    sb = as_scores(score_b, yy.size, "score_b")
    dirn = check_direction(direction)
    cases_a, controls_a = split_classes(yy, sa)
    cases_b, controls_b = split_classes(yy, sb)
    if cases_a.size < 2 or controls_a.size < 2:
        raise StatisticsError(
            "DeLong's test needs at least two cases and two controls "
            f"(got {cases_a.size} and {controls_a.size})"
        )
    warn_if_constant(sa, "score_a")
    warn_if_constant(sb, "score_b")
    pa = placements(*_oriented(cases_a, controls_a, dirn))
    pb = placements(*_oriented(cases_b, controls_b, dirn))
    diff = pa.auc - pb.auc
    sig = math.sqrt(max(difference_variance(pa, pb), 0.0))
    if sig == 0.0:
        warnings.warn(
            "degenerate DeLong test: the difference has zero variance (the scores rank every "
            "case-control pair alike)",
            RemarkitWarning,
            stacklevel=2,
        )
        z = 0.0 if diff == 0.0 else math.copysign(math.inf, diff)
    else:
        z = diff / sig
    crit = float(norm.ppf(1.0 - (1.0 - lev) / 2.0))
    return DelongTestResult(
        auc_a=pa.auc,
        auc_b=pb.auc,
        difference=diff,
        lower=diff - crit * sig,
        upper=diff + crit * sig,
        se=sig,
        z=z,
        p_value=float(2.0 * norm.cdf(-abs(z))),
        level=lev,
        n_cases=int(cases_a.size),
        n_controls=int(controls_a.size),
        direction=dirn,
    )


def youden_threshold(y: Any, score: Any, *, direction: str = "<") -> YoudenResult:
    """Youden-optimal threshold, as pROC ``coords(roc, "best", best.method="youden")``.

    Maximises ``se + sp`` over pROC's thresholds with pROC's exact-equality tie rule; every tied
    optimum is reported, and the chosen one is the first (highest sensitivity).
    """
    cases, controls, dirn = _prepare(y, score, direction)
    pts = roc_points(cases, controls, dirn)
    se = pts.sensitivity
    sp = pts.specificity
    crit = se + sp
    best = np.flatnonzero(crit == crit.max())
    optima = pd.DataFrame(
        {
            "threshold": pts.thresholds[best],
            "sensitivity": se[best],
            "specificity": sp[best],
            "youden": crit[best] - 1.0,
            "tp": pts.tp[best],
            "fp": pts.fp[best],
            "tn": pts.tn[best],
            "fn": pts.fn[best],
        }
    )
    k = int(best[0])
    return YoudenResult(
        threshold=float(pts.thresholds[k]),
        tied_thresholds=[float(t) for t in pts.thresholds[best]],
        optima=optima,
        youden=float(crit[k] - 1.0),
        sensitivity=float(se[k]),
        specificity=float(sp[k]),
        tp=int(pts.tp[k]),
        fp=int(pts.fp[k]),
        tn=int(pts.tn[k]),
        fn=int(pts.fn[k]),
        direction=dirn,
    )
