"""One score on one set of patients: AUC with DeLong CI and the 2x2 metrics at a frozen threshold.

Used for the training and test sets and for every subgroup, so all rows of the performance table
come from the same code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from pydantic import Field

from remarkit.plugins.evaluators._common import Proportion, Row, add_warning, finite, stat
from remarkit.plugins.evaluators._threshold import one_class_warning, predict

if TYPE_CHECKING:
    from remarkit.stats import Proportion as StatProportion


class SetPerformance(Row):
    """Discrimination and diagnostic accuracy of a score on one set of patients."""

    n: int = Field(description="Patients analysed")
    n_cases: int = Field(description="Patients with the outcome")
    n_controls: int = Field(description="Patients without the outcome")
    auc: float = Field(description="AUC (Mann-Whitney, ties 1/2), pROC auc()")
    auc_lower: float | None = Field(description="Lower DeLong bound (None if undefined)")
    auc_upper: float | None = Field(description="Upper DeLong bound (None if undefined)")
    auc_se: float | None = Field(description="DeLong standard error")
    threshold: float = Field(description="Threshold applied (fixed on the training set)")
    tp: int = Field(description="True positives")
    fp: int = Field(description="False positives")
    tn: int = Field(description="True negatives")
    fn: int = Field(description="False negatives")
    sensitivity: Proportion = Field(description="TP / (TP + FN)")
    specificity: Proportion = Field(description="TN / (TN + FP)")
    ppv: Proportion = Field(description="TP / (TP + FP)")
    npv: Proportion = Field(description="TN / (TN + FN)")
    accuracy: Proportion = Field(description="(TP + TN) / n")


def _proportion(p: StatProportion) -> Proportion:
    return Proportion(
        estimate=finite(p.estimate),
        lower=finite(p.lower),
        upper=finite(p.upper),
        successes=p.successes,
        total=p.total,
    )


def evaluate_set(
    y: npt.NDArray[np.int64],
    score: npt.NDArray[np.float64],
    *,
    threshold: float,
    direction: str,
    level: float,
    sink: list[str],
    prefix: str,
) -> SetPerformance:
    """AUC + DeLong CI (``auc_ci``) and metrics with Clopper-Pearson CIs (``diagnostic_metrics``)."""
    from remarkit.stats import auc_ci, diagnostic_metrics

    proc = "<" if direction == "higher" else ">"
    auc = stat(sink, prefix, auc_ci, y, score, direction=proc, level=level)
    pred = predict(score, threshold, direction)
    note = one_class_warning(score, threshold, direction, prefix)
    if note is not None:
        add_warning(sink, note)
    metrics = stat(sink, prefix, diagnostic_metrics, y, pred, level=level)
    return SetPerformance(
        n=int(y.size),
        n_cases=auc.n_cases,
        n_controls=auc.n_controls,
        auc=auc.auc,
        auc_lower=finite(auc.lower),
        auc_upper=finite(auc.upper),
        auc_se=finite(auc.se),
        threshold=threshold,
        tp=metrics.tp,
        fp=metrics.fp,
        tn=metrics.tn,
        fn=metrics.fn,
        sensitivity=_proportion(metrics.sensitivity),
        specificity=_proportion(metrics.specificity),
        ppv=_proportion(metrics.ppv),
        npv=_proportion(metrics.npv),
        accuracy=_proportion(metrics.accuracy),
    )


def operating_point(perf: SetPerformance) -> tuple[float, float] | None:
    """(1 - specificity, sensitivity) at the frozen threshold, for the ROC figure."""
    se, sp = perf.sensitivity.estimate, perf.specificity.estimate
    return None if se is None or sp is None else (1.0 - sp, se)


def roc_coordinates(
    y: npt.NDArray[np.int64],
    score: npt.NDArray[np.float64],
    direction: str,
    sink: list[str],
    prefix: str,
) -> tuple[list[float], list[float]]:
    """(1 - specificity, sensitivity) at pROC's thresholds, for plotting."""
    from remarkit.stats import roc_curve

    proc = "<" if direction == "higher" else ">"
    table = stat(sink, prefix, roc_curve, y, score, direction=proc).table
    return (
        (1.0 - table["specificity"]).tolist(),
        table["sensitivity"].astype(float).tolist(),
    )
