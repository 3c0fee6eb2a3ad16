"""Tests of association between two categorical vectors: R ``chisq.test`` and ``fisher.test``."""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._fisher_2x2 import fisher_2x2
from remarkit.stats._fisher_mc import DEFAULT_REPLICATES, fisher_mc_pvalue
from remarkit.stats._fisher_network import FisherTooLargeError
from remarkit.stats._fisher_rxc import fisher_rxc_pvalue
from remarkit.stats._group_input import Missing, as_cross_table, check_level


class ChiSquareResult(StatResult):
    """Pearson chi-square test of independence, as R ``chisq.test(a, b)``."""

    kind: Literal["chi_square"] = Field("chi_square", description="Result type tag.")
    method: str = Field(description="'Pearson chi-square', with Yates' correction if applied.")
    statistic: float = Field(description="Pearson chi-square statistic.")
    df: int = Field(description="Degrees of freedom: (rows - 1)(columns - 1).")
    p_value: float = Field(description="Upper-tail chi-square p-value.")
    yates: float = Field(
        description="Continuity correction subtracted from each |O - E|: min(0.5, min |O - E|) "
        "for a 2 x 2 table with correct=True (as R), else 0."
    )
    observed: pd.DataFrame = Field(description="Observed counts: rows = levels of a, cols of b.")
    expected: pd.DataFrame = Field(description="Expected counts under independence.")
    min_expected: float = Field(description="Smallest expected count.")
    n_expected_below_5: int = Field(description="Number of cells with an expected count < 5.")
    expected_below_5: bool = Field(
        description="True if any expected count is < 5 (R warns that the approximation may be "
        "incorrect; Fisher's exact test is the usual alternative)."
    )
    n: int = Field(description="Observations in the table.")
    n_missing: int = Field(description="Rows dropped for a missing value.")


class FisherResult(StatResult):
    """Fisher's exact test of independence, as R ``fisher.test(a, b)``."""

    kind: Literal["fisher_exact"] = Field("fisher_exact", description="Result type tag.")
    method: str = Field(
        description="'2 x 2 conditional MLE', 'r x c network algorithm' or, for an r x c table "
        "too large to enumerate, 'r x c Monte Carlo (B tables)'."
    )
    p_value: float = Field(description="Two-sided p-value (exact, or Monte Carlo if simulated).")
    odds_ratio: float | None = Field(
        description="2 x 2 only: conditional MLE of the odds ratio (a's first level vs second, "
        "for b's first level); 0 or inf when a cell on the diagonal bounds is empty."
    )
    lower: float | None = Field(description="2 x 2 only: lower exact confidence limit of the OR.")
    upper: float | None = Field(description="2 x 2 only: upper exact confidence limit of the OR.")
    level: float = Field(description="Confidence level of the OR interval.")
    observed: pd.DataFrame = Field(description="Observed counts: rows = levels of a, cols of b.")
    n: int = Field(description="Observations in the table.")
    n_missing: int = Field(description="Rows dropped for a missing value.")
    simulated: bool = Field(
        default=False,
        description="True if the table was too large to enumerate and the p-value is R's "
        "Monte Carlo one (fisher.test(simulate.p.value = TRUE, B = replicates)).",
    )
    replicates: int | None = Field(
        default=None, description="Random tables drawn for a Monte Carlo p-value (else None)."
    )
    seed: int | None = Field(
        default=None, description="Seed of the Monte Carlo generator (else None)."
    )


