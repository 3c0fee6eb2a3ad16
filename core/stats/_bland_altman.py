"""Bland-Altman limits of agreement with their confidence intervals (Bland & Altman 1986, 1999).

Differences d = a - b and means (a + b) / 2. Bias = mean(d); SD = sd(d) (n - 1); limits
bias -/+ z SD with z = qnorm(1 - (1 - level) / 2) (1.959964 at 95%, not the rounded 1.96). The
bias CI is t-based, bias -/+ t SD / sqrt(n); each limit's CI uses Bland & Altman's (1999)
approximation SE = sqrt(3 SD^2 / n) with the t quantile on n - 1 df. Proportional bias: the
least-squares slope of d on the means with its t test (n - 2 df), as R ``lm(d ~ m)``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field
from scipy.stats import norm
from scipy.stats import t as student_t

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._group_input import check_level

__all__ = ["BlandAltmanResult", "bland_altman"]


class BlandAltmanResult(StatResult):
    """Bias and 95% (or ``level``) limits of agreement of two measurements, with CIs."""

    kind: Literal["bland_altman"] = Field("bland_altman", description="Result type tag.")
    n: int = Field(description="Pairs with both measurements.")
    n_missing: int = Field(description="Pairs dropped for a missing value in a or b.")
    bias: float = Field(description="Mean difference a - b.")
    sd: float = Field(description="Standard deviation of the differences (n - 1 denominator).")
    bias_lower: float = Field(description="Lower CI bound of the bias, bias - t SD / sqrt(n).")
    bias_upper: float = Field(description="Upper CI bound of the bias, bias + t SD / sqrt(n).")
    lower_loa: float = Field(description="Lower limit of agreement, bias - z SD.")
    upper_loa: float = Field(description="Upper limit of agreement, bias + z SD.")
    loa_se: float = Field(description="Approximate SE of each limit, sqrt(3 SD^2 / n).")
    lower_loa_lower: float = Field(description="Lower CI bound of the lower limit.")
    lower_loa_upper: float = Field(description="Upper CI bound of the lower limit.")
    upper_loa_lower: float = Field(description="Lower CI bound of the upper limit.")
    upper_loa_upper: float = Field(description="Upper CI bound of the upper limit.")
    z: float = Field(description="Normal quantile of the limits, qnorm(1 - (1 - level) / 2).")
    t: float = Field(description="t quantile of the CIs, qt(1 - (1 - level) / 2, n - 1).")
    slope: float | None = Field(
        description="Proportional bias: slope of the difference on the mean (None if the means "
        "are all equal)."
    )
    intercept: float | None = Field(description="Intercept of that regression.")
    slope_se: float | None = Field(description="Standard error of the slope (lm).")
    slope_p: float | None = Field(description="Two-sided t-test p-value of slope = 0 (n - 2 df).")
    level: float = Field(description="Coverage of the limits and confidence level of the CIs.")


def _vector(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatisticsError(f"{name} must be numeric") from exc
    if arr.ndim != 1:
        raise StatisticsError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if np.isinf(arr).any():
        raise StatisticsError(f"{name} contains infinite value(s)")
    return arr


def bland_altman(a: Any, b: Any, *, level: float = 0.95) -> BlandAltmanResult:
    """Bland-Altman analysis of paired measurements ``a`` and ``b`` (difference a - b).

    Pairs with a missing value are dropped and counted; at least 3 complete pairs are needed.
    """
    lev = check_level(level)
    x, y = _vector(a, "a"), _vector(b, "b")
    if x.size != y.size:
        raise StatisticsError(f"a and b differ in length ({x.size} vs {y.size})")
    keep = ~(np.isnan(x) | np.isnan(y))
    n = int(keep.sum())
    if n < 3:
        raise StatisticsError(f"Bland-Altman needs at least 3 complete pairs, got {n}")
    x, y = x[keep], y[keep]
    d = x - y
    mean = (x + y) / 2.0
    bias = float(np.mean(d))
    sd = float(np.std(d, ddof=1))
    q = 1.0 - (1.0 - lev) / 2.0
    z = float(norm.ppf(q))
    t = float(student_t.ppf(q, n - 1))
    se_bias = sd / np.sqrt(n)
    loa_se = float(np.sqrt(3.0 * sd**2 / n))
    lo, hi = bias - z * sd, bias + z * sd
    slope = intercept = slope_se = slope_p = None
    mc = mean - mean.mean()
    sxx = float(np.sum(mc**2))
    if sxx > 0.0:
        slope = float(np.sum(mc * (d - bias)) / sxx)
        intercept = bias - slope * float(mean.mean())
        resid = d - intercept - slope * mean
        sigma2 = float(np.sum(resid**2)) / (n - 2)
        slope_se = float(np.sqrt(sigma2 / sxx))
        if slope_se > 0.0:
            slope_p = float(2.0 * student_t.sf(abs(slope / slope_se), n - 2))
    return BlandAltmanResult(
        n=n,
        n_missing=int((~keep).sum()),
        bias=bias,
        sd=sd,
        bias_lower=float(bias - t * se_bias),
        bias_upper=float(bias + t * se_bias),
        lower_loa=lo,
        upper_loa=hi,
        loa_se=loa_se,
        lower_loa_lower=lo - t * loa_se,
        lower_loa_upper=lo + t * loa_se,
        upper_loa_lower=hi - t * loa_se,
        upper_loa_upper=hi + t * loa_se,
        z=z,
        t=t,
        slope=slope,
        intercept=intercept,
        slope_se=slope_se,
        slope_p=slope_p,
        level=lev,
    )
