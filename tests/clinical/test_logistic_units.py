"""Univariable / multivariable logistic units and logistic_model: numbers, selection, bad input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError, RemarkitWarning
from remarkit.plugins.clinical.logistic_model import LogisticModel
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.plugins.marker_response.unit import MarkerResponse
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats.logistic import logistic_regression, vif
from tests.clinical.conftest import Harness, HarnessFactory, clinical_frame

CANDIDATES = ["age", "platelets", "stage", "vessel", "sex", "afp.response"]
AFP = {"baseline": "afp0", "follow_up": "afp1", "marker": "AFP", "bootstrap": 200}


@contextmanager
def quiet() -> Iterator[None]:
    """Direct remarkit.stats calls may warn (few events per variable); the units record it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        yield


def _train(frame: pd.DataFrame, columns: list[str], levels: dict[str, list[str]]) -> pd.DataFrame:
    """The raw training rows as remarkit.stats takes them (categoricals, reference first)."""
    out = frame.loc[frame["set"] == "train", columns].copy()
    for column, order in levels.items():
        out[column] = pd.Categorical(out[column], categories=order)
    out["y"] = (frame.loc[out.index, "response"] == "yes").astype(float)
    return out.dropna()


def _with_afp(harness: HarnessFactory, frame: pd.DataFrame | None = None) -> Harness:
    h = harness(frame)
    h.run(MarkerResponse, AFP, unit_id="afp")
    return h


