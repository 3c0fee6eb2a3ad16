"""Decision curve analysis: net benefit of a risk model, treat-all and treat-none.

Net benefit at threshold probability ``pt`` is ``TP/n - FP/n * pt / (1 - pt)``, where a subject
is treated when its predicted risk is ``>= pt``; computed as R's ``dcurves::dca`` does for a
binary outcome (``tp_rate = mean(p[y == 1] >= pt) * prevalence``, likewise ``fp_rate``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._surv_input import FloatArray, IntArray, as_binary, as_vector

__all__ = [
    "DEFAULT_THRESHOLDS",
    "DecisionCurveResult",
    "NetBenefitResult",
    "decision_curve",
    "net_benefit",
]

DEFAULT_THRESHOLDS: FloatArray = np.arange(1, 100) / 100.0
"""0.01, 0.02, ..., 0.99 (dcurves' default grid)."""


class NetBenefitResult(StatResult):
    """Net benefit of treating by a risk model at each threshold probability."""

    kind: Literal["net_benefit"] = Field("net_benefit", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per threshold (as given): threshold, tp_rate (TP/n), fp_rate "
        "(FP/n), net_benefit."
    )
    n: int = Field(description="Number of subjects.")
    prevalence: float = Field(description="Share of subjects with the outcome (y = 1).")


class DecisionCurveResult(StatResult):
    """Decision curve: net benefit of the model, of treating all and of treating none."""

    kind: Literal["decision_curve"] = Field("decision_curve", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per threshold: threshold, net_benefit (model), net_benefit_all, "
        "net_benefit_none (0), tp_rate, fp_rate, interventions_avoided (net reduction in "
        "interventions per 100 subjects versus treat-all, (NB - NB_all) / (pt / (1 - pt)) * "
        "100; NaN at pt = 0)."
    )
    n: int = Field(description="Number of subjects.")
    events: int = Field(description="Number of subjects with the outcome.")
    prevalence: float = Field(description="Share of subjects with the outcome (y = 1).")


def _inputs(y: Any, p: Any, thresholds: Any) -> tuple[IntArray, FloatArray, FloatArray]:
    yy = as_binary(y, "y")
    pp = as_vector(p, "p")
    if pp.size != yy.size:
        raise StatisticsError(f"p has length {pp.size} but y has length {yy.size}")
    bad = ~np.isfinite(pp)
    if bad.any():
        raise StatisticsError(f"p contains {int(bad.sum())} missing or infinite value(s)")
    if ((pp < 0) | (pp > 1)).any():
        raise StatisticsError("p must be predicted risks between 0 and 1")
    if yy.min() == yy.max():
        raise StatisticsError("y has a single class; net benefit needs both outcomes")
    pt = as_vector(thresholds, "thresholds")
    if (~np.isfinite(pt)).any() or ((pt < 0) | (pt >= 1)).any():
        raise StatisticsError("thresholds must lie in [0, 1)")
    return yy, pp, pt


def _rates(y: IntArray, p: FloatArray, pt: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    prevalence = float(np.mean(y))
    cases = np.sort(p[y == 1])
    controls = np.sort(p[y == 0])
    # share of cases / controls with p >= pt, times the class share (dcurves' arithmetic)
    tp = (cases.size - np.searchsorted(cases, pt, side="left")) / cases.size * prevalence
    fp = (controls.size - np.searchsorted(controls, pt, side="left")) / controls.size
    return tp, fp * (1.0 - prevalence), prevalence


def net_benefit(y: Any, p: Any, thresholds: Any) -> NetBenefitResult:
    """Net benefit of a risk model at ``thresholds``, as ``dcurves::dca`` (treat if p >= pt)."""
    yy, pp, pt = _inputs(y, p, thresholds)
    tp, fp, prevalence = _rates(yy, pp, pt)
    table = pd.DataFrame(
        {"threshold": pt, "tp_rate": tp, "fp_rate": fp, "net_benefit": tp - pt / (1 - pt) * fp}
    )
    return NetBenefitResult(table=table, n=int(yy.size), prevalence=prevalence)


def decision_curve(y: Any, p: Any, *, thresholds: Any = None) -> DecisionCurveResult:
    """Decision curve of a risk model against treat-all and treat-none, as ``dcurves::dca``.

    ``thresholds`` defaults to 0.01, 0.02, ..., 0.99.
    """
    grid = DEFAULT_THRESHOLDS if thresholds is None else thresholds
    yy, pp, pt = _inputs(y, p, grid)
    tp, fp, prev = _rates(yy, pp, pt)
    odds = pt / (1 - pt)
    nb_model = tp - odds * fp
    nb_all = prev - odds * (1 - prev)
    with np.errstate(divide="ignore", invalid="ignore"):
        avoided = np.where(pt > 0, (nb_model - nb_all) / odds * 100, np.nan)
    table = pd.DataFrame(
        {
            "threshold": pt,
            "net_benefit": nb_model,
            "net_benefit_all": nb_all,
            "net_benefit_none": np.zeros(pt.size),
            "tp_rate": tp,
            "fp_rate": fp,
            "interventions_avoided": avoided,
        }
    )
    return DecisionCurveResult(table=table, n=int(yy.size), events=int(yy.sum()), prevalence=prev)
