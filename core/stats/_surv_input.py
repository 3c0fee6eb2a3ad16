"""Input checks for the survival, decision-curve and validation statistics."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from remarkit.errors import StatisticsError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# survival's aeqSurv() default: times closer than this (absolutely or relative to their mean)
# are one time, so that floating-point noise does not split a tie.
TIME_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def as_vector(values: Any, name: str) -> FloatArray:
    """Return ``values`` as a non-empty 1-D float array; anything else is a StatisticsError."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatisticsError(f"{name} must be numeric") from exc
    if arr.ndim != 1:
        raise StatisticsError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise StatisticsError(f"{name} is empty")
    return arr


def as_binary(values: Any, name: str, n: int | None = None) -> IntArray:
    """Return a 0/1 vector (of length ``n`` when given); NaN or any other value is an error."""
    arr = as_vector(values, name)
    if n is not None and arr.size != n:
        raise StatisticsError(f"{name} has length {arr.size} but time has length {n}")
    missing = int(np.isnan(arr).sum())
    if missing:
        raise StatisticsError(f"{name} contains {missing} missing value(s)")
    if not np.isin(arr, (0.0, 1.0)).all():
        raise StatisticsError(f"{name} must contain only 0 and 1")
    return arr.astype(np.int64)


def fix_ties(time: FloatArray) -> FloatArray:
    """Merge nearly equal times onto the smallest of them, as survival's ``aeqSurv``."""
    y = np.unique(time)
    if y.size < 2:
        return time
    dy = np.diff(y)
    tied = (dy <= TIME_TOLERANCE) | (dy / np.mean(np.abs(y)) <= TIME_TOLERANCE)
    if not tied.any():
        return time
    cuts = y[np.concatenate(([True], ~tied))]
    return np.asarray(cuts[np.searchsorted(cuts, time, side="right") - 1], dtype=np.float64)


def as_time_event(time: Any, event: Any) -> tuple[FloatArray, IntArray]:
    """Validate survival times (finite, >= 0: time 0 is allowed, as in R's survival) and 0/1
    events; near-equal times are tied."""
    t = as_vector(time, "time")
    missing = int(np.isnan(t).sum())
    if missing:
        raise StatisticsError(f"time contains {missing} missing value(s)")
    if not np.isfinite(t).all():
        raise StatisticsError("time contains infinite value(s)")
    if (t < 0).any():
        raise StatisticsError(f"time must be >= 0; {int((t < 0).sum())} value(s) are negative")
    e = as_binary(event, "event", t.size)
    return fix_ties(t), e


def check_level(level: float) -> float:
    """Validate a confidence level strictly between 0 and 1."""
    lev = float(level)
    if not 0.0 < lev < 1.0:
        raise StatisticsError(f"level must lie strictly between 0 and 1, got {level!r}")
    return lev


def check_columns(data: Any, columns: list[str]) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding ``columns`` with no missing values."""
    if not isinstance(data, pd.DataFrame):
        raise StatisticsError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if data.shape[0] == 0:
        raise StatisticsError("data has no rows")
    absent = [c for c in columns if c not in data.columns]
    if absent:
        raise StatisticsError(f"data has no column(s) {', '.join(map(repr, absent))}")
    for col in columns:
        missing = int(data[col].isna().sum())
        if missing:
            raise StatisticsError(f"column {col!r} contains {missing} missing value(s)")
    return data


def as_name_list(predictors: Any) -> list[str]:
    """Return predictor names as a non-empty list of distinct strings."""
    names = [predictors] if isinstance(predictors, str) else list(predictors)
    if not names:
        raise StatisticsError("predictors is empty")
    if not all(isinstance(p, str) for p in names):
        raise StatisticsError("predictors must be column names (strings)")
    if len(set(names)) != len(names):
        raise StatisticsError("predictors contains a name more than once")
    return names
