"""Rubin's rules for estimates from multiply imputed data sets, as R ``mice::pool``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import t as t_dist

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._group_input import check_level

__all__ = ["PooledResult", "pool_rubin"]


class PooledResult(StatResult):
    """Pooled estimates (Rubin 1987) with Barnard-Rubin degrees of freedom, as mice::pool."""

    kind: Literal["pool_rubin"] = Field("pool_rubin", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per parameter: term, estimate (mean of the m estimates), ubar "
        "(within-imputation variance), b (between-imputation variance), t (total variance "
        "ubar + (1 + 1/m) b), se (sqrt(t)), dfcom (complete-data df), df (Barnard-Rubin 1999), "
        "riv (relative increase in variance), lambda (proportion of variance due to the "
        "missing data), fmi (fraction of missing information), statistic (estimate / se), "
        "p_value (two-sided, t on df), lower and upper (t-based CI)."
    )
    m: int = Field(description="Number of imputed data sets pooled.")
    level: float = Field(description="Confidence level of the intervals.")


def _as_matrix(values: Any, what: str) -> tuple[np.ndarray, list[str] | None]:
    names = [str(c) for c in values.columns] if isinstance(values, pd.DataFrame) else None
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise StatisticsError(f"{what} must be one value or one row of values per imputation")
    if not np.isfinite(arr).all():
        raise StatisticsError(f"{what} contain missing or infinite values")
    return arr, names


def barnard_rubin_df(m: int, b: np.ndarray, t: np.ndarray, dfcom: float) -> np.ndarray:
    """Barnard & Rubin (1999) small-sample degrees of freedom, as mice's ``barnard.rubin``.

    ``lambda`` is floored at 1e-4 as mice does; an infinite ``dfcom`` gives Rubin's (1987)
    ``(m - 1) / lambda^2``.
    """
    lam = np.maximum((1.0 + 1.0 / m) * b / t, 1e-4)
    dfold = (m - 1) / lam**2
    if math.isinf(dfcom):
        return dfold
    dfobs = (dfcom + 1.0) / (dfcom + 3.0) * dfcom * (1.0 - lam)
    return dfold * dfobs / (dfold + dfobs)


def pool_rubin(
    estimates: Any,
    variances: Any,
    *,
    df_complete: float | None = None,
    level: float = 0.95,
    terms: Sequence[str] | None = None,
) -> PooledResult:
    """Pool ``m`` estimates and their variances by Rubin's rules, as ``mice::pool``.

    ``estimates`` and ``variances`` (squared standard errors) are m x k array-likes (or length-m
    vectors for one parameter); DataFrame columns name the terms, else ``terms`` does.
    ``df_complete`` is the complete-data degrees of freedom (``mice`` takes ``df.residual``, n -
    p, for a glm and events - p for a Cox model); None means infinite (Rubin's 1987 df). The
    CI is ``estimate +- qt(1 - alpha/2, df) * se`` and the p-value is two-sided on ``df``, as
    ``summary(pool(fit), conf.int = TRUE)``; ``fmi = (riv + 2 / (df + 3)) / (riv + 1)``.
    """
    q, names = _as_matrix(estimates, "estimates")
    u, _ = _as_matrix(variances, "variances")
    if q.shape != u.shape:
        raise StatisticsError(f"estimates {q.shape} and variances {u.shape} differ in shape")
    m, k = q.shape
    if m < 2:
        raise StatisticsError(f"pooling needs at least 2 imputed data sets, got {m}")
    if (u < 0).any():
        raise StatisticsError("variances must not be negative")
    lev = check_level(level)
    dfcom = math.inf if df_complete is None else float(df_complete)
    if not dfcom > 0:
        raise StatisticsError(f"df_complete must be positive, got {df_complete}")
    if terms is not None:
        names = [str(t) for t in terms]
    if names is None:
        names = [f"theta{j + 1}" for j in range(k)]
    if len(names) != k:
        raise StatisticsError(f"{len(names)} term names for {k} parameters")
    qbar = q.mean(axis=0)
    ubar = u.mean(axis=0)
    b = q.var(axis=0, ddof=1)
    t = ubar + (1.0 + 1.0 / m) * b
    df = barnard_rubin_df(m, b, t, dfcom)
    with np.errstate(divide="ignore", invalid="ignore"):
        riv = (1.0 + 1.0 / m) * b / ubar
        lam = (1.0 + 1.0 / m) * b / t
        fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0)
        se = np.sqrt(t)
        stat = qbar / se
    p = 2.0 * t_dist.sf(np.abs(stat), np.maximum(df, 0.001))
    half = t_dist.ppf(1.0 - (1.0 - lev) / 2.0, df) * se
    table = pd.DataFrame(
        {
            "term": names,
            "estimate": qbar,
            "ubar": ubar,
            "b": b,
            "t": t,
            "se": se,
            "dfcom": dfcom,
            "df": df,
            "riv": riv,
            "lambda": lam,
            "fmi": fmi,
            "statistic": stat,
            "p_value": p,
            "lower": qbar - half,
            "upper": qbar + half,
        }
    )
    return PooledResult(table=table, m=m, level=lev)
