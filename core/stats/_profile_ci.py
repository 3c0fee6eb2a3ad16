"""Profile-likelihood confidence limits of logistic-regression coefficients by exact root finding.

The limits for coefficient j are the two values b where the profile deviance (the deviance
minimised over the other coefficients with beta_j fixed at b) exceeds the minimum by the
chi-square(1) quantile. Each side is bracketed by doubling steps of one standard error and solved
with Brent's method. R's ``confint(glm)`` (MASS) instead interpolates a spline through a profile
sampled on a grid, which differs from the exact limits by up to ~1e-3 on the log-odds scale.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.stats import chi2

from remarkit.stats._group_input import FloatArray
from remarkit.stats._logistic_fit import Fit, deviance_at, newton_logit

_MAX_DOUBLINGS = 30


def profile_limits(
    x: FloatArray,
    y: FloatArray,
    fit: Fit,
    level: float,
    unbounded: list[tuple[bool, bool]],
) -> FloatArray:
    """(lower, upper) per coefficient on the log-odds scale.

    ``unbounded[j]`` says whether separation lets coefficient j go to -inf / +inf without
    lowering the likelihood; that limit is then infinite. A limit not bracketed within
    2^30 steps is infinite too.
    """
    crit = float(chi2.ppf(level, 1))
    dev0 = deviance_at(x, y, fit.coef, np.zeros(y.size))
    limits = np.empty((fit.coef.size, 2))
    for j in range(fit.coef.size):
        for side, sign in enumerate((-1.0, 1.0)):
            if unbounded[j][side]:
                limits[j, side] = sign * math.inf
            else:
                limits[j, side] = _limit(x, y, fit, j, sign, dev0 + crit)
    return limits


def _limit(x: FloatArray, y: FloatArray, fit: Fit, j: int, sign: float, target: float) -> float:
    others = [k for k in range(x.shape[1]) if k != j]
    rest = x[:, others]
    start = [fit.coef[others]]

    def excess(b: float) -> float:
        offset = x[:, j] * b
        coef = newton_logit(rest, y, offset, start[0])
        if np.all(np.isfinite(coef)):
            start[0] = coef
        return deviance_at(rest, y, coef, offset) - target

    centre = float(fit.coef[j])
    step = min(float(np.sqrt(fit.cov[j, j])), 1.0 + abs(centre))  # SEs explode with separation
    if not np.isfinite(step) or step <= 0:
        step = 1.0
    # excess(centre) = -crit < 0 (beta_j at its estimate); only the sign is used
    known = {centre: -1.0}
    inner_end = centre
    for _ in range(_MAX_DOUBLINGS):
        outer_end = centre + sign * step
        known[outer_end] = excess(outer_end)
        if known[outer_end] > 0:
            break
        inner_end = outer_end
        step *= 2.0
    else:
        return sign * math.inf
    # reuse the bracketing values: under separation a refit from another start can land
    # elsewhere on a flat likelihood, and brentq needs the signs it was given
    lo, hi = sorted((inner_end, outer_end))
    root = brentq(
        lambda b: known[b] if b in known else excess(b), lo, hi, xtol=1e-12, rtol=1e-13, maxiter=200
    )
    return float(root)
