"""Table 1: a categorical row whose r x c table is too large for the exact Fisher enumeration
gets R's Monte Carlo p-value (simulate.p.value = TRUE), marked and noted, not chi-square."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import remarkit.stats._fisher_network as fisher_network
from remarkit import RemarkitWarning
from remarkit.plugins.clinical.baseline_rows import RowMeta, categorical_row
from remarkit.stats import fisher_exact


def _row_data() -> tuple[pd.Series, pd.Series]:
    counts = {("a", "g1"): 30, ("a", "g2"): 12, ("b", "g1"): 9, ("b", "g2"): 14, ("c", "g1"): 1}
    counts[("c", "g2")] = 4
    x, g = [], []
    for (level, group), k in counts.items():
        x += [level] * k
        g += [group] * k
    return (
        pd.Series(pd.Categorical(x, categories=["a", "b", "c"])),
        pd.Series(pd.Categorical(g, categories=["g1", "g2"])),
    )


def test_too_large_table_gets_the_monte_carlo_p_value(monkeypatch: pytest.MonkeyPatch) -> None:
    x, group = _row_data()
    meta = RowMeta("v", "V", "", "auto", "")
    exact = categorical_row(meta, x, group, ["g1", "g2"], fisher_below=5.0)
    assert exact.test == "fisher" and not exact.simulated and exact.note == ""
    monkeypatch.setattr(fisher_network, "MAX_ARCS", 3)
    with pytest.warns(RemarkitWarning, match="Monte Carlo"):
        row = categorical_row(meta, x, group, ["g1", "g2"], fisher_below=5.0)
        expected = fisher_exact(x, group)
    assert row.test == "fisher" and row.simulated
    assert "Monte Carlo (2000 random tables" in row.note
    assert row.p_value == expected.p_value
    assert row.p_value is not None and exact.p_value is not None
    assert abs(row.p_value - exact.p_value) < 4 * np.sqrt(exact.p_value / 2000) + 1 / 2001
