"""proportional_hazards against R survival's cox.zph and plot.cox.zph (survival_evaluation_units.R).

cox.zph works at the fitted coefficients, so its statistics carry the fit's 1e-6 (DESIGN.md
section 7); the smooth is a linear function of the residuals and shares their tolerance.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError

from remarkit import InputError
from remarkit.plugins.survival.proportional_hazards import (
    ProportionalHazards,
    ProportionalHazardsParams,
    ProportionalHazardsResult,
)
from remarkit.testing import render_record
from tests.survival.conftest import GBSG, SurvivalHarness, survival_frame
from tests.survival.test_reference_r import GBSG_SPEC, GBSG_VARIABLES

REFERENCE = Path(__file__).parents[1] / "reference"
FITTED = 1e-6
GBSG_ALL = ["pgr", "age", "meno", "size", "grade", "nodes", "hormon"]


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "survival_evaluation_units_expected.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def smooth() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "survival_evaluation_units_smooth.csv")


def _value(expected: pd.DataFrame, case: str, key: str, term: str = "") -> float:
    hit = expected[(expected.case == case) & (expected.key == key) & (expected.term == term)]
    assert len(hit) == 1, (case, key, term)
    return float(hit.value.iloc[0])


def _check(
    result: ProportionalHazardsResult, case: str, expected: pd.DataFrame, smooth: pd.DataFrame
) -> None:
    assert result.n == _value(expected, case, "n")
    assert result.events == _value(expected, case, "events")
    r_terms = expected[(expected.case == case) & (expected.key == "chisq")].term.tolist()
    assert [t.term for t in result.tests] == r_terms
    for t in result.tests:
        assert t.df == _value(expected, case, "df", t.term)
        assert t.chisq == pytest.approx(_value(expected, case, "chisq", t.term), rel=FITTED)
        assert t.p_value == pytest.approx(_value(expected, case, "p", t.term), rel=FITTED)
    z = 1.959963984540054
    for curve in result.curves:
        ref = smooth[(smooth.case == case) & (smooth.term == curve.term)].sort_values("index")
        assert_allclose(curve.x, ref.x, rtol=1e-12)
        assert_allclose(curve.fit, ref.fit, rtol=FITTED, atol=FITTED * np.abs(ref.fit).max())
        se = (np.asarray(curve.upper) - np.asarray(curve.lower)) / (2 * z)
        assert_allclose(se, ref.se, rtol=FITTED)
    assert {c.term for c in result.curves} == set(smooth[smooth.case == case].term)


def _html(h, result) -> str:  # type: ignore[no-untyped-def]
    record = {"id": "ph", "name": "proportional_hazards", "result": result.model_dump(mode="json")}
    fragment = render_record(record, h.out)
    assert fragment.problems == []
    return re.sub(r"data:[^\"]+", "", fragment.html)


def test_synthetic_matches_cox_zph(
    surv_harness: SurvivalHarness, expected: pd.DataFrame, smooth: pd.DataFrame
) -> None:
    h = surv_harness()
    result = h.run(ProportionalHazards, {"variables": ["marker", "age", "stage"]}, unit_id="ph")
    _check(result, "syn_km", expected, smooth)
    # training rows 4 and 33 lack the marker
    assert result.excluded_variables == 2 and result.excluded_endpoint == 0
    assert result.violations == [] and result.warnings == []
    stage = next(c for c in result.curves if c.term == "stage")
    assert stage.constant == 1.0


def test_synthetic_stratified_identity_matches_cox_zph(
    surv_harness: SurvivalHarness, expected: pd.DataFrame, smooth: pd.DataFrame
) -> None:
    h = surv_harness()
    result = h.run(
        ProportionalHazards,
        {"variables": ["marker", "age"], "strata": ["sex"], "transform": "identity"},
        unit_id="ph",
    )
    _check(result, "syn_strat_id", expected, smooth)
    assert result.strata_labels == ["Sex"]
    text = ProportionalHazards().methods(result, None)  # type: ignore[arg-type]
    assert "stratified by Sex" in text and "time itself" in text


@pytest.fixture
def gbsg(surv_harness: SurvivalHarness):  # type: ignore[no-untyped-def]
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    frame = pd.read_csv(GBSG)
    frame["set"] = ["test" if i % 3 == 0 else "train" for i in range(len(frame))]
    return surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)


def test_gbsg_violations_are_warned_and_highlighted(  # type: ignore[no-untyped-def]
    gbsg, expected: pd.DataFrame, smooth: pd.DataFrame
) -> None:
    result = gbsg.run(
        ProportionalHazards, {"variables": GBSG_ALL, "population": "all"}, unit_id="ph"
    )
    _check(result, "gbsg_km", expected, smooth)
    flagged = [t.term for t in result.tests if t.violates]
    assert flagged == ["pgr", "age", "meno", "grade", "GLOBAL"]
    assert result.violations == ["Progesterone receptor", "Age", "meno", "grade"]
    assert any(
        w.startswith("Proportional hazards doubtful for Age: cox.zph chi-square 10.35 on 1 df")
        and "an interaction with time" in w
        and "[cohort.derived] cut, then strata" in w
        for w in result.warnings
    )
    assert any('strata = ["grade"]' in w for w in result.warnings)
    assert result.warnings[-1].startswith(
        "Proportional hazards doubtful for the model as a whole (global test): cox.zph "
        "chi-square 23.26 on 8 df"
    )
    html = _html(gbsg, result)
    assert html.count('class="violation') == 5
    assert "doubtful (p &lt; 0.05)" in html and "stratify by it" in html
    text = ProportionalHazards().methods(result, None)  # type: ignore[arg-type]
    assert "Flagged: Progesterone receptor, Age, meno, grade." in text
    assert "natural cubic spline" in text and "interaction with a function of time" in text


def test_gbsg_stratified_rank_on_training_set_matches(  # type: ignore[no-untyped-def]
    gbsg, expected: pd.DataFrame, smooth: pd.DataFrame
) -> None:
    variables = ["pgr", "age", "meno", "size", "nodes", "hormon"]
    result = gbsg.run(
        ProportionalHazards,
        {"variables": variables, "strata": ["grade"], "transform": "rank"},
        unit_id="ph",
    )
    _check(result, "gbsg_strat_rank", expected, smooth)


def test_params_and_input_errors(surv_harness: SurvivalHarness) -> None:
    with pytest.raises(ValidationError, match=r"strata column\(s\) \['age'\] are also model"):
        ProportionalHazardsParams.model_validate({"variables": ["age"], "strata": ["age"]})
    with pytest.raises(ValidationError, match="Input should be 'km', 'identity', 'rank' or"):
        ProportionalHazardsParams.model_validate({"variables": ["age"], "transform": "sqrt"})
    h = surv_harness()
    with pytest.raises(InputError, match="stratum column 'age' is not categorical"):
        h.run(ProportionalHazards, {"variables": ["marker"], "strata": ["age"]}, unit_id="p")
    with pytest.raises(InputError, match=r"unknown column\(s\) \['nope'\]"):
        h.run(ProportionalHazards, {"variables": ["nope"]}, unit_id="p")
    frame = survival_frame()
    frame["flat"] = 1.0
    h = surv_harness(frame, {"flat": 'type = "continuous"', "age": 'type = "continuous"'})
    with pytest.raises(
        InputError, match="cannot be fitted on the training set: flat: no variation"
    ):
        h.run(ProportionalHazards, {"variables": ["age", "flat"]}, unit_id="p")


def test_needs_and_figure(surv_harness: SurvivalHarness) -> None:
    params = ProportionalHazardsParams.model_validate(
        {"variables": ["marker"], "strata": ["sex"], "endpoint": "pfs", "population": "all"}
    )
    needs = ProportionalHazards().needs(params)
    assert needs.columns == ["marker", "sex"] and needs.endpoint == "pfs" and not needs.split
    h = surv_harness()
    result = h.run(ProportionalHazards, {"variables": ["marker", "stage"]}, unit_id="ph")
    assert [f.name for f in result.figures] == ["schoenfeld"]
    assert (h.out / result.figures[0].path).read_text().startswith("<?xml")
    assert "natural-spline smooth (df = 4) with its 95% band" in result.figures[0].caption


def test_gbsg_adjusted_model_with_scaled_pgr_matches_r(gbsg) -> None:  # type: ignore[no-untyped-def]
    """cox.zph of multivariable_cox's model (survival_units.R, section gbsg, model zph)."""
    reference = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    zph = reference[(reference.section == "gbsg") & (reference.model == "zph")]
    adjust = ["age", "meno", "size", "grade", "nodes", "hormon"]
    params = {"variables": ["pgr", *adjust], "population": "all", "scale": {"pgr": "iqr"}}
    result = gbsg.run(ProportionalHazards, params, unit_id="ph")
    assert [t.term for t in result.tests] == ["pgr", *adjust, "GLOBAL"]
    for t in result.tests:
        want = zph[zph.term == t.term].set_index("key")["value"].astype(float)
        assert t.chisq == pytest.approx(want["chisq"], rel=FITTED)
        assert t.df == want["df"]
        assert t.p_value == pytest.approx(want["p"], rel=FITTED)


def test_breslow_ties_and_stratified_by_stage(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(
        ProportionalHazards,
        {"variables": ["marker", "age"], "strata": ["stage"], "ties": "breslow"},
        unit_id="ph",
    )
    assert result.strata == ["stage"] and result.n == 158 and result.ties == "breslow"
    assert [t.term for t in result.tests] == ["marker", "age", "GLOBAL"]
    text = ProportionalHazards().methods(result, None)  # type: ignore[arg-type]
    assert "stratified by Stage" in text and "Breslow's method for tied event times" in text
