"""survival_discrimination against R survival::concordance (survival_evaluation_units.R).

Harrell's C and its SE are closed-form given the scores: 1e-9 relative (DESIGN.md section 7);
a Cox model's linear predictor carries the fit's 1e-6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError, InputErrors, UnitContext
from remarkit.engine.executor import SerialExecutor
from remarkit.engine.validate import load_cohort
from remarkit.plugins.survival.multivariable_cox import MultivariableCox, MultivariableCoxParams
from remarkit.plugins.survival.survival_discrimination import (
    SurvivalDiscrimination,
    SurvivalDiscriminationParams,
    SurvivalDiscriminationResult,
)
from remarkit.stats import concordance, time_dependent_auc
from remarkit.testing import folder_state, render_record
from tests.survival.conftest import GBSG, SurvivalHarness, survival_frame
from tests.survival.test_reference_r import ADJUST, GBSG_SPEC, GBSG_VARIABLES

REFERENCE = Path(__file__).parents[1] / "reference"
CLOSED, FITTED = 1e-9, 1e-6


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "survival_evaluation_units_expected.csv", keep_default_na=False)


def _value(expected: pd.DataFrame, case: str, key: str, term: str) -> float:
    hit = expected[(expected.case == case) & (expected.key == key) & (expected.term == term)]
    assert len(hit) == 1, (case, key, term)
    return float(hit.value.iloc[0])


def _check(
    result: SurvivalDiscriminationResult, column: str, case: str, expected: pd.DataFrame, rel: float
) -> None:
    block = next(b for b in result.scores if b.column == column)
    assert [s.set for s in block.sets] == ["train", "test"]
    for s in block.sets:
        assert s.n == _value(expected, case, "n", s.set)
        assert s.events == _value(expected, case, "events", s.set)
        assert s.estimate == pytest.approx(_value(expected, case, "c", s.set), rel=rel)
        assert s.se == pytest.approx(_value(expected, case, "se", s.set), rel=rel)
        assert s.lower is not None and s.estimate is not None and s.se is not None
        assert s.lower == pytest.approx(s.estimate - 1.959963984540054 * s.se, rel=1e-12)


def _fragment(h, result, unit_id: str = "sd"):  # type: ignore[no-untyped-def]
    record = {
        "id": unit_id,
        "name": "survival_discrimination",
        "result": result.model_dump(mode="json"),
    }
    fragment = render_record(record, h.out)
    assert fragment.problems == []
    return fragment


def test_synthetic_marker_matches_r(surv_harness: SurvivalHarness, expected: pd.DataFrame) -> None:
    h = surv_harness()
    result = h.run(
        SurvivalDiscrimination,
        {"endpoint": "pfs", "scores": [{"column": "marker"}]},
        unit_id="sd",
    )
    _check(result, "marker", "syn_marker", expected, CLOSED)
    assert result.endpoint == "pfs" and result.time_unit == "months"
    # S008 and S009 lack pfs; S004, S017 and S033 the marker
    reasons = {e.reason: e.ids for e in result.exclusions}
    assert reasons == {
        "missing survival data": ["S008", "S009"],
        "missing score": ["S004", "S017", "S033"],
    }
    assert result.warnings[0].startswith("2 patient(s) without a time or event indicator")
    html = _fragment(h, result).html
    assert "Training set" in html and "Test set" in html and "0.630" in html
    text = SurvivalDiscrimination().methods(result, None)  # type: ignore[arg-type]
    assert "survival::concordance" in text and "higher values of Marker" in text


@pytest.fixture
def gbsg(surv_harness: SurvivalHarness):  # type: ignore[no-untyped-def]
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    frame = pd.read_csv(GBSG)
    frame["set"] = ["test" if i % 3 == 0 else "train" for i in range(len(frame))]
    return surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)


def test_gbsg_marker_and_cox_linear_predictor_match_r(  # type: ignore[no-untyped-def]
    gbsg, expected: pd.DataFrame
) -> None:
    gbsg.run(MultivariableCox, {"marker": "pgr", "adjust": ADJUST}, unit_id="multi")
    result = gbsg.run(
        SurvivalDiscrimination,
        {
            "scores": [
                {"column": "pgr", "direction": "lower"},
                {"column": "multi.lp", "label": "Cox model"},
            ]
        },
        unit_id="sd",
        upstream=("multi",),
    )
    _check(result, "pgr", "gbsg_pgr", expected, CLOSED)
    _check(result, "multi.lp", "gbsg_lp", expected, FITTED)
    assert [b.label for b in result.scores] == ["Progesterone receptor", "Cox model"]
    assert result.warnings == [] and result.exclusions == []
    html = _fragment(gbsg, result).html
    assert "(lower = shorter survival)" in html
    text = SurvivalDiscrimination().methods(result, None)  # type: ignore[arg-type]
    assert "lower values of Progesterone receptor" in text and "higher values of Cox model" in text


def test_external_cohort_is_one_set(surv_harness: SurvivalHarness) -> None:
    params = {"marker": "marker", "adjust": ["age", "stage"], "endpoint": "pfs"}
    h = surv_harness()
    fitted = h.run(MultivariableCox, params, unit_id="m")
    cohort = load_cohort(h.study, external=True)
    ctx = UnitContext(
        unit_id="m",
        study=h.study,
        cohort=cohort,
        upstream={},
        seed=1,
        executor=SerialExecutor(),
        out_root=h.out.parent / "applied",
    )
    applied = MultivariableCox().apply(
        ctx,
        MultivariableCoxParams.model_validate(params),
        folder_state(h.out / "units" / "m", fitted),
    )
    scored = cohort.with_derived("m", applied.columns)
    ctx = UnitContext(
        unit_id="sd",
        study=h.study,
        cohort=scored,
        upstream={},
        seed=1,
        executor=SerialExecutor(),
        out_root=h.out.parent / "applied",
    )
    validated = SurvivalDiscriminationParams.model_validate(
        {"endpoint": "pfs", "scores": [{"column": "m.lp"}]}
    )
    result = SurvivalDiscrimination().run(ctx, validated)
    (only,) = result.scores[0].sets
    assert only.set == "test" and only.name == "External validation set"
    assert not result.has_training_set
    endpoint = scored.endpoint("pfs")
    keep = endpoint.complete & scored.data["m.lp"].notna()
    direct = concordance(
        endpoint.time[keep], endpoint.event[keep], scored.data["m.lp"][keep], reverse=True
    )
    assert only.n == int(keep.sum()) == 235
    assert only.estimate == pytest.approx(direct.estimate, rel=1e-12)
    assert only.se == pytest.approx(direct.se, rel=1e-12)
    assert "external validation set gives its validated C" in SurvivalDiscrimination().methods(
        result, validated
    )


def test_a_set_without_comparable_pairs_is_a_note(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame.loc[frame["set"] == "test", "death"] = 0
    h = surv_harness(frame)
    result = h.run(SurvivalDiscrimination, {"scores": [{"column": "age"}]}, unit_id="sd")
    test = result.scores[0].sets[1]
    assert test.estimate is None and test.events == 0
    assert result.warnings == [
        "Age, test set: C not estimated, there are no comparable pairs (no event before "
        "another time)"
    ]
    _fragment(h, result)


def test_errors_are_one_line(surv_harness: SurvivalHarness) -> None:
    with pytest.raises(ValidationError, match=r"scores list column\(s\) \['age'\] more than once"):
        SurvivalDiscriminationParams.model_validate(
            {"scores": [{"column": "age"}, {"column": "age", "direction": "lower"}]}
        )
    with pytest.raises(ValidationError, match="Input should be 'higher' or 'lower'"):
        SurvivalDiscriminationParams.model_validate(
            {"scores": [{"column": "age", "direction": "up"}]}
        )
    frame = survival_frame()
    frame["age"] = frame["age"].astype(object)
    frame.loc[5, "age"] = "inf"
    # an infinite score in the cohort table is refused when the cohort is read
    with pytest.raises(InputErrors, match=r"column 'age': non-finite value\(s\) 'inf' in row 7"):
        surv_harness(frame)
    h = surv_harness(survival_frame())
    with pytest.raises(InputError, match="'stage' is categorical; a score must be continuous"):
        h.run(SurvivalDiscrimination, {"scores": [{"column": "stage"}]}, unit_id="sd")
    with pytest.raises(InputError, match=r"'cox\.lp' is not in the cohort"):
        h.run(SurvivalDiscrimination, {"scores": [{"column": "cox.lp"}]}, unit_id="sd")
    with pytest.raises(InputError, match="the study has no endpoint 'dfs'"):
        h.run(
            SurvivalDiscrimination, {"endpoint": "dfs", "scores": [{"column": "age"}]}, unit_id="sd"
        )


def test_needs_name_columns_and_endpoint() -> None:
    params = SurvivalDiscriminationParams.model_validate(
        {"endpoint": "pfs", "scores": [{"column": "cox.lp"}, {"column": "pgr"}]}
    )
    needs = SurvivalDiscrimination().needs(params)
    assert needs.columns == ["cox.lp", "pgr"] and needs.endpoint == "pfs" and needs.survival
    assert np.isclose(params.level, 0.95)


def test_gbsg_whole_cohort_and_test_set_match_r(gbsg) -> None:  # type: ignore[no-untyped-def]
    """The model fitted on every patient (survival_units.R, sections c_all and c_test)."""
    expected = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    gbsg.run(
        MultivariableCox,
        {"marker": "pgr", "adjust": ADJUST, "population": "all", "scale": {"pgr": "iqr"}},
        unit_id="m",
    )
    params = {
        "scores": [{"column": "m.lp"}, {"column": "pgr", "direction": "lower"}],
        "sets": ["all", "test"],
    }
    result = gbsg.run(SurvivalDiscrimination, params, unit_id="c", upstream=("m",))
    for block, name in zip(result.scores, ["lp", "pgr"], strict=True):
        assert [s.set for s in block.sets] == ["all", "test"]
        for row in block.sets:
            want = expected[(expected.model == f"c_{row.set}") & (expected.term == name)]
            want = want.set_index("key")["value"].astype(float)
            assert row.estimate == pytest.approx(want["c"], rel=FITTED)
            assert row.se == pytest.approx(want["se"], rel=FITTED)
    assert result.scores[0].sets[0].n == 686 and result.scores[0].sets[0].name == "Whole cohort"
    assert result.scores[0].sets[1].name == "Test set"
    html = _fragment(gbsg, result, "c").html
    assert "Harrell&#39;s C" in html and "(lower = shorter survival)" in html


def test_sets_without_patients_and_set_errors(surv_harness: SurvivalHarness) -> None:
    with pytest.raises(ValidationError, match="sets must be non-empty and list each set once"):
        SurvivalDiscriminationParams.model_validate(
            {"scores": [{"column": "age"}], "sets": ["test", "test"]}
        )
    needs = SurvivalDiscrimination().needs(
        SurvivalDiscriminationParams.model_validate(
            {"scores": [{"column": "age"}], "sets": ["all"]}
        )
    )
    assert not needs.split
    h = surv_harness()
    result = h.run(
        SurvivalDiscrimination, {"scores": [{"column": "marker"}], "sets": ["train"]}, unit_id="c"
    )
    (row,) = result.scores[0].sets
    assert row.n == 158 and result.scores[0].missing == 2  # S004 and S033; S017 is a test patient


def _auc_check(result, column: str, case: str, expected: pd.DataFrame, rel: float) -> None:  # type: ignore[no-untyped-def]
    block = next(b for b in result.scores if b.column == column)
    for s in block.sets:
        assert [a.time for a in s.auc] == result.horizons
        for a in s.auc:
            term = f"{s.set}@{a.time:g}"
            assert a.auc == pytest.approx(_value(expected, case, "auc", term), rel=rel)
            assert a.cases == _value(expected, case, "cases", term)
            assert a.controls == _value(expected, case, "controls", term)


def test_time_dependent_auc_matches_r_definition(  # type: ignore[no-untyped-def]
    gbsg, expected: pd.DataFrame
) -> None:
    gbsg.run(MultivariableCox, {"marker": "pgr", "adjust": ADJUST}, unit_id="multi")
    result = gbsg.run(
        SurvivalDiscrimination,
        {
            "scores": [{"column": "pgr", "direction": "lower"}, {"column": "multi.lp"}],
            "horizons": [365, 730, 1825],
            "n_boot": 50,
        },
        unit_id="sd",
        upstream=("multi",),
    )
    _auc_check(result, "pgr", "gbsg_pgr", expected, CLOSED)
    _auc_check(result, "multi.lp", "gbsg_lp", expected, FITTED)
    # the interval is remarkit.stats' bootstrap on the same patients, seeded by the study
    endpoint = gbsg.cohort.endpoint(None)
    test = gbsg.cohort.split == "test"
    direct = time_dependent_auc(
        endpoint.time[test],
        endpoint.event[test],
        -gbsg.cohort.data["pgr"][test],
        [365, 730, 1825],
        n_boot=50,
        seed=gbsg.study.study.seed,
    )
    got = result.scores[0].sets[1].auc
    assert [a.se for a in got] == pytest.approx(list(direct.table.se), rel=1e-12)
    assert [a.lower for a in got] == pytest.approx(list(direct.table.lower), rel=1e-12)
    assert result.n_boot == 50 and result.seed == gbsg.study.study.seed
    assert [f.name for f in result.figures] == ["concordance", "td_auc"]
    html = _fragment(gbsg, result).html
    assert "Time-dependent AUC of the scores" in html and "(seed 1)" in html
    text = SurvivalDiscrimination().methods(result, None)  # type: ignore[arg-type]
    assert "time-dependent AUC at 365, 730 and 1825 days" in text and "50 bootstrap" in text


def test_synthetic_auc_and_undefined_horizon(
    surv_harness: SurvivalHarness, expected: pd.DataFrame
) -> None:
    h = surv_harness()
    result = h.run(
        SurvivalDiscrimination,
        {"endpoint": "pfs", "scores": [{"column": "marker"}], "horizons": [6, 12, 24]},
        unit_id="sd",
    )
    _auc_check(result, "marker", "syn_marker", expected, CLOSED)
    late = h.run(
        SurvivalDiscrimination,
        {"endpoint": "pfs", "scores": [{"column": "marker"}], "horizons": [12, 1000]},
        unit_id="sd2",
    )
    row = late.scores[0].sets[0].auc[1]
    assert row.auc is None and row.note == "nobody followed beyond it"
    assert late.scores[0].sets[0].auc[0].auc is not None
    assert (
        "Marker, training set: AUC at 1000 not estimated, nobody followed beyond it"
        in late.warnings
    )
    _fragment(h, late)
    with pytest.raises(ValidationError, match="horizons must be increasing times > 0"):
        SurvivalDiscriminationParams.model_validate(
            {"scores": [{"column": "age"}], "horizons": [12, 6]}
        )
