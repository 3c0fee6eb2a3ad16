"""Clopper-Pearson exact interval for a binomial proportion, as R's ``binom.test``."""

from __future__ import annotations

from scipy.stats import beta


def clopper_pearson(successes: int, trials: int, level: float) -> tuple[float, float]:
    """Two-sided exact CI ``(lower, upper)``; ``(nan, nan)`` when ``trials`` is 0.

    Same arithmetic as ``binom.test``: ``alpha = (1 - level) / 2``, lower ``qbeta(alpha, x, n-x+1)``
    (0 when x = 0), upper ``qbeta(1 - alpha, x+1, n-x)`` (1 when x = n).
    """
    if trials == 0:
        return float("nan"), float("nan")
    alpha = (1.0 - level) / 2.0
    lower = 0.0 if successes == 0 else float(beta.ppf(alpha, successes, trials - successes + 1))
    upper = (
        1.0
        if successes == trials
        else float(beta.ppf(1.0 - alpha, successes + 1, trials - successes))
    )
    return lower, upper
