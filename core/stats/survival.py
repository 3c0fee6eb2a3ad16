"""Kaplan-Meier curves, median (follow-up) times and the log-rank test, as R's survival."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._km_median import (
    CURVE_COLUMNS,
    ConfType,
    check_conf_type,
    km_curve,
    median_with_ci,
)
from remarkit.stats._surv_input import as_time_event, as_vector, check_level

__all__ = [
    "KaplanMeierResult",
    "LogrankResult",
    "MedianFollowUpResult",
    "SurvivalAtResult",
    "kaplan_meier",
    "logrank_test",
    "median_follow_up",
    "survival_at",
]

_CI_DOC = "Pointwise CI transform, survfit's conf.type: 'log', 'log-log' or 'plain'."


class KaplanMeierResult(StatResult):
    """Kaplan-Meier curve with its pointwise CI and the median survival time with its CI."""

    kind: Literal["kaplan_meier"] = Field("kaplan_meier", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per distinct time, as survfit: time, n_risk, n_event, n_censor, "
        "surv, std_err (Greenwood, on the cumulative-hazard scale as survfit's std.err; Inf once "
        "the curve reaches 0), lower, upper (NaN where survfit gives NA)."
    )
    n: int = Field(description="Number of subjects.")
    events: int = Field(description="Number of events.")
    median: float = Field(
        description="Median survival time (quantile.survfit); NaN if not reached."
    )
    median_lower: float = Field(description="Lower CI bound of the median; NaN if not reached.")
    median_upper: float = Field(description="Upper CI bound of the median; NaN if not reached.")
    conf_type: ConfType = Field(description=_CI_DOC)
    level: float = Field(description="Confidence level of the intervals.")


class MedianFollowUpResult(StatResult):
    """Median follow-up by the reverse Kaplan-Meier method (censoring counted as the event)."""

    kind: Literal["median_follow_up"] = Field("median_follow_up", description="Result type tag.")
    median: float = Field(description="Median follow-up time; NaN if not reached.")
    lower: float = Field(description="Lower CI bound; NaN if not reached.")
    upper: float = Field(description="Upper CI bound; NaN if not reached.")
    n: int = Field(description="Number of subjects.")
    censored: int = Field(description="Number of censored subjects (the reverse KM's events).")
    conf_type: ConfType = Field(description=_CI_DOC)
    level: float = Field(description="Confidence level of the interval.")


class SurvivalAtResult(StatResult):
    """A Kaplan-Meier curve read at chosen times, e.g. numbers at risk under a KM plot."""

    kind: Literal["survival_at"] = Field("survival_at", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per requested time (sorted), as summary(fit, times, extend=TRUE): "
        "time, n_risk (at risk at that time), n_event and n_censor (since the previous requested "
        "time), surv, std_err (cumulative-hazard scale, as the curve), lower, upper."
    )


class LogrankResult(StatResult):
    """Log-rank test of equal survival across groups, as survdiff (rho = 0)."""

    kind: Literal["logrank"] = Field("logrank", description="Result type tag.")
    chisq: float = Field(description="Log-rank chi-square statistic.")
    df: int = Field(description="Degrees of freedom: groups with expected events > 0, minus 1.")
    p_value: float = Field(description="Upper-tail chi-square p-value.")
    table: pd.DataFrame = Field(
        description="One row per group (sorted labels, or Categorical order): group, n, observed, "
        "expected, variance (diagonal of survdiff's var), o_minus_e."
    )


def kaplan_meier(
    time: Any, event: Any, *, conf_type: str = "log", level: float = 0.95
) -> KaplanMeierResult:
    """Kaplan-Meier estimate, as R ``survfit(Surv(time, event) ~ 1, conf.type=conf_type)``.

    The median and its CI follow ``quantile.survfit`` (which can differ from the median in
    ``summary(fit)$table`` when the curve ends flat at exactly 0.5).
    """
    t, e = as_time_event(time, event)
    ct = check_conf_type(conf_type)
    lev = check_level(level)
    curve = km_curve(t, e, ct, lev)
    med, lo, hi = median_with_ci(curve)
    return KaplanMeierResult(
        table=curve.frame(),
        n=int(t.size),
        events=int(e.sum()),
        median=med,
        median_lower=lo,
        median_upper=hi,
        conf_type=ct,
        level=lev,
    )


def median_follow_up(
    time: Any, event: Any, *, level: float = 0.95, conf_type: str = "log"
) -> MedianFollowUpResult:
    """Median follow-up by reverse Kaplan-Meier: R ``quantile(survfit(Surv(time, 1 - event) ~ 1))``."""
    t, e = as_time_event(time, event)
    ct = check_conf_type(conf_type)
    lev = check_level(level)
    curve = km_curve(t, 1 - e, ct, lev)
    med, lo, hi = median_with_ci(curve)
    return MedianFollowUpResult(
        median=med,
        lower=lo,
        upper=hi,
        n=int(t.size),
        censored=int((1 - e).sum()),
        conf_type=ct,
        level=lev,
    )


def survival_at(km: KaplanMeierResult, times: Any) -> SurvivalAtResult:
    """Curve values and numbers at risk at ``times``: R ``summary(fit, times, extend=TRUE)``.

    Before the first time the curve is 1 with bounds 1; after the last it carries on flat with
    nobody at risk.
    """
    want = np.sort(as_vector(times, "times"))
    if np.isnan(want).any() or (want < 0).any() or not np.isfinite(want).all():
        raise StatisticsError("times must be finite and >= 0")
    curve = km.table
    t = curve["time"].to_numpy(dtype=np.float64)
    # survfit0 prepends time 0 (surv 1, no events, the first row's number at risk)
    first = {
        "time": 0.0,
        "n_risk": int(curve["n_risk"].iloc[0]),
        "n_event": 0,
        "n_censor": 0,
        "surv": 1.0,
        "std_err": 0.0,
        "lower": 1.0,
        "upper": 1.0,
    }
    full = pd.concat([pd.DataFrame([first]), curve[CURVE_COLUMNS]], ignore_index=True)
    t0 = np.concatenate(([0.0], t))
    row = np.searchsorted(t0, want, side="right") - 1
    next_row = np.searchsorted(t0, want, side="left")
    n_risk = np.concatenate((full["n_risk"].to_numpy(), [0]))[next_row]
    out = {"time": want, "n_risk": n_risk.astype(np.int64)}
    for col in ("n_event", "n_censor"):
        cum = np.cumsum(full[col].to_numpy())[row]
        out[col] = np.diff(np.concatenate(([0], cum))).astype(np.int64)
    for col in ("surv", "std_err", "lower", "upper"):
        out[col] = full[col].to_numpy(dtype=np.float64)[row]
    return SurvivalAtResult(table=pd.DataFrame(out)[CURVE_COLUMNS])


def _group_codes(group: Any, n: int) -> tuple[list[Any], np.ndarray]:
    """Group labels (Categorical order, else sorted) and each subject's code."""
    series = group if isinstance(group, pd.Series) else pd.Series(np.asarray(group, dtype=object))
    if series.ndim != 1 or series.size != n:
        raise StatisticsError(f"group has length {series.size} but time has length {n}")
    missing = int(series.isna().sum())
    if missing:
        raise StatisticsError(f"group contains {missing} missing value(s)")
    if isinstance(series.dtype, pd.CategoricalDtype):
        cat = series.cat.remove_unused_categories()
    else:
        values = series.tolist()
        try:
            levels = sorted(set(values))
        except TypeError:
            levels = sorted(set(values), key=str)
        cat = pd.Series(pd.Categorical(values, categories=levels))
    labels = list(cat.cat.categories)
    if len(labels) < 2:
        raise StatisticsError("group has only one level; the log-rank test needs two or more")
    return labels, cat.cat.codes.to_numpy(dtype=np.int64)


