"""Group comparisons used by the radiogenomics units (remarkit.stats group tests, as R)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import RemarkitWarning
from remarkit.plugins.radiogenomics._common import Row, finite


class MannWhitney(Row):
    """Mann-Whitney U test of a quantity between the two score groups (R ``wilcox.test``)."""

    statistic: float = Field(description="W: R's statistic for the high group (first level)")
    p_value: float = Field(description="Two-sided p-value")
    exact: bool = Field(description="Exact p-value (else normal approximation)")
    correct: bool = Field(description="Continuity correction in the normal approximation")


def mann_whitney_groups(
    values: pd.Series,
    groups: pd.Series,
    labels: Sequence[str],
    *,
    exact: bool,
    sink: list[str],
    what: str,
) -> MannWhitney:
    """Compare ``values`` between ``labels[0]`` (high) and ``labels[1]`` (low).

    remarkit's warnings (an exact p-value asked for with ties) become named result warnings.
    """
    from remarkit.stats.group_tests import mann_whitney

    ordered = pd.Categorical(groups.to_numpy(), categories=list(labels))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RemarkitWarning)
        result = mann_whitney(values.to_numpy(dtype=np.float64), ordered, exact=exact)
    for item in caught:
        if issubclass(item.category, RemarkitWarning):
            sink.append(f"{what}: {item.message}")
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return MannWhitney(
        statistic=float(result.statistic),
        p_value=float(result.p_value),
        exact=bool(result.exact),
        correct=bool(result.correct),
    )


def fisher_groups(
    mutated: pd.Series, groups: pd.Series, labels: Sequence[str]
) -> tuple[float | None, float | None]:
    """Fisher's exact test of mutated (0/1) by group: (odds ratio, two-sided p), as R.

    A gene mutated in every patient or in none leaves a one-column table, which R's
    ``fisher.test`` rejects: (None, None).
    """
    from remarkit.stats.group_tests import fisher_exact

    status = mutated.to_numpy() > 0
    if status.all() or not status.any():
        return None, None
    group = pd.Categorical(groups.to_numpy(), categories=list(labels))
    outcome = pd.Categorical(
        np.where(status, "mutated", "wild type"), categories=["mutated", "wild type"]
    )
    result = fisher_exact(group, outcome)
    return finite(result.odds_ratio), float(result.p_value)


def bh(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg q-values (statsmodels ``fdr_bh``) over the p-values that exist."""
    from statsmodels.stats.multitest import multipletests

    known = [i for i, p in enumerate(p_values) if p is not None]
    out: list[float | None] = [None] * len(p_values)
    if known:
        q = multipletests(np.asarray([p_values[i] for i in known]), method="fdr_bh")[1]
        for i, value in zip(known, q, strict=True):
            out[i] = float(value)
    return out
