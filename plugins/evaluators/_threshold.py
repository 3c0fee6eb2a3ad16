"""A score's decision threshold: pre-specified, or fixed on the training set (Youden); frozen.

A cohort without a training set (external validation, ``remarkit apply``) takes the score's
given ``threshold``, else the one the applied model's training run fixed (``ctx.thresholds``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from remarkit import InputError, StatisticsError
from remarkit.modeling.thresholds import finite_ties, require_finite_optimum
from remarkit.plugins.evaluators._common import Row, ScoreSpec, finite, stat

#: Where a frozen threshold came from, as captions and Methods paragraphs say it.
FROZEN_ORIGIN = "fixed on the training set of the applied model"
#: Where each kind of threshold came from (``FixedThreshold.source``), as reports say it.
ORIGINS: dict[str, str] = {
    "given": "pre-specified",
    "youden": "fixed on the training set at the maximum Youden index",
    "frozen": FROZEN_ORIGIN,
}


class ThresholdedScore(ScoreSpec):
    """A score that is also dichotomised at a threshold fixed on the training set."""

    threshold: float | None = Field(
        default=None,
        description="Fixed threshold on the score's scale; default: the Youden optimum on the "
        "training set (for a cohort without one: the threshold the applied model fixed)",
    )


class FixedThreshold(Row):
    """The threshold a score is dichotomised at, fixed on the training set."""

    value: float = Field(description="Threshold; positive if score >= value ('higher')")
    source: Literal["youden", "given", "frozen"] = Field(
        description="Youden optimum on train, given, or 'frozen': fixed on the training set of "
        "the applied model (a cohort without a training set)"
    )
    youden: float | None = Field(
        description="Youden's J on the training set at the threshold (None without a training set)"
    )
    tied: list[float] = Field(
        description="Every Youden-optimal threshold (pROC order); the first, with the highest "
        "sensitivity, is used"
    )

    @property
    def on_training_set(self) -> bool:
        """Whether the threshold was fixed (or checked) on this cohort's training set."""
        return self.source != "frozen" and self.youden is not None


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
    from remarkit.stats import youden_threshold

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
    value = require_finite_optimum(
        best,
        label,
        f": the score does not separate the classes in the '{spec.direction}' direction",
    )
    return FixedThreshold(
        value=value,
        source="youden",
        youden=finite(best.youden),
        tied=finite_ties(best),
    )


def given_threshold(
    score: npt.NDArray[np.float64], spec: ThresholdedScore, label: str
) -> FixedThreshold:
    """A given threshold checked against the training scores, in a study without a binary outcome.

    There is no outcome to compute Youden's J on (None), nor to fix a threshold by Youden: a
    score without a ``threshold`` is an InputError.
    """
    if spec.threshold is None:
        raise InputError(
            f"{label}: the study has no binary outcome ([cohort.outcome]) to fix a threshold on; "
            "give the score a 'threshold'"
        )
    t = float(spec.threshold)
    if score.size and not float(score.min()) <= t <= float(score.max()):
        raise InputError(
            f"{label}: threshold {t:g} lies outside the training scores' range "
            f"{float(score.min()):g} to {float(score.max()):g}"
        )
    return FixedThreshold(value=t, source="given", youden=None, tied=[t])


def frozen_threshold(
    spec: ThresholdedScore, label: str, thresholds: Mapping[str, float]
) -> FixedThreshold:
    """The threshold of a cohort without a training set: given, else the applied model's.

    A given threshold is not range-checked (there are no training scores); neither has a
    Youden's J. Neither given nor fixed by the applied model is an InputError.
    """
    if spec.threshold is not None:
        t = float(spec.threshold)
        return FixedThreshold(value=t, source="given", youden=None, tied=[t])
    if spec.column in thresholds:
        t = float(thresholds[spec.column])
        return FixedThreshold(value=t, source="frozen", youden=None, tied=[t])
    raise InputError(
        f"{label}: no threshold for column '{spec.column}': the cohort has no training set to "
        "fix one on (an external validation cohort) and the applied model fixed none; give the "
        "score a 'threshold'"
    )


def origin_phrase(sources: Iterable[str]) -> str:
    """Where thresholds came from, for captions and Methods: a threshold given in the spec is
    'pre-specified'; only a Youden optimum is 'fixed on the training set'."""
    kinds = set(sources)
    fitted = [ORIGINS[k] for k in ("youden", "frozen") if k in kinds]
    if not fitted:
        return ORIGINS["given"]
    return " or ".join(fitted) + (" unless pre-specified" if "given" in kinds else "")


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