def logrank_test(time: Any, event: Any, group: Any) -> LogrankResult:
    """Log-rank test, as R ``survdiff(Surv(time, event) ~ group)`` (rho = 0)."""
    t, e = as_time_event(time, event)
    labels, code = _group_codes(group, t.size)
    k = len(labels)
    if e.sum() == 0:
        raise StatisticsError("there are no events; the log-rank test needs at least one")
    times, inverse = np.unique(t, return_inverse=True)
    m = times.size
    at_time = np.zeros((m, k))
    deaths = np.zeros((m, k))
    np.add.at(at_time, (inverse, code), 1.0)
    np.add.at(deaths, (inverse, code), e.astype(np.float64))
    risk = np.cumsum(at_time[::-1], axis=0)[::-1]  # n_k(t): at risk in group k at each time
    n_t = risk.sum(axis=1)
    d_t = deaths.sum(axis=1)
    share = risk / n_t[:, None]
    observed = deaths.sum(axis=0)
    expected = (d_t[:, None] * share).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_t > 1, d_t * (n_t - d_t) / (n_t - 1), 0.0)
    var = np.einsum("t,tk,kl->kl", scale, share, np.eye(k)) - np.einsum(
        "t,tk,tl->kl", scale, share, share
    )
    used = expected > 0
    df = int(used.sum()) - 1
    if df < 1:
        chisq = 0.0
    else:
        diff = (observed - expected)[used][1:]
        vv = var[np.ix_(used, used)][1:, 1:]
        try:
            chisq = float(diff @ np.linalg.solve(vv, diff))
        except np.linalg.LinAlgError as exc:
            raise StatisticsError("the log-rank variance matrix is singular") from exc
    table = pd.DataFrame(
        {
            "group": labels,
            "n": np.bincount(code, minlength=k).astype(np.int64),
            "observed": observed,
            "expected": expected,
            "variance": np.diag(var).copy(),
            "o_minus_e": observed - expected,
        }
    )
    p = float(chi2.sf(chisq, df)) if df >= 1 else float("nan")
    return LogrankResult(chisq=chisq, df=max(df, 0), p_value=p, table=table)
