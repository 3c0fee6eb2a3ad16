"""Input checks shared by the ROC, diagnostic and calibration statistics."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from remarkit.errors import StatisticsError

Direction = Literal["<", ">"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def as_float_vector(values: Any, name: str) -> FloatArray:
    """Return ``values`` as a 1-D float array; non-numeric or N-D input is an error."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatisticsError(f"{name} must be numeric") from exc
    if arr.ndim != 1:
        raise StatisticsError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise StatisticsError(f"{name} is empty")
    return arr


def as_binary(values: Any, name: str = "y") -> IntArray:
    """Return a 0/1 vector as int64; NaN or any other value is a :class:`StatisticsError`."""
    arr = as_float_vector(values, name)
    if np.isnan(arr).any():
        raise StatisticsError(f"{name} contains {int(np.isnan(arr).sum())} missing value(s)")
    if not np.isin(arr, (0.0, 1.0)).all():
        raise StatisticsError(f"{name} must contain only 0 and 1")
    return arr.astype(np.int64)


def as_scores(values: Any, n: int, name: str = "score") -> FloatArray:
    """Return finite scores of length ``n``; NaN or infinite values are an error."""
    arr = as_float_vector(values, name)
    if arr.size != n:
        raise StatisticsError(f"{name} has length {arr.size} but y has length {n}")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise StatisticsError(f"{name} contains {int(bad.sum())} missing or infinite value(s)")
    return arr


def as_probabilities(values: Any, n: int, name: str = "p") -> FloatArray:
    """Return predicted probabilities of length ``n``, each strictly inside (0, 1)."""
    arr = as_scores(values, n, name)
    outside = (arr <= 0.0) | (arr >= 1.0)
    if outside.any():
        raise StatisticsError(
            f"{name} must lie strictly between 0 and 1; {int(outside.sum())} value(s) do not"
        )
    return arr


def check_direction(direction: str) -> Direction:
    """Validate a pROC direction: ``"<"`` (controls < cases) or ``">"``."""
    if direction == "<":
        return "<"
    if direction == ">":
        return ">"
    raise StatisticsError(f"direction must be '<' or '>', got {direction!r}")


def check_level(level: float) -> float:
    """Validate a confidence level strictly between 0 and 1."""
    lev = float(level)
    if not 0.0 < lev < 1.0:
        raise StatisticsError(f"level must lie strictly between 0 and 1, got {level!r}")
    return lev


def split_classes(y: IntArray, score: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return (cases, controls); a class with no members is a :class:`StatisticsError`."""
    cases = score[y == 1]
    controls = score[y == 0]
    if cases.size == 0:
        raise StatisticsError("y has no cases (no 1s); ROC statistics need both classes")
    if controls.size == 0:
        raise StatisticsError("y has no controls (no 0s); ROC statistics need both classes")
    return cases, controls
