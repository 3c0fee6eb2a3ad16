"""Two- and k-group comparisons as R's ``t.test``, ``wilcox.test``, ``kruskal.test``,
``chisq.test`` and ``fisher.test``.

Groups are ordered as R's ``factor()`` orders them: the categories of a pandas Categorical
(unused ones dropped), else the sorted distinct labels. Two-group statistics compare the first
group with the second (difference = first - second; W counts the first group), as
``t.test(x ~ group)`` does. Rows with a missing value are dropped and counted in ``n_missing``
(R's formula interface drops them too); pass ``missing="raise"`` to reject them instead.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2, norm, rankdata
from scipy.stats import t as student_t

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._contingency import ChiSquareResult, FisherResult, chi_square, fisher_exact
from remarkit.stats._group_input import Missing, as_grouped, check_level
from remarkit.stats._wilcoxon_exact import wilcoxon_exact_p

__all__ = [
    "ChiSquareResult",
    "FisherResult",
    "KruskalWallisResult",
    "MannWhitneyResult",
    "TTestResult",
    "chi_square",
    "fisher_exact",
    "kruskal_wallis",
    "mann_whitney",
    "t_test",
]

_EPS = float(np.finfo(np.float64).eps)


class TTestResult(StatResult):
    """Two-sample t-test of the first group against the second (R ``t.test(x ~ group)``)."""

    kind: Literal["t_test"] = Field("t_test", description="Result type tag.")
    method: str = Field(description="'Welch two-sample t-test' or 'Two-sample t-test'.")
    group1: str = Field(description="Label of the first group (first factor level).")
    group2: str = Field(description="Label of the second group.")
    n1: int = Field(description="Observations in group 1.")
    n2: int = Field(description="Observations in group 2.")
    mean1: float = Field(description="Mean of group 1.")
    mean2: float = Field(description="Mean of group 2.")
    sd1: float = Field(description="Standard deviation of group 1 (n - 1; NaN if n1 = 1).")
    sd2: float = Field(description="Standard deviation of group 2 (n - 1; NaN if n2 = 1).")
    difference: float = Field(description="mean1 - mean2.")
    lower: float = Field(description="Lower confidence limit of the difference.")
    upper: float = Field(description="Upper confidence limit of the difference.")
    level: float = Field(description="Confidence level of the interval.")
    statistic: float = Field(description="t statistic.")
    df: float = Field(description="Degrees of freedom (Welch-Satterthwaite unless equal_var).")
    p_value: float = Field(description="Two-sided p-value.")
    n_missing: int = Field(description="Rows dropped for a missing value.")


class MannWhitneyResult(StatResult):
    """Wilcoxon rank-sum (Mann-Whitney) test, as R ``wilcox.test(x ~ group)``."""

    kind: Literal["mann_whitney"] = Field("mann_whitney", description="Result type tag.")
    method: str = Field(description="How the p-value was computed (exact or normal approx.).")
    group1: str = Field(description="Label of the first group (first factor level).")
    group2: str = Field(description="Label of the second group.")
    n1: int = Field(description="Observations in group 1.")
    n2: int = Field(description="Observations in group 2.")
    median1: float = Field(description="Median of group 1.")
    median2: float = Field(description="Median of group 2.")
    statistic: float = Field(
        description="W: rank sum of group 1 minus n1 (n1 + 1) / 2 (average ranks for ties)."
    )
    z: float = Field(description="Normal deviate of the approximation (NaN if exact).")
    p_value: float = Field(description="Two-sided p-value.")
    exact: bool = Field(description="True if the p-value is exact (no ties).")
    correct: bool = Field(description="True if a continuity correction was applied.")
    n_missing: int = Field(description="Rows dropped for a missing value.")


class KruskalWallisResult(StatResult):
    """Kruskal-Wallis rank-sum test, as R ``kruskal.test(x, group)``."""

    kind: Literal["kruskal_wallis"] = Field("kruskal_wallis", description="Result type tag.")
    statistic: float = Field(description="Kruskal-Wallis chi-squared, corrected for ties.")
    df: int = Field(description="Degrees of freedom: number of groups - 1.")
    p_value: float = Field(description="Upper-tail chi-square p-value.")
    n: int = Field(description="Observations used.")
    groups: pd.DataFrame = Field(
        description="One row per group in factor order: group, n, median, mean_rank."
    )
    n_missing: int = Field(description="Rows dropped for a missing value.")


#: Largest magnitude t_test takes: the variances of larger values overflow in float64.
MAX_ABS = 1e50


def _sd(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1)) if values.size > 1 else float("nan")


def t_test(
    x: Any,
    group: Any,
    *,
    equal_var: bool = False,
    level: float = 0.95,
    missing: Missing = "drop",
) -> TTestResult:
    """Welch (default) or Student two-sample t-test, as R ``t.test(x ~ group, var.equal=)``.

    The difference and its CI are first group minus second, groups in factor order. Values
    beyond ``MAX_ABS`` (1e50) in magnitude, whose variances overflow, raise StatisticsError.
    """
    lev = check_level(level)
    data = as_grouped(x, group, missing=missing, what="t_test", groups=2)
    xs, ys = data.samples
    if max(np.abs(xs).max(initial=0.0), np.abs(ys).max(initial=0.0)) > MAX_ABS:
        raise StatisticsError(
            f"x has values beyond {MAX_ABS:g} in magnitude: the variances overflow"
        )
    nx, ny = xs.size, ys.size
    for n, label in ((nx, data.labels[0]), (ny, data.labels[1])):
        if n < 1 or (not equal_var and n < 2):
            raise StatisticsError(f"not enough observations in group {label!r} for a t-test")
    mx, my = float(np.mean(xs)), float(np.mean(ys))
    vx = float(np.var(xs, ddof=1)) if nx > 1 else 0.0
    vy = float(np.var(ys, ddof=1)) if ny > 1 else 0.0
    if equal_var:
        df = float(nx + ny - 2)
        if df < 1:
            raise StatisticsError("not enough observations for a t-test")
        pooled = ((nx - 1) * vx + (ny - 1) * vy) / df
        stderr = float(np.sqrt(pooled * (1.0 / nx + 1.0 / ny)))
    else:
        sex2, sey2 = vx / nx, vy / ny
        stderr = float(np.sqrt(sex2 + sey2))
        df = stderr**4 / (sex2**2 / (nx - 1) + sey2**2 / (ny - 1)) if stderr > 0 else float("nan")
    if stderr < 10 * _EPS * max(abs(mx), abs(my)) or stderr == 0:
        raise StatisticsError("x is essentially constant within groups; t-test is undefined")
    stat = (mx - my) / stderr
    quant = float(student_t.ppf(1.0 - (1.0 - lev) / 2.0, df))
    return TTestResult(
        method="Two-sample t-test" if equal_var else "Welch two-sample t-test",
        group1=data.labels[0],
        group2=data.labels[1],
        n1=nx,
        n2=ny,
        mean1=mx,
        mean2=my,
        sd1=_sd(xs),
        sd2=_sd(ys),
        difference=mx - my,
        lower=(stat - quant) * stderr,
        upper=(stat + quant) * stderr,
        level=lev,
        statistic=stat,
        df=df,
        p_value=float(2.0 * student_t.sf(abs(stat), df)),
        n_missing=data.n_missing,
    )


def mann_whitney(
    x: Any,
    group: Any,
    *,
    exact: bool = False,
    correct: bool = True,
    missing: Missing = "drop",
) -> MannWhitneyResult:
    """Wilcoxon rank-sum test of the first group against the second, as R ``wilcox.test``.

    Default: normal approximation with tie correction and (``correct=True``) continuity
    correction, as ``wilcox.test(exact = FALSE)``. ``exact=True`` gives R's exact p-value
    (``pwilcox``); with ties that is impossible, so, like R, it warns (RemarkitWarning) and
    falls back to the normal approximation.
    """
    data = as_grouped(x, group, missing=missing, what="mann_whitney", groups=2)
    xs, ys = data.samples
    nx, ny = xs.size, ys.size
    pooled = np.concatenate([xs, ys])
    ranks = rankdata(pooled)
    w = float(np.sum(ranks[:nx]) - nx * (nx + 1) / 2.0)
    _, tie_sizes = np.unique(pooled, return_counts=True)
    has_ties = bool((tie_sizes > 1).any())
    if exact and has_ties:
        warnings.warn(
            "mann_whitney: cannot compute an exact p-value with ties; "
            "using the normal approximation",
            RemarkitWarning,
            stacklevel=2,
        )
    if exact and not has_ties:
        z, p = float("nan"), wilcoxon_exact_p(w, nx, ny)
        method, used_correct = "Wilcoxon rank-sum exact test", False
    else:
        ties = float(np.sum(tie_sizes.astype(float) ** 3 - tie_sizes))
        n = nx + ny
        sigma = float(np.sqrt((nx * ny / 12.0) * ((n + 1) - ties / (n * (n - 1)))))
        if sigma == 0:
            raise StatisticsError("all values of x are tied; the Wilcoxon test is undefined")
        centred = w - nx * ny / 2.0
        shift = float(np.sign(centred)) * 0.5 if correct else 0.0
        z = (centred - shift) / sigma
        p = float(2.0 * min(norm.cdf(z), norm.sf(z)))
        method = "Wilcoxon rank-sum test, normal approximation" + (
            " with continuity correction" if correct else ""
        )
        used_correct = correct
    return MannWhitneyResult(
        method=method,
        group1=data.labels[0],
        group2=data.labels[1],
        n1=nx,
        n2=ny,
        median1=float(np.median(xs)),
        median2=float(np.median(ys)),
        statistic=w,
        z=z,
        p_value=p,
        exact=bool(exact and not has_ties),
        correct=used_correct,
        n_missing=data.n_missing,
    )


def kruskal_wallis(x: Any, group: Any, *, missing: Missing = "drop") -> KruskalWallisResult:
    """Kruskal-Wallis rank-sum test with tie correction, as R ``kruskal.test(x, group)``."""
    data = as_grouped(x, group, missing=missing, what="kruskal_wallis")
    pooled = np.concatenate(data.samples)
    n = pooled.size
    if n < 2:
        raise StatisticsError("kruskal_wallis needs at least 2 observations")
    ranks = rankdata(pooled)
    bounds = np.cumsum([0] + [s.size for s in data.samples])
    rank_sums = np.array([ranks[a:b].sum() for a, b in itertools.pairwise(bounds)])
    sizes = np.diff(bounds).astype(float)
    _, tie_sizes = np.unique(pooled, return_counts=True)
    ties = float(np.sum(tie_sizes.astype(float) ** 3 - tie_sizes))
    denominator = 1.0 - ties / (float(n) ** 3 - n)
    if denominator == 0:
        raise StatisticsError("all values of x are tied; the Kruskal-Wallis test is undefined")
    stat = (12.0 * np.sum(rank_sums**2 / sizes) / (n * (n + 1)) - 3.0 * (n + 1)) / denominator
    df = len(data.samples) - 1
    groups = pd.DataFrame(
        {
            "group": data.labels,
            "n": sizes.astype(int),
            "median": [float(np.median(s)) for s in data.samples],
            "mean_rank": rank_sums / sizes,
        }
    )
    return KruskalWallisResult(
        statistic=float(stat),
        df=df,
        p_value=float(chi2.sf(stat, df)),
        n=int(n),
        groups=groups,
        n_missing=data.n_missing,
    )