def chi_square(
    a: Any, b: Any, *, correct: bool = True, missing: Missing = "drop"
) -> ChiSquareResult:
    """Pearson chi-square test of the table of ``a`` by ``b``, as R ``chisq.test(a, b)``.

    Yates' correction applies to 2 x 2 tables only (``correct=True``), in R's form
    ``min(0.5, |O - E|)``. No warning is raised for small expected counts; the result carries
    ``min_expected`` and ``expected_below_5`` so callers can switch to :func:`fisher_exact`.
    """
    table = as_cross_table(a, b, missing=missing, what="chi_square")
    observed = table.counts.astype(np.float64)
    n = float(observed.sum())
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / n
    deviation = np.abs(observed - expected)
    yates = min(0.5, float(deviation.min())) if correct and observed.shape == (2, 2) else 0.0
    stat = float(np.sum((deviation - yates) ** 2 / expected))
    df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    return ChiSquareResult(
        method="Pearson chi-square" + (" with Yates' continuity correction" if yates > 0 else ""),
        statistic=stat,
        df=df,
        p_value=float(chi2.sf(stat, df)),
        yates=yates,
        observed=table.frame(table.counts),
        expected=table.frame(expected),
        min_expected=float(expected.min()),
        n_expected_below_5=int((expected < 5).sum()),
        expected_below_5=bool((expected < 5).any()),
        n=int(n),
        n_missing=table.n_missing,
    )


def fisher_exact(
    a: Any,
    b: Any,
    *,
    level: float = 0.95,
    missing: Missing = "drop",
    fallback: Literal["monte_carlo", "error"] = "monte_carlo",
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> FisherResult:
    """Fisher's exact test of the table of ``a`` by ``b``, as R ``fisher.test(a, b)``.

    2 x 2: p-value, conditional MLE odds ratio and exact CI as R (roots solved to machine
    precision; R's ``uniroot`` stops at ~1e-4). r x c: exact p-value by a network algorithm, the
    sum of the probabilities of all tables with the observed margins that are no more likely
    than the observed one (R's FEXACT rule and tolerance).

    An r x c table too large to enumerate (see ``fisher_rxc_pvalue``: a node bound checked
    before any work, then the network and work limits, where R fails with a workspace error)
    gets, with ``fallback="monte_carlo"`` (default), R's Monte Carlo p-value
    (``simulate.p.value = TRUE``) from ``replicates`` random tables drawn with
    ``numpy.random.default_rng(seed)``, and a RemarkitWarning; ``fallback="error"`` raises
    StatisticsError instead.
    """
    lev = check_level(level)
    if fallback not in ("monte_carlo", "error"):
        raise StatisticsError(f"fallback must be 'monte_carlo' or 'error', got {fallback!r}")
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
        raise StatisticsError(f"replicates must be a positive integer, got {replicates!r}")
    table = as_cross_table(a, b, missing=missing, what="fisher_exact")
    counts = table.counts
    if counts.shape == (2, 2):
        p, estimate, lower, upper = fisher_2x2(counts, lev)
        method = "2 x 2 conditional MLE"
        return FisherResult(
            method=method,
            p_value=p,
            odds_ratio=estimate,
            lower=lower,
            upper=upper,
            level=lev,
            observed=table.frame(counts),
            n=int(counts.sum()),
            n_missing=table.n_missing,
        )
    simulated = False
    try:
        p_value = fisher_rxc_pvalue(counts)
    except FisherTooLargeError as exc:
        if fallback == "error":
            raise
        simulated = True
        p_value = fisher_mc_pvalue(counts, replicates=replicates, seed=seed)
        warnings.warn(
            f"{exc}; Monte Carlo p-value from {replicates} random tables with the observed "
            f"margins (seed {seed}), as R's fisher.test(simulate.p.value = TRUE)",
            RemarkitWarning,
            stacklevel=2,
        )
    return FisherResult(
        method=f"r x c Monte Carlo ({replicates} tables)"
        if simulated
        else "r x c network algorithm",
        p_value=p_value,
        odds_ratio=None,
        lower=None,
        upper=None,
        level=lev,
        observed=table.frame(counts),
        n=int(counts.sum()),
        n_missing=table.n_missing,
        simulated=simulated,
        replicates=replicates if simulated else None,
        seed=seed if simulated else None,
    )
