"""Logistic regression and GVIF against R glm / confint / car::vif (clinical_stats.R)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats.logistic import logistic_regression, vif

REF = Path(__file__).resolve().parent.parent / "reference"
FITTED = 1e-6
# R's glm stops at a relative deviance change of 1e-8 and takes vcov from the weights of the
# previous iterate; against that default fit our converged SEs differ by up to ~1.1e-5 (m1).
R_DEFAULT_SE = 5e-5
# against glm(control = glm.control(epsilon = 1e-14)): both fits fully converged
TIGHT = 1e-8


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


COHORT = _csv("clinical_cohort.csv")
GLM = _csv("clinical_logistic.csv")
VIF = _csv("clinical_vif.csv")
MODELS: dict[str, tuple[list[str], dict[str, Any] | None]] = {
    "m1": (["marker", "age", "grade", "sex"], None),
    "m2": (["age", "grade", "stage"], {"grade": "G2"}),
    "m3": (["marker", "age"], None),
}


def _r_term(term: str) -> str:
    """R's coefficient name of a term: 'grade[G2]' -> 'gradeG2'."""
    return term.replace("[", "").replace("]", "")


def _expected(model: str, control: str, terms: list[str]) -> pd.DataFrame:
    rows = GLM[(GLM.model == model) & (GLM.control == control)].set_index("term")
    return rows.loc[[_r_term(t) for t in terms]]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_wald_fit_matches_r(model: str) -> None:
    preds, ref = MODELS[model]
    res = logistic_regression(COHORT, "response", preds, reference=ref)
    tab = res.table
    for control, se_rtol in [("tight", TIGHT), ("default", R_DEFAULT_SE)]:
        exp = _expected(model, control, list(tab.term))
        assert_allclose(tab.coef, exp.estimate, rtol=FITTED if control == "default" else TIGHT)
        assert_allclose(tab.se, exp.se, rtol=se_rtol)
        assert_allclose(tab.z, exp.z, rtol=se_rtol)
        assert_allclose(np.log(tab.lower), exp.wald_low, rtol=se_rtol)
        assert_allclose(np.log(tab.upper), exp.wald_high, rtol=se_rtol)
        assert res.deviance == pytest.approx(exp.deviance.iloc[0], rel=1e-10)
    exp = _expected(model, "tight", list(tab.term))
    assert_allclose(tab.p_value, exp.p, rtol=TIGHT)
    assert_allclose(tab.odds_ratio, np.exp(tab.coef), rtol=1e-15)
    assert (res.n, res.events) == (exp.n.iloc[0], exp.events.iloc[0])
    needed = COHORT[["response", *preds]]
    assert res.n_missing == int(needed.isna().any(axis=1).sum())
    assert res.warnings == [] and res.separation == "none" and res.converged
    assert res.ci_method == "wald"
    assert res.aic == pytest.approx(res.deviance + 2 * len(tab))


@pytest.mark.parametrize("model", sorted(MODELS))
def test_profile_limits_match_r(model: str) -> None:
    preds, ref = MODELS[model]
    res = logistic_regression(COHORT, "response", preds, ci="profile", reference=ref)
    limits = np.log(res.table[["lower", "upper"]].to_numpy())
    exp = _expected(model, "tight", list(res.table.term))
    # exact profile roots, computed in R with glm.fit + uniroot(tol = 1e-12)
    assert_allclose(limits, exp[["exact_low", "exact_high"]], rtol=TIGHT)
    # MASS's confint(glm) interpolates a spline through the sampled profile: ~3e-4 apart
    assert_allclose(limits, exp[["profile_low", "profile_high"]], atol=1e-3)
    assert res.ci_method == "profile"


def test_reference_levels() -> None:
    default = logistic_regression(COHORT, "response", ["grade"])
    assert list(default.table.term) == ["(Intercept)", "grade[G2]", "grade[G3]"]
    assert set(default.table.reference.dropna()) == {"G1"}
    data = COHORT.assign(grade=pd.Categorical(COHORT.grade, categories=["G3", "G1", "G2", "G9"]))
    cat = logistic_regression(data, "response", ["grade"])
    assert list(cat.table.term) == ["(Intercept)", "grade[G1]", "grade[G2]"]
    g3 = default.table.set_index("term").coef["grade[G3]"]
    assert cat.table.set_index("term").coef["grade[G1]"] == pytest.approx(-g3, rel=1e-9)
    assert cat.deviance == pytest.approx(default.deviance, rel=1e-12)


