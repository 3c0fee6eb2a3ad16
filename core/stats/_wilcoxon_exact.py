"""Exact null distribution of the Wilcoxon rank-sum statistic W (R ``pwilcox``), without ties."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from remarkit.stats._group_input import FloatArray


def wilcoxon_counts(m: int, n: int) -> FloatArray:
    """Number of arrangements giving W = 0..m*n for samples of sizes m and n.

    Uses the recurrence f(m, n, w) = f(m - 1, n, w - n) + f(m, n - 1, w): the largest of the
    m + n values belongs either to the first sample (adding n to W) or to the second.
    """
    if m == 0 or n == 0:
        return np.ones(1)
    # row[j] holds the counts for sizes (i, j) while i runs from 0 to m
    row = [np.ones(1) for _ in range(n + 1)]
    for i in range(1, m + 1):
        new = [np.ones(1)]
        for j in range(1, n + 1):
            counts = np.zeros(i * j + 1)
            take = row[j]  # sizes (i - 1, j): the largest value is in sample 1, W += j
            counts[j : j + take.size] += take
            skip = new[j - 1]  # sizes (i, j - 1): the largest value is in sample 2
            counts[: skip.size] += skip
            new.append(counts)
        row = new
    return row[n]


def wilcoxon_exact_p(w: float, m: int, n: int) -> float:
    """Two-sided exact p-value of W, as R: 2 * the smaller tail at W, at most 1."""
    counts = wilcoxon_counts(m, n)
    log_total = float(gammaln(m + n + 1) - gammaln(m + 1) - gammaln(n + 1))
    q = round(w)
    # R: P(W >= w) = pwilcox(w - 1, lower.tail = FALSE) above the centre, else P(W <= w)
    tail = float(np.sum(counts[q:])) if w > m * n / 2 else float(np.sum(counts[: q + 1]))
    return min(1.0, 2.0 * float(np.exp(np.log(tail) - log_total)))
