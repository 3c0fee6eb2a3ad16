"""concordance against survival::concordance (tests/reference/survival_models.R)."""

from __future__ import annotations

import time as clock

import numpy as np
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import concordance
from tests.stats._models_ref import dataset, ref

CONC = ref("concordance")
SCORES = {
    ("synthetic", "x1"): ("time", "x1"),
    ("synthetic", "grp_code"): ("time", "grp_code"),
    ("gbsg", "nodes"): ("rfstime", "nodes"),
    ("gbsg", "pgr"): ("rfstime", "pgr"),
}


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(("ds", "score"), list(SCORES))
def test_matches_survival_concordance(ds: str, score: str, reverse: bool) -> None:
    data = dataset(ds)
    if score == "grp_code":
        data = data.assign(grp_code=data.grp.map({"a": 1, "b": 2, "c": 3}))
    time_col, score_col = SCORES[(ds, score)]
    res = concordance(data[time_col], data.status, data[score_col], reverse=reverse)
    exp = CONC[(CONC.dataset == ds) & (CONC.score == score) & (CONC.reverse == reverse)].iloc[0]
    assert_allclose(res.estimate, exp.concordance, rtol=1e-12)
    assert_allclose(res.se**2, exp["var"], rtol=1e-9)
    counts = [res.concordant, res.discordant, res.tied_x, res.tied_y, res.tied_xy]
    assert counts == [exp.concordant, exp.discordant, exp.tied_x, exp.tied_y, exp.tied_xy]
    assert res.lower < res.estimate < res.upper


def test_brute_force_small() -> None:
    rng = np.random.default_rng(3)
    t = rng.integers(1, 6, 30).astype(float)
    e = rng.integers(0, 2, 30)
    x = rng.integers(0, 4, 30).astype(float)
    conc = disc = tie = 0
    for i in range(30):
        for j in range(30):
            if e[i] == 1 and (t[j] > t[i] or (t[j] == t[i] and e[j] == 0)):
                conc += x[j] > x[i]
                disc += x[j] < x[i]
                tie += x[j] == x[i]
    res = concordance(t, e, x)
    assert (res.concordant, res.discordant, res.tied_x) == (conc, disc, tie)
    assert_allclose(res.estimate, (conc + tie / 2) / (conc + disc + tie), rtol=1e-14)


def test_large_n_is_fast() -> None:
    rng = np.random.default_rng(11)
    n = 100_000
    x = rng.normal(size=n)
    t = np.round(rng.exponential(np.exp(-x)), 3) + 0.001
    e = rng.binomial(1, 0.7, n)
    start = clock.perf_counter()
    res = concordance(t, e, x, reverse=True)
    elapsed = clock.perf_counter() - start
    assert 0.6 < res.estimate < 0.8
    assert elapsed < 5.0  # typically ~0.5 s; generous for shared CI machines


def test_bad_input() -> None:
    with pytest.raises(StatisticsError, match="score has length 2"):
        concordance([1, 2, 3], [1, 0, 1], [0.1, 0.2])
    with pytest.raises(StatisticsError, match="score contains missing"):
        concordance([1, 2, 3], [1, 0, 1], [0.1, np.nan, 0.3])
    with pytest.raises(StatisticsError, match="no comparable pairs"):
        concordance([1, 2, 3], [0, 0, 0], [0.1, 0.2, 0.3])