def test_univariable_equals_stats_per_variable(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    h = _with_afp(harness, frame)
    result = h.run(UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",))
    assert [v.variable for v in result.variables] == CANDIDATES
    levels = {"stage": ["I", "II", "III"], "vessel": ["No", "Yes"], "sex": ["F", "M"]}
    for fit in result.variables[:-1]:
        data = _train(frame, [fit.variable], {k: v for k, v in levels.items() if k == fit.variable})
        ref = logistic_regression(data, "y", [fit.variable]).table.iloc[1:]
        assert [t.term for t in fit.terms] == ref["term"].tolist()
        for term, (_, row) in zip(fit.terms, ref.iterrows(), strict=True):
            assert (term.odds_ratio, term.lower, term.upper, term.p_value) == (
                row.odds_ratio,
                row.lower,
                row.upper,
                row.p_value,
            )
        assert fit.n == len(data) and fit.events == int(data["y"].sum())
    stage = result.variables[2]
    assert stage.reference == "I" and [t.level for t in stage.terms] == ["II", "III"]
    train = frame[frame["set"] == "train"]
    assert stage.reference_n == int((train["stage"] == "I").sum())
    assert stage.terms[0].events == int(
        ((train["stage"] == "II") & (train["response"] == "yes")).sum()
    )
    afp = result.variables[-1]
    assert afp.label == "AFP response" and afp.reference == "non-responder"
    assert result.figures[0].name == "forest"


def test_reference_override_and_bad_reference(harness: HarnessFactory) -> None:
    h = harness()
    base = h.run(UnivariableLogistic, {"variables": ["vessel"]}, unit_id="a")
    flipped = h.run(
        UnivariableLogistic,
        {"variables": ["vessel"], "reference": {"vessel": "Yes"}},
        unit_id="b",
    )
    assert flipped.variables[0].reference == "Yes"
    assert flipped.variables[0].terms[0].odds_ratio == pytest.approx(
        1 / base.variables[0].terms[0].odds_ratio, rel=1e-9
    )
    with pytest.raises(InputError, match=r"reference level 'Maybe' does not exist for 'vessel'"):
        h.run(
            UnivariableLogistic,
            {"variables": ["vessel"], "reference": {"vessel": "Maybe"}},
            unit_id="c",
        )
    with pytest.raises(InputError, match="which is continuous"):
        h.run(UnivariableLogistic, {"variables": ["age"], "reference": {"age": "1"}}, unit_id="d")
    with pytest.raises(ValidationError, match="reference given for variables not analysed"):
        UnivariableLogistic.Params.model_validate({"variables": ["age"], "reference": {"x": "I"}})


def test_single_level_variable(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[frame["set"] == "train", "sex"] = "M"
    h = harness(frame)
    result = h.run(UnivariableLogistic, {"variables": ["sex", "age"]}, unit_id="uni")
    sex = result.variables[0]
    assert sex.terms == [] and "single level ('M')" in sex.note
    assert result.warnings == [
        "Sex: not fitted, a single level ('M') among the 120 training patients"
    ]
    with pytest.raises(InputError, match=r"'sex' cannot enter the model: a single level \('M'\)"):
        h.run(LogisticModel, {"variables": ["sex", "age"]}, unit_id="m")


def test_reference_level_without_training_patients(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    train = frame["set"] == "train"
    frame.loc[train & (frame["stage"] == "I"), "stage"] = "II"
    h = harness(frame)
    result = h.run(UnivariableLogistic, {"variables": ["stage"]}, unit_id="uni")
    stage = result.variables[0]
    assert stage.terms == [] and stage.reference == "I"
    assert result.warnings == [
        "Stage: not fitted, its reference level 'I' has no training patients; choose another "
        "reference"
    ]
    with pytest.raises(InputError, match="'stage' cannot enter the model: its reference level"):
        h.run(LogisticModel, {"variables": ["stage"]}, unit_id="m")
    fixed = h.run(
        UnivariableLogistic, {"variables": ["stage"], "reference": {"stage": "II"}}, unit_id="u2"
    )
    assert [t.level for t in fixed.variables[0].terms] == ["III"]


def test_level_with_zero_events_is_flagged(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[(frame["set"] == "train") & (frame["stage"] == "III"), "response"] = "no"
    h = harness(frame)
    result = h.run(UnivariableLogistic, {"variables": ["stage"]}, unit_id="uni")
    terms = {t.level: t for t in result.variables[0].terms}
    assert terms["III"].estimable is False and terms["III"].events == 0
    assert terms["II"].estimable is True
    assert any("level 'III' has no events" in w for w in result.warnings)
    assert any("quasi-complete separation" in w for w in result.warnings)
    html = render_unit(
        make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
    )
    assert "n.e." in html


def test_continuous_separation_flags_every_term(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["age"] = np.where(frame["response"] == "yes", 70.0, 40.0) + np.arange(len(frame)) % 5
    result = harness(frame).run(UnivariableLogistic, {"variables": ["age"]}, unit_id="uni")
    assert [t.estimable for t in result.variables[0].terms] == [False]
    assert any("complete separation" in w for w in result.warnings)


def test_multivariable_selection_vif_and_table2(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    h = _with_afp(harness, frame)
    uni = h.run(UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",))
    multi = h.run(
        MultivariableLogistic,
        {"variables": CANDIDATES, "univariable": "uni", "force": ["age"]},
        unit_id="multi",
        upstream=("afp", "uni"),
    )
    best = {v.variable: min(t.p_value for t in v.terms) for v in uni.variables}
    assert multi.selected == [c for c in CANDIDATES if best[c] < 0.05 or c == "age"]
    assert len(multi.selected) >= 3 and multi.univariable == uni.variables
    data = h.cohort.with_derived("afp", h.results["afp"].columns).data
    train = data.loc[h.cohort.train, multi.selected].copy()
    train["y"] = h.cohort.outcome[train.index]
    train = train.dropna()
    with quiet():
        ref = logistic_regression(train, "y", multi.selected).table.set_index("term")
        gvif = vif(train, "y", multi.selected).table.set_index("variable")
    for v in multi.variables:
        for t in v.terms:
            assert t.odds_ratio == ref.loc[t.term, "odds_ratio"]
            assert t.p_value == ref.loc[t.term, "p_value"]
    for row in multi.vif:
        assert row.gvif == gvif.loc[row.variable, "gvif"]
        assert row.gvif_adjusted == gvif.loc[row.variable, "gvif_adj"]
    assert multi.epv == pytest.approx(
        min(train["y"].sum(), len(train) - train["y"].sum()) / (len(ref) - 1)
    )
    html = str(
        render_unit(
            make_environment(), {"result": multi.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert "Univariable analysis" in html and "Multivariable analysis" in html
    assert "GVIF" in html and html.count("1 (ref)") >= 2


def test_multivariable_explicit_list_and_errors(harness: HarnessFactory) -> None:
    h = harness()
    explicit = h.run(MultivariableLogistic, {"variables": ["platelets", "vessel"]}, unit_id="multi")
    assert explicit.selection == "all" and explicit.univariable == []
    assert [r.variable for r in explicit.vif] == ["platelets", "vessel"]
    h.run(UnivariableLogistic, {"variables": ["age", "bmi"]}, unit_id="uni")
    with pytest.raises(InputError, match=r"candidates \['vessel'\] are not in unit 'uni'"):
        h.run(
            MultivariableLogistic,
            {"variables": ["age", "vessel"], "univariable": "uni"},
            unit_id="m2",
            upstream=("uni",),
        )
    with pytest.raises(InputError, match="no candidate has a univariable p < 1e-09"):
        h.run(
            MultivariableLogistic,
            {"variables": ["age", "bmi"], "univariable": "uni", "p_threshold": 1e-9},
            unit_id="m3",
            upstream=("uni",),
        )
    with pytest.raises(ValidationError, match="not candidates"):
        MultivariableLogistic.Params.model_validate({"variables": ["age"], "force": ["bmi"]})


def test_few_events_per_variable_warns(harness: HarnessFactory) -> None:
    frame = clinical_frame(n=60)
    result = harness(frame).run(
        MultivariableLogistic, {"variables": ["age", "platelets", "stage", "vessel"]}, unit_id="m"
    )
    assert result.epv < 10
    assert any("events per variable" in w for w in result.warnings)


def test_logistic_model_predicts_everyone_with_frozen_coefficients(
    harness: HarnessFactory,
) -> None:
    frame = clinical_frame()
    h = _with_afp(harness, frame)
    params = {"variables": ["afp.response", "platelets", "vessel"], "title": "With AFP"}
    result = h.run(LogisticModel, params, unit_id="clinical_afp", upstream=("afp",))
    coef = {c.term: c.coef for c in result.coefficients}
    assert next(iter(coef)) == "(Intercept)"
    data = h.cohort.with_derived("afp", h.results["afp"].columns).data
    lp = (
        coef["(Intercept)"]
        + coef["platelets"] * data["platelets"]
        + coef["vessel[Yes]"] * (data["vessel"] == "Yes")
        + coef["afp.response[normal baseline]"] * (data["afp.response"] == "normal baseline")
        + coef["afp.response[responder]"] * (data["afp.response"] == "responder")
    )
    probability = pd.Series(result.columns[0].values, index=result.columns[0].ids, dtype=float)
    np.testing.assert_allclose(probability.to_numpy(), 1 / (1 + np.exp(-lp.to_numpy())), rtol=1e-12)
    train = data.loc[h.cohort.train, params["variables"]].copy()
    train["y"] = h.cohort.outcome[train.index]
    with quiet():
        ref = logistic_regression(train, "y", params["variables"]).table
    ref = ref.set_index("term")["coef"]
    assert coef == pytest.approx(ref.to_dict(), rel=1e-12)
    # coefficients do not depend on the test set
    changed = frame.copy()
    changed.loc[changed["set"] == "test", "platelets"] = 999.0
    again = _with_afp(harness, changed).run(
        LogisticModel, params, unit_id="clinical_afp", upstream=("afp",)
    )
    assert again.coefficients == result.coefficients
    assert [p.predicted for p in result.predictions] == [120, 40]
    assert result.levels["afp.response"] == ["non-responder", "normal baseline", "responder"]
    html = render_unit(
        make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
    )
    assert "With AFP" in html and "Intercept" in html


def test_logistic_model_missing_predictor_and_unseen_level(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["platelets"] = frame["platelets"].astype(object)
    frame.loc[[0, 3], "platelets"] = "NA"  # P000 train, P003 test
    test_rows = frame.index[frame["set"] == "test"]
    frame["stage"] = frame["stage"].replace("III", "II")
    frame.loc[test_rows[1], "stage"] = "III"  # a level the training set lacks
    h = harness(frame)
    result = h.run(LogisticModel, {"variables": ["platelets", "stage"]}, unit_id="m")
    unseen = frame.loc[test_rows[1], "pid"]
    assert sorted(result.unpredicted) == sorted(["P000", "P003", unseen])
    values = dict(zip(result.columns[0].ids, result.columns[0].values, strict=True))
    assert values["P000"] is None and values[unseen] is None
    assert any("no prediction for 3 patient(s)" in w for w in result.warnings)
    assert any("1 training patient(s) with a missing predictor" in w for w in result.warnings)
    assert any("level 'III' has no training patients" in w for w in result.warnings)
    assert result.n == 119


def test_profile_ci_option(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    result = harness(frame).run(
        UnivariableLogistic, {"variables": ["vessel"], "ci": "profile"}, unit_id="uni"
    )
    data = _train(frame, ["vessel"], {"vessel": ["No", "Yes"]})
    ref = logistic_regression(data, "y", ["vessel"], ci="profile").table.iloc[1]
    term = result.variables[0].terms[0]
    assert (term.lower, term.upper) == (ref.lower, ref.upper)
    assert result.ci == "profile"


def test_deterministic(harness: HarnessFactory) -> None:
    h = _with_afp(harness)
    a = h.run(UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",))
    b = h.run(UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",))
    assert a.model_dump_json() == b.model_dump_json()
