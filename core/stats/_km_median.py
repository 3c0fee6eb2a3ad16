"""Kaplan-Meier arithmetic as R's survival: the curve, its pointwise CI and its quantiles.

The curve and standard error follow ``survfit`` (Greenwood variance of the cumulative hazard,
``std.err = sqrt(cumsum(d / (n (n - d))))``), the bounds ``survfit_confint`` and the median
``quantile.survfit`` (its internal ``findq``): the first time the curve is at or below 0.5, the
midpoint of a stretch where it is flat at exactly 0.5 (within sqrt(machine eps)), NaN when never
reached; the CI is where the lower and upper curves cross 0.5 by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from remarkit.errors import StatisticsError
from remarkit.stats._surv_input import TIME_TOLERANCE, FloatArray, IntArray

ConfType = Literal["log", "log-log", "plain"]
CONF_TYPES: tuple[str, ...] = ("log", "log-log", "plain")

CURVE_COLUMNS = ["time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"]


@dataclass(frozen=True)
class Curve:
    """The survfit columns of one Kaplan-Meier curve (one entry per distinct time)."""

    time: FloatArray
    n_risk: IntArray
    n_event: IntArray
    n_censor: IntArray
    surv: FloatArray
    std_err: FloatArray
    lower: FloatArray
    upper: FloatArray

    def frame(self) -> pd.DataFrame:
        """The curve as a DataFrame with :data:`CURVE_COLUMNS`."""
        return pd.DataFrame({c: getattr(self, c) for c in CURVE_COLUMNS})


def check_conf_type(conf_type: str) -> ConfType:
    """Validate a survfit ``conf.type`` supported here."""
    if conf_type == "log":
        return "log"
    if conf_type == "log-log":
        return "log-log"
    if conf_type == "plain":
        return "plain"
    raise StatisticsError(f"conf_type must be one of {', '.join(CONF_TYPES)}, got {conf_type!r}")


def confint(
    surv: FloatArray, se: FloatArray, conf_type: ConfType, level: float
) -> tuple[FloatArray, FloatArray]:
    """Pointwise bounds as survival's ``survfit_confint`` (``se`` on the log-survival scale)."""
    z = float(norm.ppf(1.0 - (1.0 - level) / 2.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            half = se * surv * z
            lower = np.fmax(surv - half, 0.0)
            upper = np.fmin(surv + half, 1.0)
            bad = np.isnan(half)
            lower[bad] = np.nan
            upper[bad] = np.nan
        elif conf_type == "log":
            xx = np.where(surv == 0, np.nan, surv)
            lower = np.exp(np.log(xx) - z * se)
            upper = np.fmin(np.exp(np.log(xx) + z * se), 1.0)
            upper[np.isnan(xx)] = np.nan
        else:
            xx = np.where((surv == 0) | (surv == 1), np.nan, surv)
            half = z * se / np.log(xx)
            lower = np.exp(-np.exp(np.log(-np.log(xx)) - half))
            upper = np.exp(-np.exp(np.log(-np.log(xx)) + half))
    return lower, upper


def km_curve(time: FloatArray, event: IntArray, conf_type: ConfType, level: float) -> Curve:
    """Kaplan-Meier curve at every distinct time, as ``survfit(Surv(time, event) ~ 1)``."""
    times, inverse = np.unique(time, return_inverse=True)
    n_event = np.bincount(inverse, weights=event, minlength=times.size).astype(np.int64)
    n_all = np.bincount(inverse, minlength=times.size).astype(np.int64)
    n_censor = n_all - n_event
    n_risk = np.cumsum(n_all[::-1])[::-1]
    d = n_event.astype(np.float64)
    r = n_risk.astype(np.float64)
    surv = np.cumprod(1.0 - d / r, dtype=np.float64)
    with np.errstate(divide="ignore"):
        increment = np.where(d > 0, d / (r * (r - d)), 0.0)
    std_err = np.sqrt(np.cumsum(increment))
    lower, upper = confint(surv, std_err, conf_type, level)
    return Curve(times, n_risk, n_event, n_censor, surv, std_err, lower, upper)


def _right_step_index(knots: FloatArray, p: float) -> int | None:
    """Index chosen by R's ``approx(knots, index, p, method="constant", f=1)``, NaN knots dropped.

    ``knots`` are already free of duplicates. Returns None where R returns NA (p outside the
    range of the knots).
    """
    ok = np.flatnonzero(~np.isnan(knots))
    if ok.size == 0:
        return None
    order = ok[np.argsort(knots[ok], kind="stable")]
    xs = knots[order]
    if p < xs[0] or p > xs[-1]:
        return None
    return int(order[np.searchsorted(xs, p, side="left")])


def find_quantile(time: FloatArray, curve: FloatArray, p: float) -> float:
    """Time where ``curve`` (a survival or CI curve at ``time``) crosses ``1 - p``: R's ``findq``."""
    x = np.concatenate(([0.0], time))
    y = np.concatenate(([0.0], 1.0 - curve))
    tol = TIME_TOLERANCE
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return float("nan")
    xmax = float(x[-1])
    # R's duplicated(): keep the first of equal values (NaN equals NaN)
    _, first = np.unique(y, return_index=True)
    keep = np.sort(first)
    if np.isnan(y).any():
        nan_first = int(np.flatnonzero(np.isnan(y))[0])
        keep = np.sort(np.concatenate((keep[~np.isnan(y[keep])], [nan_first])))
    x, y = x[keep], y[keep]
    i1 = _right_step_index(y + tol, p)
    i2 = _right_step_index(y - tol, p)
    quant = float("nan") if i1 is None or i2 is None else (x[i1] + x[i2]) / 2.0
    if p == 0:
        quant = float(x[0])
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        quant = float("nan") if i1 is None else (x[i1] + xmax) / 2.0
    return float(quant)


def median_with_ci(curve: Curve) -> tuple[float, float, float]:
    """Median survival time and its CI by ``quantile.survfit`` rules (NaN when not reached)."""
    return (
        find_quantile(curve.time, curve.surv, 0.5),
        find_quantile(curve.time, curve.lower, 0.5),
        find_quantile(curve.time, curve.upper, 0.5),
    )
