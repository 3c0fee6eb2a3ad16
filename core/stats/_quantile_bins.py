"""Risk groups by quantiles of p, as ``cut(p, unique(quantile(p, seq(0, 1, 1/g))),
include.lowest = TRUE)`` in R (type-7 quantiles, right-closed bins)."""

from __future__ import annotations

import numpy as np

from remarkit.errors import StatisticsError
from remarkit.stats._eval_inputs import FloatArray, IntArray


def r_seq_probs(groups: int) -> FloatArray:
    """``seq(0, 1, 1/groups)`` with R's arithmetic: ``pmin(from + (0:n) * by, to)``.

    The last probability is set to exactly 1: for some ``groups`` (e.g. 49) R's ``seq`` ends an
    ulp short of 1, which would leave the largest p outside every bin.
    """
    by = 1.0 / groups
    count = int(1.0 / by + 1e-10)
    probs = np.minimum(np.arange(count + 1) * by, 1.0)
    probs[-1] = 1.0
    return probs


def r_quantile7(x: FloatArray, probs: FloatArray) -> FloatArray:
    """``quantile(x, probs, type = 7)`` with R's interpolation formula."""
    srt = np.sort(x)
    n = srt.size
    index = 1.0 + max(n - 1, 0) * probs
    lo = np.floor(index).astype(np.int64)
    hi = np.ceil(index).astype(np.int64)
    qs = srt[lo - 1]
    x_hi = srt[hi - 1]
    interp = (index > lo) & (x_hi != qs)
    h = index - lo
    return np.where(interp, (1.0 - h) * qs + h * x_hi, qs)


def quantile_groups(p: FloatArray, groups: int) -> tuple[FloatArray, IntArray]:
    """Unique type-7 quantile breaks of ``p`` and each value's bin (0-based), right-closed with
    the lowest break included."""
    if isinstance(groups, bool) or not isinstance(groups, int | np.integer) or groups < 2:
        raise StatisticsError(f"groups must be an integer >= 2, got {groups!r}")
    breaks = np.unique(r_quantile7(p, r_seq_probs(int(groups))))
    if breaks.size < 2:
        raise StatisticsError("p is constant: quantile groups need at least two distinct values")
    codes = np.searchsorted(breaks, p, side="left") - 1
    codes[p == breaks[0]] = 0
    return breaks, codes.astype(np.int64)
