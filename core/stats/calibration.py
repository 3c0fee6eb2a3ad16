"""Calibration of predicted probabilities: Hosmer-Lemeshow, Spiegelhalter's Z and the
``rms::val.prob`` calibration summary (intercept, slope, Brier, lowess curve)."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.special import logit
from scipy.stats import chi2, norm

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._binom import clopper_pearson
from remarkit.stats._eval_inputs import (
    FloatArray,
    IntArray,
    as_binary,
    as_probabilities,
    check_level,
)
from remarkit.stats._lowess import lowess
from remarkit.stats._quantile_bins import quantile_groups, r_quantile7
from remarkit.stats._recalibration import intercept_with_offset, recalibration_fit

__all__ = [
    "CalibrationResult",
    "HosmerLemeshowResult",
    "SpiegelhalterResult",
    "calibration",
    "hosmer_lemeshow",
    "spiegelhalter_z",
]


class HosmerLemeshowResult(StatResult):
    """Hosmer-Lemeshow goodness-of-fit test over quantile groups of p."""

    kind: Literal["hosmer_lemeshow"] = Field("hosmer_lemeshow", description="Result type tag.")
    chi_square: float = Field(description="Sum over groups of (O-E)^2/E for events and non-events.")
    df: int = Field(description="Degrees of freedom: non-empty groups - 2.")
    p_value: float = Field(description="Upper-tail chi-square p-value.")
    groups: int = Field(description="Number of groups requested.")
    table: pd.DataFrame = Field(
        description="Per non-empty group: group, lower, upper (break points; bins right-closed), "
        "n, observed_events, expected_events, observed_nonevents, expected_nonevents."
    )


class SpiegelhalterResult(StatResult):
    """Spiegelhalter's Z test of calibration, as ``rms::val.prob`` "S:z" and "S:p"."""

    kind: Literal["spiegelhalter"] = Field("spiegelhalter", description="Result type tag.")
    z: float = Field(description="sum((y - p)(1 - 2p)) / sqrt(sum((1 - 2p)^2 p (1 - p))).")
    p_value: float = Field(description="Two-sided p-value of z.")
    n: int = Field(description="Number of observations.")


class CalibrationResult(StatResult):
    """Calibration summary and curve, as ``rms::val.prob(p, y)``."""

    kind: Literal["calibration"] = Field("calibration", description="Result type tag.")
    intercept: float = Field(
        description="Intercept a of the logistic recalibration y ~ a + b logit(p) (val.prob "
        "'Intercept'); NaN under separation."
    )
    slope: float = Field(
        description="Slope b of that fit (val.prob 'Slope'); NaN under separation."
    )
    calibration_in_the_large: float = Field(
        description="Intercept of glm(y ~ 1, offset = logit(p), binomial): slope fixed at 1."
    )
    brier: float = Field(description="Brier score, mean((p - y)^2).")
    emax: float = Field(description="Max |p - lowess calibration curve| over observations.")
    e90: float = Field(description="90th percentile (type 7) of |p - lowess curve|.")
    eavg: float = Field(description="Mean |p - lowess curve|.")
    n: int = Field(description="Number of observations.")
    curve: pd.DataFrame = Field(
        description="lowess(p, y, f = 2/3, iter = 0) as val.prob draws it: predicted (sorted p), "
        "observed (smoothed outcome)."
    )
    bins: pd.DataFrame = Field(
        description="Quantile groups of p (as Hosmer-Lemeshow): group, lower, upper, n, "
        "mean_predicted, observed (event proportion), observed_lower, observed_upper "
        "(Clopper-Pearson)."
    )
    level: float = Field(description="Confidence level of the binned observed proportions.")


def _inputs(y: Any, p: Any) -> tuple[IntArray, FloatArray]:
    yy = as_binary(y)
    pp = as_probabilities(p, yy.size)
    return yy, pp


def _group_table(y: IntArray, p: FloatArray, groups: int) -> pd.DataFrame:
    breaks, codes = quantile_groups(p, groups)
    k = breaks.size - 1
    n = np.bincount(codes, minlength=k)
    events = np.bincount(codes, weights=y.astype(np.float64), minlength=k)
    expected = np.bincount(codes, weights=p, minlength=k)
    keep = n > 0
    return pd.DataFrame(
        {
            "group": np.arange(1, k + 1)[keep],
            "lower": breaks[:-1][keep],
            "upper": breaks[1:][keep],
            "n": n[keep].astype(np.int64),
            "observed_events": events[keep].astype(np.int64),
            "expected_events": expected[keep],
        }
    )


