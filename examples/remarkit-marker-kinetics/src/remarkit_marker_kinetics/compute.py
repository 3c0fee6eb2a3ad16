"""Per-patient marker kinetics: the log2 slope between two measurements, and the half-life.

The slope is ``(log2(follow_up) - log2(baseline)) / interval``: doublings per time unit, negative
for a falling marker (-1 = the marker halves once per time unit). A falling marker's half-life is
``1 / -slope`` time units. Values below a detection limit are set to the limit (a slope needs
positive values); without a limit a zero value is an error naming the patients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from remarkit import InputError


def name_patients(ids: Sequence[str], limit: int = 8) -> str:
    """``'P1, P2 and 3 more'``: patient ids for a one-line message."""
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def numeric_column(data: pd.DataFrame, column: str, what: str) -> pd.Series:
    """A continuous cohort column as floats; a categorical one is an InputError."""
    values = data[column]
    if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object:
        raise InputError(
            f'{what} column is categorical; declare it type = "continuous"', column=column
        )
    return values.astype(float)


_LINKING_WORDS = {"at", "of", "in", "on", "before", "after", "-", "(", ","}


def marker_name(baseline_label: str, follow_up_label: str) -> str:
    """The words both labels start with, without a trailing linking word ('AFP at' -> 'AFP').

    Without a common start the baseline's label is the name.
    """
    common: list[str] = []
    for a, b in zip(baseline_label.split(), follow_up_label.split(), strict=False):
        if a != b:
            break
        common.append(a)
    while common and common[-1].lower() in _LINKING_WORDS:
        common.pop()
    return " ".join(common) or baseline_label


@dataclass(frozen=True)
class Kinetics:
    """Slopes and half-lives per patient (NaN where a value is missing), and who was adjusted.

    ``baseline`` and ``follow_up`` are the values the slopes used (after the detection limit).
    """

    baseline: pd.Series
    follow_up: pd.Series
    slope: pd.Series
    half_life: pd.Series
    floored: list[str]
    missing: list[str]


def _check_values(values: pd.Series, detection_limit: float | None) -> list[str]:
    """Reject negative values (and zeros without a limit); return ids below the limit."""
    negative = [str(i) for i in values.index[values < 0]]
    if negative:
        raise InputError(
            f"negative marker value for patient(s) {name_patients(negative)}",
            column=str(values.name),
        )
    if detection_limit is None:
        zero = [str(i) for i in values.index[values == 0]]
        if zero:
            raise InputError(
                f"marker value 0 for patient(s) {name_patients(zero)}; a log slope needs positive "
                "values: give detection_limit to set values below it to the limit",
                column=str(values.name),
            )
        return []
    return [str(i) for i in values.index[values < detection_limit]]


def log2_kinetics(
    baseline: pd.Series,
    follow_up: pd.Series,
    interval: pd.Series,
    *,
    detection_limit: float | None = None,
) -> Kinetics:
    """Log2 slope per time unit and half-life per patient (series share one index)."""
    bad_interval = [str(i) for i in interval.index[interval <= 0]]
    if bad_interval:
        raise InputError(
            f"interval between the measurements must be positive; not so for patient(s) "
            f"{name_patients(bad_interval)}",
            column=str(interval.name),
        )
    low = set(_check_values(baseline, detection_limit))
    low |= set(_check_values(follow_up, detection_limit))
    if detection_limit is not None:
        baseline = baseline.clip(lower=detection_limit)
        follow_up = follow_up.clip(lower=detection_limit)
    slope = (np.log2(follow_up) - np.log2(baseline)) / interval
    half_life = (-1.0 / slope).where(slope < 0)
    missing = [str(i) for i in slope.index[slope.isna()]]
    floored = [str(i) for i in baseline.index if str(i) in low]
    return Kinetics(
        baseline=baseline,
        follow_up=follow_up,
        slope=slope.rename("slope"),
        half_life=half_life.rename("half_life"),
        floored=floored,
        missing=missing,
    )
