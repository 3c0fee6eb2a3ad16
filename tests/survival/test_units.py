"""univariable_cox and multivariable_cox: parameters, exclusions, errors, notes, report fragments."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError
from remarkit.plugins.survival.multivariable_cox import MultivariableCox, MultivariableCoxParams
from remarkit.plugins.survival.univariable_cox import UnivariableCox, UnivariableCoxParams
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.survival.conftest import SurvivalHarness, survival_frame

MULTI = {"marker": "marker", "adjust": ["age", "stage"]}


def _html(h, result) -> str:  # type: ignore[no-untyped-def]
    html = render_unit(
        make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
    )
    return re.sub(r"data:[^\"]+", "", str(html))


def test_params_reject_options_for_other_variables() -> None:
    with pytest.raises(ValidationError, match="scale given for variables not analysed"):
        UnivariableCoxParams.model_validate({"variables": ["age"], "scale": {"marker": "sd"}})
    with pytest.raises(ValidationError, match="also listed in adjust"):
        MultivariableCoxParams.model_validate({"marker": "age", "adjust": ["age", "stage"]})
    with pytest.raises(ValidationError, match="Input should be 'unit', 'sd', 'iqr' or 'log2'"):
        UnivariableCoxParams.model_validate({"variables": ["age"], "scale": {"age": "per10"}})
    with pytest.raises(ValidationError):
        MultivariableCoxParams.model_validate({"marker": "age", "adjust": []})


def test_needs_name_the_endpoint_and_split() -> None:
    needs = UnivariableCox().needs(
        UnivariableCoxParams.model_validate({"variables": ["age"], "endpoint": "pfs"})
    )
    assert needs.endpoint == "pfs" and needs.survival and needs.split
    needs = MultivariableCox().needs(
        MultivariableCoxParams.model_validate({**MULTI, "population": "all"})
    )
    assert needs.columns == ["marker", "age", "stage"] and not needs.split


def test_population_all_fits_every_patient(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    train = h.run(UnivariableCox, {"variables": ["age"]}, unit_id="a")
    everyone = h.run(UnivariableCox, {"variables": ["age"], "population": "all"}, unit_id="b")
    assert train.models[0].n == 160 and everyone.models[0].n == 240
    assert "whole cohort" in UnivariableCox().methods(everyone, None)  # type: ignore[arg-type]


def test_missing_endpoint_and_variable_are_excluded_and_counted(
    surv_harness: SurvivalHarness,
) -> None:
    h = surv_harness()
    result = h.run(MultivariableCox, {**MULTI, "endpoint": "pfs"}, unit_id="m")
    # training rows 8 (pfs missing), 4 and 33 (marker missing); row 9 is in the test set
    assert result.model.excluded_endpoint == 1
    assert result.model.excluded_variables == 2
    assert result.model.n == 157
    html = _html(h, result)
    assert "1 left out for a missing time or event, 2 for a missing variable" in html
    assert "Progression-free survival" in html


def test_scale_errors_are_one_line_input_errors(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame.loc[0, "age"] = 0.0
    h = surv_harness(frame)
    with pytest.raises(InputError, match=r"scale.age.*'age' has 1 value\(s\) <= 0"):
        h.run(UnivariableCox, {"variables": ["age"], "scale": {"age": "log2"}}, unit_id="u")
    with pytest.raises(InputError, match="scale given for 'stage', which is categorical"):
        h.run(UnivariableCox, {"variables": ["stage"], "scale": {"stage": "sd"}}, unit_id="u")


def test_unknown_column_and_endpoint(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    with pytest.raises(InputError, match="marker 'marker' is not among the variables"):
        h.run(UnivariableCox, {"variables": ["age"], "marker": "marker"}, unit_id="u")
    with pytest.raises(InputError, match=r"unknown column\(s\) \['grade'\]"):
        h.run(UnivariableCox, {"variables": ["grade"]}, unit_id="u")
    with pytest.raises(InputError, match="no endpoint 'dfs'"):
        h.run(UnivariableCox, {"variables": ["age"], "endpoint": "dfs"}, unit_id="u")


def test_reference_level_from_params(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(
        UnivariableCox, {"variables": ["stage"], "reference": {"stage": "III"}}, unit_id="u"
    )
    v = result.models[0].variables[0]
    assert v.reference == "III"
    assert [t.term for t in v.terms] == ["stage[I]", "stage[II]"]
    assert all(t.hazard_ratio < 1 for t in v.terms)


def test_variable_without_variation_is_a_named_note(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame["sex"] = "F"
    h = surv_harness(frame)
    result = h.run(UnivariableCox, {"variables": ["age", "sex"]}, unit_id="u")
    assert result.models[0].tests is not None
    assert result.models[1].tests is None and not result.models[1].variables[0].terms
    assert result.warnings == [
        "Sex: not fitted, a single level ('F') among the 160 patients with data"
    ]
    assert "not fitted" in _html(h, result)


def test_multivariable_without_events_reports_why(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame["progression"] = 0
    h = surv_harness(frame)
    result = h.run(MultivariableCox, {**MULTI, "endpoint": "pfs"}, unit_id="m")
    assert result.marker_added is None and result.model.tests is None
    assert any("no events" in w for w in result.warnings)
    assert "What Marker adds" not in _html(h, result)


def test_scale_changes_the_ratio_not_the_test(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    unit = h.run(UnivariableCox, {"variables": ["age"]}, unit_id="a").models[0]
    sd = h.run(UnivariableCox, {"variables": ["age"], "scale": {"age": "sd"}}, unit_id="b").models[
        0
    ]
    scale = sd.variables[0].scale
    assert scale is not None
    train_age = h.cohort.data.loc[h.cohort.train, "age"]
    assert scale.factor == pytest.approx(float(np.std(train_age, ddof=1)), rel=1e-12)
    assert sd.variables[0].terms[0].coef == pytest.approx(
        unit.variables[0].terms[0].coef * scale.factor, rel=1e-8
    )
    assert sd.variables[0].terms[0].p_value == pytest.approx(
        unit.variables[0].terms[0].p_value, rel=1e-8
    )


def test_fragments_show_scale_and_marker_added(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    uni = h.run(
        UnivariableCox,
        {"variables": ["marker", "age", "stage"], "scale": {"marker": "log2", "age": "iqr"}},
        unit_id="u",
    )
    html = _html(h, uni)
    assert "Marker, per doubling" in html and "Age, per IQR = " in html
    assert "Continuous variables are per 1 unit except Marker per doubling; Age per IQR" in html
    assert "1 (ref)" in html and "Efron" in html
    multi = h.run(MultivariableCox, MULTI, unit_id="m")
    html = _html(h, multi)
    assert "Unadjusted (marker alone)" in html and "Likelihood-ratio" in html
    assert "What Marker adds to the standard variables (same 158 patients)" in html
    assert "Age (years)" in html


def test_external_cohort_needs_population_all(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    cohort = h.cohort
    h.cohort = type(cohort)(
        data=cohort.data,
        split=pd.Series("test", index=cohort.split.index),
        outcome=cohort.outcome,
        spec=cohort.spec,
        time=cohort.time,
        event=cohort.event,
        endpoints=cohort.endpoints,
        external=True,
    )
    with pytest.raises(InputError, match="population 'train' has no patients"):
        h.run(UnivariableCox, {"variables": ["age"]}, unit_id="u")
    assert h.run(UnivariableCox, {"variables": ["age"], "population": "all"}, unit_id="v")