def test_vif_matches_car() -> None:
    for model, (preds, ref) in MODELS.items():
        res = vif(COHORT, "response", preds, reference=ref)
        for control, rtol in [("tight", TIGHT), ("default", R_DEFAULT_SE)]:
            exp = VIF[(VIF.model == model) & (VIF.control == control)].set_index("variable")
            exp = exp.loc[list(res.table.variable)]
            assert_allclose(res.table.gvif, exp.gvif, rtol=rtol)
            assert_allclose(res.table.gvif_adj, exp.gvif_adj, rtol=rtol)
            assert list(res.table.df) == list(exp.df)
    assert list(vif(COHORT, "response", MODELS["m1"][0]).table.df) == [1, 1, 2, 1]


def _separated(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    x = np.arange(n, dtype=float)
    return pd.DataFrame({"y": (x >= n / 2).astype(int), "x": x, "noise": rng.normal(size=n)})


def test_complete_separation_is_warned_and_recorded() -> None:
    with pytest.warns(RemarkitWarning, match="complete separation") as record:
        res = logistic_regression(_separated(), "y", ["x", "noise"])
    assert res.separation == "complete"
    assert any("complete separation" in w and "x" in w for w in res.warnings)
    assert len(record) == len(res.warnings)


def test_quasi_complete_separation_and_unbounded_profile() -> None:
    rng = np.random.default_rng(8)
    n = 90
    group = np.repeat(["a", "b", "c"], n // 3)
    y = np.where(group == "a", 0, rng.integers(0, 2, size=n))  # no events in level 'a'
    data = pd.DataFrame({"y": y, "group": group, "age": rng.normal(60, 8, size=n)})
    with pytest.warns(RemarkitWarning) as record:
        res = logistic_regression(data, "y", ["group", "age"], ci="profile")
    assert res.separation == "quasi-complete"
    assert any("quasi-complete separation" in w and "group" in w for w in res.warnings)
    assert any("unbounded" in w for w in res.warnings)
    row = res.table.set_index("term").loc["group[b]"]
    assert row.upper == np.inf or row.lower == 0.0
    assert len(record) == len(res.warnings)


def test_few_events_per_variable_is_warned() -> None:
    rng = np.random.default_rng(2)
    data = pd.DataFrame(
        {"y": np.r_[np.ones(12), np.zeros(48)], "grade": rng.choice(list("ABCD"), 60)}
    )
    data["age"] = rng.normal(size=60)
    with pytest.warns(RemarkitWarning, match="events per variable"):
        res = logistic_regression(data, "y", ["grade", "age"])
    assert res.events_per_variable == pytest.approx(12 / 4)
    assert any("events per variable" in w for w in res.warnings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"predictors": ["marker", "nope"]}, "no column"),
        ({"predictors": []}, "empty"),
        ({"predictors": ["age", "age"]}, "more than once"),
        ({"predictors": ["response"]}, "also listed"),
        ({"predictors": ["grade"], "reference": {"grade": "G7"}}, "'G7'.*'grade'"),
        ({"predictors": ["grade"], "reference": {"age": "G1"}}, "non-predictor"),
        ({"predictors": ["age"], "ci": "bootstrap"}, "ci must be"),
        ({"predictors": ["age"], "level": 95}, "level"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    args = {"data": COHORT, "outcome": "response", **kwargs}
    with pytest.raises(StatisticsError, match=message):
        logistic_regression(**args)


def test_bad_data() -> None:
    one_level = COHORT.assign(site="X")
    with pytest.raises(StatisticsError, match="'site' has only one level"):
        logistic_regression(one_level, "response", ["age", "site"])
    with pytest.raises(StatisticsError, match="only 0 and 1"):
        logistic_regression(COHORT.assign(response=COHORT.response * 2), "response", ["age"])
    with pytest.raises(StatisticsError, match="no events"):
        logistic_regression(COHORT.assign(response=0), "response", ["age"])
    with pytest.raises(StatisticsError, match="collinear"):
        logistic_regression(COHORT.assign(age2=COHORT.age * 2), "response", ["age", "age2"])
    with pytest.raises(StatisticsError, match="constant"):
        logistic_regression(COHORT.assign(k=1.0), "response", ["age", "k"])
    with pytest.raises(StatisticsError, match="DataFrame"):
        logistic_regression(COHORT.to_numpy(), "response", ["age"])
    with pytest.raises(StatisticsError, match="at least 2 predictors"):
        vif(COHORT, "response", ["grade"])
