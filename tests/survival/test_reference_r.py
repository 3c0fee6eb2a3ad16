"""The Cox units against R survival::coxph (tests/reference/survival_units.R).

Fitted models to 1e-6 relative (DESIGN.md section 7); p-values of Wald tests to 1e-5 relative
(an error e in the SE moves p by about z^2 e) and absolutely below 1e-12.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from remarkit.plugins.survival._rows import CoxFitRows
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.plugins.survival.univariable_cox import UnivariableCox
from tests.survival.conftest import GBSG, SurvivalHarness

REFERENCE = Path(__file__).parents[1] / "reference"
FITTED, FITTED_P = 1e-6, 1e-5

GBSG_SPEC = """\
[study]
title = "GBSG"
seed = 1

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.outcome]
column = "status"
positive = "1"

[cohort.endpoints.rfs]
time = "rfstime"
event = "status"
unit = "days"
label = "Recurrence-free survival"
"""
GBSG_VARIABLES = {
    "pgr": 'type = "continuous"\nlabel = "Progesterone receptor"\nunit = "fmol/l"',
    "age": 'type = "continuous"\nlabel = "Age"\nunit = "years"',
    "meno": 'type = "categorical"\nlevels = ["0", "1"]',
    "size": 'type = "continuous"\nunit = "mm"',
    "grade": 'type = "categorical"\nlevels = ["1", "2", "3"]',
    "nodes": 'type = "continuous"',
    "hormon": 'type = "categorical"\nlevels = ["0", "1"]',
}
ADJUST = ["age", "meno", "size", "grade", "nodes", "hormon"]


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)


def _value(expected: pd.DataFrame, section: str, model: str, key: str, term: str = "") -> float:
    hit = expected[
        (expected.section == section)
        & (expected.model == model)
        & (expected.key == key)
        & (expected.term == term)
    ]
    assert len(hit) == 1, (section, model, key, term)
    return float(hit.value.iloc[0])


def _check_model(expected: pd.DataFrame, section: str, model: str, rows: CoxFitRows) -> None:
    assert rows.tests is not None
    assert rows.n == _value(expected, section, model, "n")
    assert rows.events == _value(expected, section, model, "events")
    terms = [t for v in rows.variables for t in v.terms]
    r_terms = expected[
        (expected.section == section) & (expected.model == model) & (expected.key == "coef")
    ]
    assert sorted(t.term for t in terms) == sorted(r_terms.term)
    for t in terms:
        assert t.coef == pytest.approx(_value(expected, section, model, "coef", t.term), rel=FITTED)
        assert t.se == pytest.approx(_value(expected, section, model, "se", t.term), rel=FITTED)
        assert t.p_value == pytest.approx(
            _value(expected, section, model, "p", t.term), rel=FITTED_P, abs=1e-12
        )
    for key, got in (
        ("lr", rows.tests.lr_chisq),
        ("wald", rows.tests.wald_chisq),
        ("score", rows.tests.score_chisq),
        ("loglik", rows.tests.loglik),
        ("concordance", rows.tests.concordance),
    ):
        assert got == pytest.approx(_value(expected, section, model, key), rel=FITTED), key


def test_synthetic_univariable_matches_r(
    surv_harness: SurvivalHarness, expected: pd.DataFrame
) -> None:
    h = surv_harness()
    result = h.run(
        UnivariableCox,
        {"variables": ["marker", "age", "stage", "sex"], "scale": {"marker": "log2", "age": "sd"}},
        unit_id="uni",
    )
    age = result.models[1].variables[0].scale
    assert age is not None
    assert age.factor == pytest.approx(_value(expected, "synthetic", "scale", "sd", "age"), 1e-12)
    for name, model in zip(["marker", "age", "stage", "sex"], result.models, strict=True):
        _check_model(expected, "synthetic", f"uni_{name}", model)
    # two training patients lack the marker; every other model keeps all 160 training patients
    assert [m.excluded_variables for m in result.models] == [2, 0, 0, 0]


def test_synthetic_multivariable_matches_r(
    surv_harness: SurvivalHarness, expected: pd.DataFrame
) -> None:
    h = surv_harness()
    result = h.run(
        MultivariableCox,
        {
            "marker": "marker",
            "adjust": ["age", "stage"],
            "scale": {"marker": "log2"},
            "endpoint": "pfs",
        },
        unit_id="multi",
    )
    _check_model(expected, "synthetic", "full", result.model)
    assert result.without_marker is not None and result.marker_added is not None
    assert result.without_marker.loglik == pytest.approx(
        _value(expected, "synthetic", "reduced", "loglik"), rel=FITTED
    )
    alone = result.unadjusted.terms[0]
    assert alone.coef == pytest.approx(
        _value(expected, "synthetic", "alone", "coef", "marker"), rel=FITTED
    )
    added = result.marker_added
    assert added.lr_chisq == pytest.approx(_value(expected, "synthetic", "added", "lr"), FITTED)
    assert added.p_value == pytest.approx(_value(expected, "synthetic", "added", "p"), FITTED_P)
    assert added.concordance_without == pytest.approx(
        _value(expected, "synthetic", "reduced", "concordance"), rel=FITTED
    )
    assert added.concordance_change == pytest.approx(
        _value(expected, "synthetic", "full", "concordance")
        - _value(expected, "synthetic", "reduced", "concordance"),
        abs=1e-9,
    )


@pytest.fixture
def gbsg(surv_harness: SurvivalHarness):  # type: ignore[no-untyped-def]
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    return surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)


def test_gbsg_univariable_matches_r(gbsg, expected: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    names = ["pgr", *ADJUST]
    result = gbsg.run(UnivariableCox, {"variables": names, "population": "all"}, unit_id="uni")
    assert result.endpoint == "rfs" and result.time_unit == "days"
    for name, model in zip(names, result.models, strict=True):
        _check_model(expected, "gbsg", f"uni_{name}", model)


def test_gbsg_pgr_adjusted_matches_r(gbsg, expected: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    result = gbsg.run(
        MultivariableCox,
        {"marker": "pgr", "adjust": ADJUST, "population": "all", "scale": {"pgr": "iqr"}},
        unit_id="multi",
    )
    scale = result.model.variables[0].scale
    assert scale is not None and scale.factor == _value(expected, "gbsg", "scale", "iqr", "pgr")
    _check_model(expected, "gbsg", "full", result.model)
    assert result.marker_added is not None
    assert result.marker_added.lr_chisq == pytest.approx(
        _value(expected, "gbsg", "added", "lr"), rel=FITTED
    )
    assert result.marker_added.p_value == pytest.approx(
        _value(expected, "gbsg", "added", "p"), rel=FITTED_P
    )
    assert result.unadjusted.terms[0].coef == pytest.approx(
        _value(expected, "gbsg", "alone", "coef", "pgr"), rel=FITTED
    )


def test_synthetic_breslow_stratified_matches_r(
    surv_harness: SurvivalHarness, expected: pd.DataFrame
) -> None:
    h = surv_harness()
    params = {
        "marker": "marker",
        "adjust": ["age", "stage"],
        "scale": {"marker": "log2"},
        "endpoint": "pfs",
        "ties": "breslow",
        "strata": ["sex"],
    }
    result = h.run(MultivariableCox, params, unit_id="multi")
    _check_model(expected, "synthetic", "breslow_strata", result.model)
    assert result.marker_added is not None
    assert result.marker_added.lr_chisq == pytest.approx(
        _value(expected, "synthetic", "breslow_strata_added", "lr"), rel=FITTED
    )
    assert result.model_file is None and result.columns == []
    assert any("no frozen model: a stratified model" in w for w in result.warnings)
    methods = MultivariableCox().methods(result, None)  # type: ignore[arg-type]
    assert "Breslow's method" in methods and "stratified by sex" in methods