def hosmer_lemeshow(y: Any, p: Any, *, groups: int = 10) -> HosmerLemeshowResult:
    """Hosmer-Lemeshow test by DESIGN.md's convention (no single R function; the reference is
    base R): groups ``cut(p, unique(quantile(p, seq(0, 1, 1/g))), include.lowest = TRUE)``,
    chi-square over events and non-events, df = non-empty groups - 2."""
    yy, pp = _inputs(y, p)
    table = _group_table(yy, pp, groups)
    table["observed_nonevents"] = table["n"] - table["observed_events"]
    table["expected_nonevents"] = table["n"] - table["expected_events"]
    o1 = table["observed_events"].to_numpy(np.float64)
    e1 = table["expected_events"].to_numpy()
    o0 = table["observed_nonevents"].to_numpy(np.float64)
    e0 = table["expected_nonevents"].to_numpy()
    stat = float(np.sum((o1 - e1) ** 2 / e1 + (o0 - e0) ** 2 / e0))
    df = len(table) - 2
    if df < 1:
        raise StatisticsError(
            f"Hosmer-Lemeshow needs at least 3 non-empty groups of p; got {len(table)}"
        )
    return HosmerLemeshowResult(
        chi_square=stat,
        df=df,
        p_value=float(chi2.sf(stat, df)),
        groups=int(groups),
        table=table,
    )


def spiegelhalter_z(y: Any, p: Any) -> SpiegelhalterResult:
    """Spiegelhalter's Z, as ``rms::val.prob(p, y)["S:z"]`` and ``["S:p"]``."""
    yy, pp = _inputs(y, p)
    weight = 1.0 - 2.0 * pp
    denom = float(np.sum(weight * weight * pp * (1.0 - pp)))
    if denom == 0.0:
        raise StatisticsError("Spiegelhalter's Z is undefined when every p equals 0.5")
    z = float(np.sum((yy - pp) * weight)) / math.sqrt(denom)
    return SpiegelhalterResult(z=z, p_value=float(2.0 * norm.cdf(-abs(z))), n=int(yy.size))


def _smoothed_at(p: FloatArray, xs: FloatArray, fit: FloatArray) -> FloatArray:
    """``approx(Sm, xout = p, ties = mean)$y``: mean fit over tied x, looked up at each p."""
    knots, inverse = np.unique(xs, return_inverse=True)
    means = np.bincount(inverse, weights=fit) / np.bincount(inverse)
    return means[np.searchsorted(knots, p)]


def _bins(y: IntArray, p: FloatArray, groups: int, level: float) -> pd.DataFrame:
    table = _group_table(y, p, groups)
    cis = [
        clopper_pearson(int(x), int(m), level)
        for x, m in zip(table["observed_events"], table["n"], strict=True)
    ]
    n = table["n"].to_numpy(np.float64)
    return pd.DataFrame(
        {
            "group": table["group"],
            "lower": table["lower"],
            "upper": table["upper"],
            "n": table["n"],
            "mean_predicted": table["expected_events"].to_numpy() / n,
            "observed": table["observed_events"].to_numpy(np.float64) / n,
            "observed_lower": [c[0] for c in cis],
            "observed_upper": [c[1] for c in cis],
        }
    )


def calibration(y: Any, p: Any, *, groups: int = 10, level: float = 0.95) -> CalibrationResult:
    """Calibration intercept and slope, Brier, Emax/E90/Eavg and the lowess curve, as
    ``rms::val.prob(p, y)``; plus binned points (``groups`` quantile groups of p, observed
    proportion with a Clopper-Pearson CI at ``level``) for plotting."""
    lev = check_level(level)
    yy, pp = _inputs(y, p)
    if yy.min() == yy.max():
        raise StatisticsError(
            "y has only one outcome class; calibration needs events and non-events"
        )
    if pp.min() == pp.max():
        raise StatisticsError("p is constant: the calibration slope is undefined")
    lp = logit(pp)
    intercept, slope = recalibration_fit(yy, lp)
    xs, fit = lowess(pp, yy.astype(np.float64), f=2.0 / 3.0, iterations=0)
    err = np.abs(pp - _smoothed_at(pp, xs, fit))
    return CalibrationResult(
        intercept=intercept,
        slope=slope,
        calibration_in_the_large=intercept_with_offset(yy, lp),
        brier=float(np.mean((pp - yy) ** 2)),
        emax=float(np.max(err)),
        e90=float(r_quantile7(err, np.array([0.9]))[0]),
        eavg=float(np.mean(err)),
        n=int(yy.size),
        curve=pd.DataFrame({"predicted": xs, "observed": fit}),
        bins=_bins(yy, pp, groups, lev),
        level=lev,
    )
