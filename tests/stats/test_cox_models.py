"""Cox with Efron/Breslow ties and strata, and the nested LR test, against R's coxph."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import CoxResult, cox_lr_test, cox_regression
from tests.stats._models_ref import FITTED, SPECS, TIME, dataset, r_term, ref

TERMS = ref("cox_terms")
FITS = ref("cox_fit")
LR = ref("cox_lr")
CASES = [(ds, m, t) for ds in SPECS for m in SPECS[ds] for t in ("efron", "breslow")]


def _fit(ds: str, model: str, ties: str) -> CoxResult:
    predictors, strata = SPECS[ds][model]
    return cox_regression(dataset(ds), TIME[ds], "status", predictors, ties=ties, strata=strata)


@pytest.mark.parametrize(("ds", "model", "ties"), CASES)
def test_coefficients_match_coxph(ds: str, model: str, ties: str) -> None:
    res = _fit(ds, model, ties)
    exp = TERMS[(TERMS.dataset == ds) & (TERMS.model == model) & (TERMS.ties == ties)]
    assert [r_term(t) for t in res.table.term] == list(exp.term)
    for ours, theirs in [("coef", "coef"), ("se", "se"), ("z", "z"), ("p_value", "p")]:
        assert_allclose(res.table[ours], exp[theirs], rtol=FITTED, atol=1e-300)
    assert_allclose(res.table["mean"], exp["mean"], rtol=1e-12)


@pytest.mark.parametrize(("ds", "model", "ties"), CASES)
def test_global_tests_match_coxph(ds: str, model: str, ties: str) -> None:
    res = _fit(ds, model, ties)
    exp = FITS[(FITS.dataset == ds) & (FITS.model == model) & (FITS.ties == ties)].iloc[0]
    assert (res.n, res.events, res.df) == (exp.n, exp.events, exp.lr_df)
    ours = [res.loglik_null, res.loglik, res.lr_chisq, res.wald_chisq, res.score_chisq]
    theirs = [exp.loglik_null, exp.loglik, exp.lr_chisq, exp.wald_chisq, exp.score_chisq]
    assert_allclose(ours, theirs, rtol=FITTED)
    ours_p = [res.lr_p_value, res.wald_p_value, res.score_p_value]
    assert_allclose(ours_p, [exp.lr_p, exp.wald_p, exp.score_p], rtol=FITTED, atol=1e-300)
    assert_allclose(res.concordance, exp.concordance, rtol=1e-12)


@pytest.mark.parametrize(("ds", "ties"), [(ds, t) for ds in SPECS for t in ("efron", "breslow")])
@pytest.mark.parametrize(("full", "reduced"), [("full", "reduced"), ("strat", "strat_reduced")])
def test_lr_test_matches_anova(ds: str, ties: str, full: str, reduced: str) -> None:
    res = cox_lr_test(_fit(ds, full, ties), _fit(ds, reduced, ties))
    exp = LR[(LR.dataset == ds) & (LR.full == full) & (LR.ties == ties)].iloc[0]
    assert res.df == exp.df
    assert_allclose([res.chisq, res.p_value], [exp.chisq, exp.p], rtol=FITTED)
    assert res.added_terms == ["x1"] if ds == "synthetic" else ["pgr"]


def test_lr_test_refuses_models_that_are_not_comparable() -> None:
    data = dataset("synthetic")
    full = cox_regression(data, "time", "status", ["x1", "x2"])
    reduced = cox_regression(data, "time", "status", ["x2"])
    fewer = cox_regression(data.iloc[:-5], "time", "status", ["x2"])
    with pytest.raises(StatisticsError, match="same subjects: full has n=400"):
        cox_lr_test(full, fewer)
    with pytest.raises(StatisticsError, match="not nested"):
        cox_lr_test(full, cox_regression(data, "time", "status", ["grp"]))
    with pytest.raises(StatisticsError, match="more terms"):
        cox_lr_test(reduced, reduced)
    with pytest.raises(StatisticsError, match="same strata and ties"):
        cox_lr_test(full, cox_regression(data, "time", "status", ["x2"], ties="breslow"))


def test_bad_ties_and_strata() -> None:
    data = dataset("synthetic")
    with pytest.raises(StatisticsError, match="ties must be"):
        cox_regression(data, "time", "status", ["x1"], ties="exact")
    with pytest.raises(StatisticsError, match="also in the model"):
        cox_regression(data, "time", "status", ["x1", "centre"], strata=["centre"])
    with pytest.raises(StatisticsError, match="no column"):
        cox_regression(data, "time", "status", ["x1"], strata=["site"])
    bad = data.assign(centre=data.centre.where(data.index != 3, None))
    with pytest.raises(StatisticsError, match="'centre' contains 1 missing"):
        cox_regression(bad, "time", "status", ["x1"], strata="centre")


def test_covariance_and_strata_fields() -> None:
    res = _fit("synthetic", "strat", "efron")
    assert res.strata == ["centre"]
    assert res.stratum_levels == ["centre=north", "centre=south", "centre=west"]
    assert list(res.covariance.index) == list(res.table.term)
    assert_allclose(np.sqrt(np.diag(res.covariance)), res.table.se, rtol=1e-12)
    assert isinstance(res.baseline, pd.DataFrame)


BASE = ref("basehaz")


@pytest.mark.parametrize(("ds", "model", "ties"), [c for c in CASES if c[1] in ("full", "strat")])
def test_baseline_hazard_matches_survfit(ds: str, model: str, ties: str) -> None:
    res = _fit(ds, model, ties)
    exp = BASE[(BASE.dataset == ds) & (BASE.model == model) & (BASE.ties == ties)]
    ours = res.baseline
    # survfit drops the 'name=' prefix when there is one stratifying variable
    assert [s.removeprefix("centre=") for s in ours.stratum] == list(exp.stratum)
    assert_allclose(ours.time, exp.time, rtol=1e-12)
    assert list(ours.n_risk) == list(exp.n_risk)
    assert list(ours.n_event) == list(exp.n_event)
    assert_allclose(ours.cumhaz, exp.cumhaz, rtol=FITTED)
