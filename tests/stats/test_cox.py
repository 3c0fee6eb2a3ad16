"""Cox regression (Efron ties) against R's coxph (tests/reference/survival_stats.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats.cox import cox_regression

REF = Path(__file__).resolve().parent.parent / "reference"
FITTED = 1e-6
SURV = pd.read_csv(REF / "survival_data.csv", float_precision="round_trip")
TERMS = pd.read_csv(REF / "survival_cox_terms.csv", float_precision="round_trip")
FITS = pd.read_csv(REF / "survival_cox_fit.csv", float_precision="round_trip")
MODELS = {
    "full": ["marker", "stage", "group"],
    "marker": ["marker"],
    "stage_only": ["stage"],
}
R_NAMES = {
    "stage[II]": "stageII",
    "stage[III]": "stageIII",
    "group[B]": "groupB",
    "group[C]": "groupC",
}


@pytest.mark.parametrize("model", list(MODELS))
def test_cox_terms_match_coxph(model: str) -> None:
    res = cox_regression(SURV, "time", "event", MODELS[model])
    exp = TERMS[TERMS.model == model].reset_index(drop=True)
    assert [R_NAMES.get(t, t) for t in res.table.term] == list(exp.term)
    pairs = [("coef", "coef"), ("hr", "hr"), ("se", "se"), ("z", "z"), ("p_value", "p")]
    pairs += [("lower", "lower"), ("upper", "upper")]
    for ours, theirs in pairs:
        assert_allclose(res.table[ours], exp[theirs], rtol=FITTED)


@pytest.mark.parametrize("model", list(MODELS))
def test_cox_model_statistics_match_coxph(model: str) -> None:
    res = cox_regression(SURV, "time", "event", MODELS[model])
    exp = FITS[FITS.model == model].iloc[0]
    assert (res.n, res.events) == (int(exp.n), int(exp.events))
    assert res.df == int(exp.lr_df)
    ours = [res.loglik_null, res.loglik, res.lr_chisq, res.wald_chisq, res.score_chisq]
    theirs = [exp.loglik_null, exp.loglik, exp.lr_chisq, exp.wald_chisq, exp.score_chisq]
    assert_allclose(ours, theirs, rtol=FITTED)
    ours_p = [res.lr_p_value, res.wald_p_value, res.score_p_value]
    assert_allclose(ours_p, [exp.lr_p, exp.wald_p, exp.score_p], rtol=FITTED)
    assert_allclose(res.concordance, exp.concordance, rtol=1e-12)


def test_reference_level_keyword_and_categorical_order() -> None:
    base = cox_regression(SURV, "time", "event", MODELS["full"]).table.set_index("term")
    alt = cox_regression(SURV, "time", "event", MODELS["full"], reference={"group": "B"})
    alt_t = alt.table.set_index("term")
    assert list(alt.table.term) == ["marker", "stage[II]", "stage[III]", "group[A]", "group[C]"]
    b_b, b_c = base.loc["group[B]", "coef"], base.loc["group[C]", "coef"]
    assert_allclose(alt_t.loc["group[A]", "coef"], -b_b, rtol=FITTED)
    assert_allclose(alt_t.loc["group[C]", "coef"], b_c - b_b, rtol=FITTED)
    assert (alt.table.loc[alt.table.variable == "group", "reference"] == "B").all()
    cat = SURV.assign(group=pd.Categorical(SURV.group, categories=["B", "A", "C"]))
    via_cat = cox_regression(cat, "time", "event", MODELS["full"]).table
    assert_allclose(via_cat.coef, alt.table.coef, rtol=1e-10)


def test_level_changes_only_the_interval() -> None:
    r95 = cox_regression(SURV, "time", "event", ["marker"])
    r90 = cox_regression(SURV, "time", "event", ["marker"], level=0.9)
    assert r90.table.lower.iloc[0] > r95.table.lower.iloc[0]
    assert r90.table.coef.iloc[0] == r95.table.coef.iloc[0]


def test_concordance_can_be_skipped() -> None:
    res = cox_regression(SURV, "time", "event", ["marker"], concordance_index=False)
    assert np.isnan(res.concordance)


def test_monotone_likelihood_warns() -> None:
    data = pd.DataFrame({"time": np.arange(1.0, 9.0), "event": 1, "x": [1, 1, 1, 1, 0, 0, 0, 0]})
    with pytest.warns(RemarkitWarning, match="infinite"):
        cox_regression(data, "time", "event", ["x"])


def _frame(**cols: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "time": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "event": [1, 0, 1, 1, 0, 1],
        "x": [0.5, 1.2, -0.3, 2.0, 0.1, 0.7],
        "g": ["a", "b", "a", "b", "a", "b"],
    }
    base.update(cols)
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (_frame(), {"predictors": ["nope"]}, "no column"),
        (_frame(x=[0.5, np.nan, 1, 2, 3, 4]), {}, "'x' contains 1 missing"),
        (_frame(x=[1.0] * 6), {}, "'x' is constant"),
        (_frame(g=["a"] * 6), {"predictors": ["g"]}, "only one level"),
        (_frame(time=[1.0, -1.0, 3, 4, 5, 6]), {}, "time must be >= 0"),
        (_frame(event=[1, 2, 0, 0, 1, 1]), {}, "only 0 and 1"),
        (_frame(event=[0] * 6), {}, "no events"),
        (_frame(x2=[1.0, 2.4, -0.6, 4.0, 0.2, 1.4]), {"predictors": ["x", "x2"]}, "collinear"),
        (_frame(), {"predictors": ["g"], "reference": {"g": "z"}}, "does not occur"),
        (_frame(), {"predictors": ["g"], "reference": {"x": 1}}, "non-predictor"),
        (_frame(), {"predictors": ["x"], "reference": {"x": 1}}, "numeric predictor"),
        (_frame(), {"predictors": []}, "predictors is empty"),
        (_frame(), {"predictors": ["time"]}, "cannot also be predictors"),
        (_frame(), {"level": 0.0}, "level"),
    ],
)
def test_bad_cox_input(data: pd.DataFrame, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"predictors": ["x"], **kwargs}
    with pytest.raises(StatisticsError, match=message):
        cox_regression(data, "time", "event", **args)


def test_data_must_be_a_dataframe() -> None:
    with pytest.raises(StatisticsError, match="DataFrame"):
        cox_regression({"time": [1]}, "time", "event", ["x"])
