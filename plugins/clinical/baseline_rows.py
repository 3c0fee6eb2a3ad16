"""Rows of Table 1: group summaries and the test per variable (continuous or categorical).

Continuous rows show mean ± SD with Welch's t-test, or median [IQR] with the Mann-Whitney U
test (normal approximation with continuity correction, as R's ``wilcox.test(exact = FALSE)``).
The ``auto`` rule picks median [IQR] when Shapiro-Wilk (R's ``shapiro.test``) rejects normality
at ``alpha`` in any group, or when a group has fewer than 3 values or a single repeated value
(normality cannot be assessed), and mean ± SD otherwise. Categorical rows show n (%) of the
patients with a value; the test is Pearson's chi-square (Yates' correction on 2 x 2 tables, as
R's ``chisq.test``) or, when any expected count is below the limit, Fisher's exact test (r x c
as R's ``fisher.test``; should an r x c table be too large to enumerate, its p-value is R's Monte
Carlo one, ``simulate.p.value = TRUE`` with 2,000 tables, with a note). Levels no included patient has are shown as 0 and left out of the test. ``group``
is a Categorical whose category order is the table's column order (first minus second).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from remarkit import StatisticsError
from remarkit.plugins.clinical.baseline_models import BaselineRow, GroupStats, Summary


@dataclass(frozen=True)
class RowMeta:
    """Identity of a row: column, label, unit, and the requested summary with its source."""

    variable: str
    label: str
    unit: str
    summary: Summary
    source: Literal["spec", "params", "auto", ""]


def _continuous_stats(x: pd.Series, normality_p: float | None = None) -> GroupStats:
    values = x.dropna().to_numpy(dtype=float)
    n = int(values.size)
    if n == 0:
        return GroupStats(n=0, missing=int(x.size))
    q1, median, q3 = (float(v) for v in np.quantile(values, [0.25, 0.5, 0.75]))
    return GroupStats(
        n=n,
        missing=int(x.size - n),
        mean=float(values.mean()),
        sd=float(values.std(ddof=1)) if n > 1 else None,
        median=median,
        q1=q1,
        q3=q3,
        normality_p=normality_p,
    )


def _shapiro_p(values: np.ndarray) -> float | None:
    """Shapiro-Wilk p, or None when it cannot be computed (n < 3 or a constant group)."""
    from scipy.stats import shapiro

    if values.size < 3 or values.min() == values.max():
        return None
    return float(shapiro(values).pvalue)


def continuous_row(
    meta: RowMeta, x: pd.Series, group: pd.Series, keys: list[str], *, alpha: float
) -> BaselineRow:
    """Summaries per group and the t or Mann-Whitney test."""
    from remarkit.stats.group_tests import mann_whitney, t_test

    parts = [x[group == k] for k in keys]
    normality: list[float | None] = [None] * len(keys)
    summary: Literal["mean", "median"]
    if meta.summary == "auto":
        normality = [_shapiro_p(p.dropna().to_numpy(dtype=float)) for p in parts]
        normal = all(p is not None and p >= alpha for p in normality)
        summary = "mean" if normal else "median"
    else:
        summary = meta.summary
    groups = [_continuous_stats(p, q) for p, q in zip(parts, normality, strict=True)]
    test: Literal["welch_t", "mann_whitney"] | None = None
    statistic = df = p_value = None
    note = ""
    try:
        if min(g.n for g in groups) < 2:
            raise StatisticsError("too few values in a group to test")
        if summary == "mean":
            t = t_test(x, group)
            test, statistic, df, p_value = "welch_t", t.statistic, t.df, t.p_value
        else:
            u = mann_whitney(x, group)
            test, statistic, p_value = "mann_whitney", u.statistic, u.p_value
    except StatisticsError as exc:
        note = str(exc)
    return BaselineRow(
        variable=meta.variable,
        label=meta.label,
        unit=meta.unit,
        type="continuous",
        summary=summary,
        summary_source=meta.source,
        levels=[],
        groups=groups,
        total=_continuous_stats(x),
        test=test,
        statistic=statistic,
        df=df,
        p_value=p_value,
        min_expected=None,
        note=note,
    )


def _counts(x: pd.Series, levels: list[str]) -> GroupStats:
    present = x.dropna().astype(str)
    counts = present.value_counts()
    return GroupStats(
        n=int(present.size),
        missing=int(x.size - present.size),
        counts=[int(counts.get(level, 0)) for level in levels],
    )


def categorical_row(
    meta: RowMeta, x: pd.Series, group: pd.Series, keys: list[str], *, fisher_below: float
) -> BaselineRow:
    """n per level and group; chi-square, or Fisher when an expected count is small."""
    from remarkit.stats.group_tests import chi_square, fisher_exact

    levels = [str(c) for c in x.cat.categories]
    groups = [_counts(x[group == k], levels) for k in keys]
    used = [lvl for i, lvl in enumerate(levels) if sum(g.counts[i] for g in groups) > 0]
    test: Literal["chi_square", "fisher"] | None = None
    statistic = df = p_value = min_expected = None
    note = ""
    simulated = False
    if len(used) < 2:
        note = f"a single level ({', '.join(used) or 'none'}) among the included patients"
    elif min(g.n for g in groups) == 0:
        note = "a group has no values"
    else:
        chi = chi_square(x, group)
        min_expected = chi.min_expected
        test, statistic, df, p_value = "chi_square", chi.statistic, float(chi.df), chi.p_value
        if min_expected < fisher_below:
            try:
                test, statistic, df = "fisher", None, None
                fisher = fisher_exact(x, group)
                p_value, simulated = fisher.p_value, fisher.simulated
                if simulated:
                    note = (
                        f"Fisher's p-value by Monte Carlo ({fisher.replicates} random tables, "
                        "seeded): the table is too large to enumerate exactly"
                    )
            except StatisticsError as exc:
                test, statistic, df, p_value = (
                    "chi_square",
                    chi.statistic,
                    float(chi.df),
                    chi.p_value,
                )
                note = f"Fisher's exact test not computable ({exc}); chi-square shown"
    return BaselineRow(
        variable=meta.variable,
        label=meta.label,
        unit=meta.unit,
        type="categorical",
        summary=None,
        summary_source="",
        levels=levels,
        groups=groups,
        total=_counts(x, levels),
        test=test,
        statistic=statistic,
        df=df,
        p_value=p_value,
        min_expected=min_expected,
        note=note,
        simulated=simulated,
    )
