"""bootstrap_optimism_selected: the selection rule repeated inside every bootstrap replicate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit import StatisticsError
from remarkit.stats import bootstrap_optimism, bootstrap_optimism_selected


def _data(n: int = 150, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    noise = rng.normal(size=(n, 4))
    group = rng.choice(["a", "b", "c"], n)
    lp = 1.2 * x1 + 0.8 * (group == "c")
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    frame = pd.DataFrame({"y": y, "x1": x1, "group": pd.Categorical(group, ["a", "b", "c"])})
    for j in range(4):
        frame[f"n{j}"] = noise[:, j]
    return frame


CANDIDATES = ["x1", "group", "n0", "n1", "n2", "n3"]


def test_forcing_every_candidate_is_the_plain_bootstrap() -> None:
    data = _data()
    plain = bootstrap_optimism(data, "y", CANDIDATES, n_boot=40, seed=9)
    forced = bootstrap_optimism_selected(data, "y", CANDIDATES, force=CANDIDATES, n_boot=40, seed=9)
    pd.testing.assert_frame_equal(plain.table, forced.table, rtol=1e-12)
    assert forced.selected == CANDIDATES and forced.terms == plain.terms
    assert forced.frequency["share"].tolist() == [1.0] * len(CANDIDATES)


def test_repeated_selection_has_more_optimism_than_the_fixed_model() -> None:
    data = _data()
    result = bootstrap_optimism_selected(data, "y", CANDIDATES, p_threshold=0.2, n_boot=60, seed=4)
    again = bootstrap_optimism_selected(data, "y", CANDIDATES, p_threshold=0.2, n_boot=60, seed=4)
    pd.testing.assert_frame_equal(result.table, again.table)  # deterministic
    assert "x1" in result.selected
    fixed = bootstrap_optimism(data, "y", result.selected, n_boot=60, seed=4)
    auc = result.table.set_index("index").loc["auc"]
    assert auc["apparent"] == pytest.approx(fixed.table.set_index("index").loc["auc", "apparent"])
    share = result.frequency.set_index("variable")["share"]
    assert share["x1"] > 0.9 and 0.0 < share[["n0", "n1", "n2", "n3"]].max() < 1.0
    assert result.n_successful + result.n_failed == 60


def test_missing_values_are_screened_per_candidate() -> None:
    data = _data()
    data.loc[data.index[:30], "n0"] = np.nan
    result = bootstrap_optimism_selected(data, "y", CANDIDATES, force=["n0"], n_boot=20, seed=1)
    assert result.n == len(data) - 30  # the selected model's complete cases


def test_bad_arguments() -> None:
    data = _data()
    with pytest.raises(StatisticsError, match="force names non-candidate"):
        bootstrap_optimism_selected(data, "y", ["x1"], force=["n0"])
    with pytest.raises(StatisticsError, match="distinct"):
        bootstrap_optimism_selected(data, "y", ["x1", "x1"])
    with pytest.raises(StatisticsError, match="no candidate is selected"):
        bootstrap_optimism_selected(data, "y", ["n1"], p_threshold=1e-9, n_boot=5)
