"""Fisher's exact test on a 2 x 2 table with R ``fisher.test``'s odds ratio and CI.

The odds ratio is the conditional maximum-likelihood estimate (the noncentral hypergeometric mean
equals the observed count) and its CI inverts the two one-sided exact tests, as R does. R finds
these roots with ``uniroot``'s default tolerance (about 1.2e-4 on the odds ratio or its inverse);
here they are solved to machine precision on the log-odds scale, so R's printed values can differ
in the 4th-5th significant digit (more for very wide intervals).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.stats import hypergeom

_REL_ERR = 1.0 + 1e-7  # fisher.test's tolerance when comparing probabilities with the observed
_MAX_LOG = 700.0


class _NoncentralHypergeometric:
    """Distribution of the [0, 0] cell given the margins, with odds ratio exp(theta)."""

    def __init__(self, table: NDArray[np.int64]) -> None:
        m = int(table[:, 0].sum())
        n = int(table[:, 1].sum())
        k = int(table[0, :].sum())
        self.x = int(table[0, 0])
        self.lo, self.hi = max(0, k - n), min(k, m)
        self.support = np.arange(self.lo, self.hi + 1, dtype=np.float64)
        self.logdc = hypergeom.logpmf(self.support, m + n, m, k)

    def density(self, theta: float) -> NDArray[np.float64]:
        d = self.logdc + theta * self.support
        d = np.exp(d - d.max())
        return np.asarray(d / d.sum(), dtype=np.float64)

    def mean(self, theta: float) -> float:
        return float(np.sum(self.support * self.density(theta)))

    def lower_tail(self, theta: float) -> float:
        """P(X <= x)."""
        return float(np.sum(self.density(theta)[self.support <= self.x]))

    def upper_tail(self, theta: float) -> float:
        """P(X >= x)."""
        return float(np.sum(self.density(theta)[self.support >= self.x]))


def _root(f: Callable[[float], float]) -> float:
    """Root of a decreasing function of theta, bracketed by doubling outwards from [-1, 1]."""
    lo, hi = -1.0, 1.0
    while f(lo) < 0 and lo > -_MAX_LOG:
        lo *= 2.0
    while f(hi) > 0 and hi < _MAX_LOG:
        hi *= 2.0
    return float(brentq(f, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=500))


def fisher_2x2(table: NDArray[np.int64], level: float) -> tuple[float, float, float, float]:
    """(p-value, conditional MLE odds ratio, lower, upper) of a 2 x 2 table of counts."""
    dist = _NoncentralHypergeometric(table)
    x, lo, hi = dist.x, dist.lo, dist.hi
    d = dist.density(0.0)
    p = float(np.sum(d[d <= d[x - lo] * _REL_ERR]))
    if x == lo:
        estimate = 0.0
    elif x == hi:
        estimate = math.inf
    else:
        estimate = math.exp(_root(lambda t: x - dist.mean(t)))
    alpha = (1.0 - level) / 2.0
    upper = math.inf if x == hi else math.exp(_root(lambda t: dist.lower_tail(t) - alpha))
    lower = 0.0 if x == lo else math.exp(_root(lambda t: alpha - dist.upper_tail(t)))
    return min(1.0, p), estimate, lower, upper
