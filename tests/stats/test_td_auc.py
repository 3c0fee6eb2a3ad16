"""time_dependent_auc against its definition in R (survival_models.R) and scikit-survival."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import time_dependent_auc
from tests.stats._models_ref import dataset, ref

AUC = ref("td_auc")
SETS = {"synthetic": ("time", [5.0, 10.0, 20.0]), "gbsg": ("rfstime", [365.0, 730.0, 1825.0])}


@pytest.mark.parametrize(
    ("ds", "score"),
    [("synthetic", "x1"), ("synthetic", "grp_code"), ("gbsg", "nodes"), ("gbsg", "pgr")],
)
def test_matches_r_definition_and_bootstrap(ds: str, score: str) -> None:
    data = dataset(ds)
    if score == "grp_code":
        data = data.assign(grp_code=data.grp.map({"a": 1, "b": 2, "c": 3}))
    time_col, horizons = SETS[ds]
    # the same 30 replicates as tests/reference/survival_models_boot_idx.py wrote for R
    res = time_dependent_auc(data[time_col], data.status, data[score], horizons, n_boot=30, seed=7)
    exp = AUC[(AUC.dataset == ds) & (AUC.score == score)].reset_index(drop=True)
    tab = res.table
    assert_allclose(tab.time, exp.time)
    assert_allclose(tab.auc, exp.auc, rtol=1e-12)
    assert_allclose(tab.se, exp.boot_se, rtol=1e-9)
    assert_allclose(tab.lower, exp.boot_lower, rtol=1e-9)
    assert_allclose(tab.upper, exp.boot_upper, rtol=1e-9)
    assert list(tab.boot_used) == list(exp.boot_used)
    assert list(tab.cases) == list(exp.cases)
    assert list(tab.controls) == list(exp.controls)
    assert res.se_method == "bootstrap"


def test_matches_scikit_survival_without_ties() -> None:
    sksurv_metrics = pytest.importorskip("sksurv.metrics", reason="scikit-survival not installed")
    rng = np.random.default_rng(5)
    n = 300
    score = rng.normal(size=n)
    t_event = rng.exponential(np.exp(-0.8 * score))
    t_cens = rng.exponential(1.5, n)
    time = np.minimum(t_event, t_cens)
    event = t_event <= t_cens
    horizons = np.quantile(time[event], [0.2, 0.5, 0.8])
    y = np.array(list(zip(event, time, strict=True)), dtype=[("e", bool), ("t", float)])
    theirs, _ = sksurv_metrics.cumulative_dynamic_auc(y, y, score, horizons)
    ours = time_dependent_auc(time, event.astype(int), score, horizons, n_boot=2).table.auc
    assert_allclose(ours, theirs, rtol=1e-10)


def test_deterministic_and_seed_dependent() -> None:
    data = dataset("synthetic")
    a = time_dependent_auc(data.time, data.status, data.x1, [10.0], n_boot=20)
    b = time_dependent_auc(data.time, data.status, data.x1, [10.0], n_boot=20)
    c = time_dependent_auc(data.time, data.status, data.x1, [10.0], n_boot=20, seed=1)
    assert a.table.equals(b.table)
    assert a.table.se.iloc[0] != c.table.se.iloc[0]
    assert a.table.auc.iloc[0] == c.table.auc.iloc[0]


def test_uncensored_data_is_the_mann_whitney_auc() -> None:
    time = np.array([1.0, 2, 3, 4, 5, 6])
    score = np.array([5.0, 6, 2, 3, 1, 3])
    res = time_dependent_auc(time, np.ones(6), score, [2.5], n_boot=5)
    # cases {5, 6} vs controls {2, 3, 1, 3}: every pair concordant
    assert res.table.auc.iloc[0] == 1.0


@pytest.mark.parametrize(
    ("times", "kwargs", "message"),
    [
        ([0.25], {}, "no events at or before time 0.25"),
        ([1000.0], {}, "nobody is followed beyond time 1000"),
        ([np.nan], {}, "times contains missing"),
        ([10.0], {"n_boot": 1}, "n_boot must be at least 2"),
    ],
)
def test_bad_input(times: list[float], kwargs: dict[str, int], message: str) -> None:
    data = dataset("synthetic")
    with pytest.raises(StatisticsError, match=message):
        time_dependent_auc(data.time, data.status, data.x1, times, **kwargs)


def test_score_length_checked() -> None:
    with pytest.raises(StatisticsError, match="score has length 2"):
        time_dependent_auc([1.0, 2.0, 3.0], [1, 0, 1], [0.1, 0.2], [1.5])
