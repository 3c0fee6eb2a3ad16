"""The marker-response computations: checks, percentage decline, classification, bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from remarkit import InputError
from remarkit.text import name_ids

#: Declines are rounded to this many decimals (of a percentage point) so that a decline that is
#: exactly the clinical threshold in decimal arithmetic (e.g. 100 -> 40 at 60%) classifies as
#: written rather than by the last bit of a binary float.
DECLINE_DECIMALS = 9


def numeric_marker(data: pd.DataFrame, column: str) -> pd.Series:
    """The marker column as floats; a categorical column is an error naming non-numeric values."""
    values = data[column]
    if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object:
        text = values.astype(object)
        parsed = pd.to_numeric(text, errors="coerce")
        bad = [str(i) for i in text.index[text.notna() & parsed.isna()]]
        if bad:
            raise InputError(
                f"marker values must be numeric; non-numeric values for patient(s) {name_ids(bad)}",
                column=column,
            )
        raise InputError(
            'marker column is declared categorical; declare it type = "continuous"',
            column=column,
        )
    return values.astype(float)


def check_baseline(baseline: pd.Series) -> None:
    """Every baseline must be present and positive (the decline divides by it)."""
    missing = [str(i) for i in baseline.index[baseline.isna()]]
    if missing:
        raise InputError(
            f"baseline value missing for patient(s) {name_ids(missing)}; the percentage "
            "decline needs a baseline for every patient",
            column=str(baseline.name),
        )
    nonpositive = [str(i) for i in baseline.index[baseline <= 0]]
    if nonpositive:
        raise InputError(
            f"baseline value <= 0 for patient(s) {name_ids(nonpositive)}; the percentage "
            "decline divides by the baseline",
            column=str(baseline.name),
        )


def check_follow_up(follow_up: pd.Series) -> list[str]:
    """Return the ids of patients without a follow-up value; negative values are an error."""
    negative = [str(i) for i in follow_up.index[follow_up < 0]]
    if negative:
        raise InputError(
            f"negative follow-up value for patient(s) {name_ids(negative)}",
            column=str(follow_up.name),
        )
    return [str(i) for i in follow_up.index[follow_up.isna()]]


def percent_decline(baseline: pd.Series, follow_up: pd.Series) -> pd.Series:
    """``(baseline - follow_up) / baseline * 100``; NaN where the follow-up is missing."""
    decline = 100.0 * (baseline - follow_up) / baseline
    return decline.round(DECLINE_DECIMALS).rename("decline")


def classify(
    baseline: pd.Series,
    decline: pd.Series,
    *,
    normal_limit: float,
    threshold: float,
    labels: tuple[str, str, str],
) -> pd.Series:
    """Category per patient: (non-responder, normal baseline, responder) labels.

    Baseline below ``normal_limit`` -> normal baseline (whatever the follow-up); otherwise
    decline >= ``threshold`` -> responder, below -> non-responder, missing decline -> None.
    """
    non_responder, normal, responder = labels
    out = pd.Series([None] * baseline.size, index=baseline.index, dtype=object)
    elevated = baseline >= normal_limit
    known = decline.notna()
    out[~elevated] = normal
    out[elevated & known & (decline >= threshold)] = responder
    out[elevated & known & (decline < threshold)] = non_responder
    return out


def bootstrap_thresholds(
    y: np.ndarray,
    decline: np.ndarray,
    *,
    direction: str,
    replicates: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Youden thresholds of ``replicates`` stratified bootstrap resamples (finite ones only).

    Cases and controls are resampled separately with replacement, keeping their counts, as
    pROC's ``ci.coords(..., boot.stratified = TRUE)``; each replicate's threshold is the chosen
    (highest-sensitivity) optimum, as for the point estimate. A replicate whose optimum is the
    infinite "everyone positive/negative" threshold (possible only when the resample's declines
    do not separate the classes at all) is dropped; the caller reports how many were kept.

    Each replicate costs O(n) (no sort): the distinct declines are sorted once, a resample is
    the count of cases and of controls drawn at each of them, and the optimum follows from
    cumulative counts (:func:`_resample_threshold`). The draws and every threshold equal those
    of :func:`remarkit.stats.youden_threshold` on the resampled values.
    """

    cases = decline[y == 1]
    controls = decline[y == 0]
    values, rank = np.unique(np.concatenate((cases, controls)), return_inverse=True)
    rank = rank.reshape(-1)
    case_rank, control_rank = rank[: cases.size], rank[cases.size :]
    out = np.empty(replicates)
    for b in range(replicates):
        drawn_cases = case_rank[rng.integers(0, cases.size, cases.size)]
        drawn_controls = control_rank[rng.integers(0, controls.size, controls.size)]
        out[b] = _resample_threshold(
            values,
            np.bincount(drawn_cases, minlength=values.size),
            np.bincount(drawn_controls, minlength=values.size),
            direction,
        )
    return out[np.isfinite(out)]


def _resample_threshold(
    values: np.ndarray, case_counts: np.ndarray, control_counts: np.ndarray, direction: str
) -> float:
    """The chosen Youden threshold of a resample given as counts at the sorted ``values``.

    The gap before ``values[j]`` (j = 0..U) classifies ``x >= values[j]`` positive for direction
    '<' (``x <= values[j - 1]`` for '>'), so its confusion counts are cumulative sums; gaps next to
    a value the resample does not hold repeat a neighbour's counts. pROC's order is ascending
    thresholds for '<' (first optimum = lowest gap) and descending for '>' (highest gap). The
    threshold is then the pROC midpoint of the two resampled values around the chosen gap.
    """
    cases_below = np.concatenate(([0], np.cumsum(case_counts)))
    controls_below = np.concatenate(([0], np.cumsum(control_counts)))
    m, n = int(cases_below[-1]), int(controls_below[-1])
    if direction == "<":
        tp, tn = m - cases_below, controls_below
    else:
        tp, tn = cases_below, n - controls_below
    crit = tp / m + tn / n
    gap = int(np.argmax(crit)) if direction == "<" else crit.size - 1 - int(np.argmax(crit[::-1]))
    # values drawn below index j: the last drawn value before the gap and the first at or after
    below = cases_below + controls_below
    before = int(np.searchsorted(below, below[gap], side="left")) - 1
    after = int(np.searchsorted(below, below[gap], side="right")) - 1
    lower = float(values[before]) if before >= 0 else -np.inf
    upper = float(values[after]) if after < values.size else np.inf
    return _proc_midpoint(lower, upper, direction)


def _proc_midpoint(lower: float, upper: float, direction: str) -> float:
    """pROC's threshold between two adjacent resampled values (see ``proc_thresholds``)."""
    with np.errstate(over="ignore"):
        halfsum = (lower + upper) / 2.0
    threshold = lower / 2.0 + upper / 2.0 if abs(halfsum) > 1e100 else halfsum
    tied = (threshold == lower and math.isfinite(lower)) or (
        threshold == upper and math.isfinite(upper)
    )
    if tied and direction == "<" and threshold == lower:
        return upper
    if tied and direction != "<" and threshold != lower and threshold == upper:
        return lower
    return threshold


def percentile_interval(values: np.ndarray, level: float) -> tuple[float, float]:
    """Percentile interval (R's default type-7 quantiles, as pROC's bootstrap CIs)."""
    alpha = 1.0 - level
    lo, hi = np.quantile(values, [alpha / 2.0, 1.0 - alpha / 2.0])
    return float(lo), float(hi)
