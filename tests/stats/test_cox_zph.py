"""cox_zph against survival 3.5's cox.zph (tests/reference/survival_models.R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import cox_zph
from tests.stats._models_ref import FITTED, SPECS, TIME, dataset, ref

ZPH = ref("zph")
RESID = ref("zph_resid")
CASES = [
    (ds, m, t, tr)
    for ds in SPECS
    for m in ("full", "strat")
    for t in ("efron", "breslow")
    for tr in ("km", "identity", "rank", "log")
]


@pytest.mark.parametrize(("ds", "model", "ties", "transform"), CASES)
def test_table_matches_cox_zph(ds: str, model: str, ties: str, transform: str) -> None:
    predictors, strata = SPECS[ds][model]
    res = cox_zph(
        dataset(ds), TIME[ds], "status", predictors, transform=transform, ties=ties, strata=strata
    )
    sel = (ZPH.dataset == ds) & (ZPH.model == model) & (ZPH.ties == ties)
    exp = ZPH[sel & (ZPH["transform"] == transform)]
    assert list(res.table.term) == list(exp.term)
    assert list(res.table.df) == list(exp.df)
    assert_allclose(res.table.chisq, exp.chisq, rtol=FITTED)
    assert_allclose(res.table.p_value, exp.p, rtol=FITTED)


RESID_CASES = sorted(
    set(zip(RESID.dataset, RESID.model, RESID.ties, RESID["transform"], strict=True))
)


@pytest.mark.parametrize(("ds", "model", "ties", "transform"), RESID_CASES)
def test_scaled_schoenfeld_residuals_match(ds: str, model: str, ties: str, transform: str) -> None:
    predictors, strata = SPECS[ds][model]
    res = cox_zph(
        dataset(ds), TIME[ds], "status", predictors, transform=transform, ties=ties, strata=strata
    )
    sel = (RESID.dataset == ds) & (RESID.model == model) & (RESID.ties == ties)
    exp = RESID[sel & (RESID["transform"] == transform)]
    wide = exp.pivot(index="event_index", columns="term", values="y")
    first = exp[exp.term == exp.term.iloc[0]].sort_values("event_index")
    assert_allclose(res.residuals.time, first.time, rtol=1e-12)
    assert_allclose(res.residuals.x, first.x, rtol=1e-12, atol=1e-15)
    for term in wide.columns:
        assert_allclose(res.residuals[term], wide[term], rtol=FITTED, atol=1e-9)


def test_categorical_term_is_one_row_and_global_last() -> None:
    res = cox_zph(dataset("synthetic"), "time", "status", ["x1", "grp"])
    assert list(res.table.term) == ["x1", "grp", "GLOBAL"]
    assert list(res.table.df) == [1, 2, 3]
    assert res.events == len(res.residuals)
    assert list(res.residuals.columns) == ["time", "x", "stratum", "x1", "grp"]


def test_a_time_interaction_is_detected() -> None:
    rng = np.random.default_rng(4)
    n = 600
    x = rng.binomial(1, 0.5, n)
    # hazard ratio 4 early, 1/4 late: strongly non-proportional
    early = rng.exponential(1 / np.where(x == 1, 0.4, 0.1))
    late = 3 + rng.exponential(1 / np.where(x == 1, 0.05, 0.2))
    t = np.where(early < 3, early, late)
    data = pd.DataFrame({"t": t, "e": 1, "x": x, "z": rng.normal(size=n)})
    res = cox_zph(data, "t", "e", ["x", "z"]).table.set_index("term")
    assert res.loc["x", "p_value"] < 1e-6
    assert res.loc["z", "p_value"] > 1e-3


def test_bad_transform() -> None:
    with pytest.raises(StatisticsError, match="transform must be one of"):
        cox_zph(dataset("synthetic"), "time", "status", ["x1"], transform="sqrt")
