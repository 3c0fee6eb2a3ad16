"""pROC's ROC thresholds and the confusion counts at each of them."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from remarkit.errors import RemarkitWarning
from remarkit.stats._eval_inputs import Direction, FloatArray, IntArray


@dataclass(frozen=True)
class RocPoints:
    """Thresholds in pROC's order with the 2x2 counts at each (a case is positive per direction)."""

    thresholds: FloatArray
    tp: IntArray
    fp: IntArray
    tn: IntArray
    fn: IntArray
    n_cases: int
    n_controls: int

    @property
    def sensitivity(self) -> FloatArray:
        """``tp / n_cases`` at each threshold (the same division pROC performs)."""
        return self.tp / self.n_cases

    @property
    def specificity(self) -> FloatArray:
        """``tn / n_controls`` at each threshold."""
        return self.tn / self.n_controls


def proc_thresholds(predictor: FloatArray, direction: Direction) -> FloatArray:
    """Ascending thresholds as ``pROC:::roc.utils.thresholds``.

    Midpoints of consecutive sorted unique values with -inf and +inf at the ends; a midpoint that
    rounds onto a data value (adjacent doubles) is moved to the value on the positive side, so
    the threshold still separates the two values under the ``x >= t`` (``<``) or ``x <= t``
    (``>``) rule.
    """
    unique = np.unique(predictor)
    lower = np.concatenate(([-np.inf], unique))
    upper = np.concatenate((unique, [np.inf]))
    with np.errstate(over="ignore"):
        halfsum = (lower + upper) / 2.0
    halves = lower / 2.0 + upper / 2.0
    thresholds = np.where(np.abs(halfsum) > 1e100, halves, halfsum)
    tied = np.isin(thresholds, predictor)
    if direction == "<":
        move = tied & (thresholds == lower)
        thresholds[move] = upper[move]
    else:
        move = tied & (thresholds != lower) & (thresholds == upper)
        thresholds[move] = lower[move]
    return thresholds


def roc_points(cases: FloatArray, controls: FloatArray, direction: Direction) -> RocPoints:
    """Counts at every pROC threshold, ordered as pROC's ``roc`` object (specificity increasing)."""
    thresholds = proc_thresholds(np.concatenate((controls, cases)), direction)
    cases_sorted = np.sort(cases)
    controls_sorted = np.sort(controls)
    m = cases.size
    n = controls.size
    if direction == "<":
        tp = m - np.searchsorted(cases_sorted, thresholds, side="left")
        tn = np.searchsorted(controls_sorted, thresholds, side="left")
    else:
        thresholds = thresholds[::-1].copy()
        tp = np.searchsorted(cases_sorted, thresholds, side="right")
        tn = n - np.searchsorted(controls_sorted, thresholds, side="right")
    tp = tp.astype(np.int64)
    tn = tn.astype(np.int64)
    return RocPoints(
        thresholds=thresholds, tp=tp, fp=n - tn, tn=tn, fn=m - tp, n_cases=m, n_controls=n
    )


def warn_if_constant(score: FloatArray, name: str = "score") -> bool:
    """Emit a RemarkitWarning when every score is equal (AUC 0.5, no usable threshold)."""
    if score.min() == score.max():
        warnings.warn(
            f"constant {name}: every value equals {float(score[0]):g}, so the AUC is 0.5 and no "
            "threshold separates cases from controls",
            RemarkitWarning,
            stacklevel=3,
        )
        return True
    return False
