"""A score's decision threshold: fixed on the training set (Youden, or given) and applied frozen."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from remarkit import InputError, StatisticsError
from remarkit.plugins.evaluators._common import Row, ScoreSpec, finite, stat
from remarkit.stats import youden_threshold


class ThresholdedScore(ScoreSpec):
    """A score that is also dichotomised at a threshold fixed on the training set."""

    threshold: float | None = Field(
        default=None,
        description="Fixed threshold on the score's scale; default: the Youden optimum on the "
        "training set",
    )


class FixedThreshold(Row):
    """The threshold a score is dichotomised at, fixed on the training set."""

    value: float = Field(description="Threshold; positive if score >= value ('higher')")
    source: Literal["youden", "given"] = Field(description="Youden optimum on train, or given")
    youden: float | None = Field(description="Youden's J on the training set at the threshold")
    tied: list[float] = Field(
        description="Every Youden-optimal threshold (pROC order); the first, with the highest "
        "sensitivity, is used"
    )


def predict(score: npt.NDArray[np.float64], threshold: float, direction: str) -> np.ndarray:
    """0/1 predictions as pROC: ``score >= t`` for 'higher' ('<'), ``score <= t`` for 'lower'."""
    hit = score >= threshold if direction == "higher" else score <= threshold
    return hit.astype(np.int64)


def fix_threshold(
    y: npt.NDArray[np.int64],
    score: npt.NDArray[np.float64],
    spec: ThresholdedScore,
    label: str,
    sink: list[str],
) -> FixedThreshold:
    """Fix the threshold on training data; a constant score or an unusable threshold is an error."""
    lo, hi = float(score.min()), float(score.max())
    if lo == hi:
        raise StatisticsError(
            f"{label}: the score is constant on the training set (every value is {lo:g}); "
            "no threshold can be fixed"
        )
    if spec.threshold is not None:
        t = float(spec.threshold)
        if not lo <= t <= hi:
            raise InputError(
                f"{label}: threshold {t:g} lies outside the training scores' range {lo:g} to {hi:g}"
            )
        pred = predict(score, t, spec.direction)
        se = float(pred[y == 1].mean())
        sp = float(1 - pred[y == 0].mean())
        return FixedThreshold(value=t, source="given", youden=se + sp - 1.0, tied=[t])
    best = stat(
        sink, f"{label}, training set", youden_threshold, y, score, direction=spec.proc_direction
    )
    if not np.isfinite(best.threshold):
        raise StatisticsError(
            f"{label}: the Youden optimum on the training set is an infinite threshold "
            f"(J = {best.youden:.3g}): the score does not separate the classes in the "
            f"'{spec.direction}' direction"
        )
    return FixedThreshold(
        value=best.threshold,
        source="youden",
        youden=finite(best.youden),
        tied=[float(t) for t in best.tied_thresholds],
    )


def one_class_warning(
    score: npt.NDArray[np.float64], threshold: float, direction: str, where: str
) -> str | None:
    """A message when the frozen threshold puts every patient of ``where`` in one class."""
    if score.size == 0:
        return None
    pred = predict(score, threshold, direction)
    if pred.min() != pred.max():
        return None
    side = "positive" if pred[0] == 1 else "negative"
    return (
        f"the training threshold {threshold:.4g} lies outside the {where} scores "
        f"({score.min():.4g} to {score.max():.4g}): every patient there is predicted {side}"
    )
