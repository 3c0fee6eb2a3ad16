"""Missing binary outcomes, studies without one, and several samples of one patient (validation)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.load import load_study
from remarkit.engine.plugin_manager import Plugins
from remarkit.engine.validate import load_cohort
from remarkit.errors import InputErrors
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame

NO_OUTCOME = re.sub(r"\[cohort\.outcome\]\n(?:[^\[\n][^\n]*\n)*", "", SPEC)
SAMPLES = SPEC.replace('id = "pid"\n', 'id = "pid"\nsample = "sample_id"\nsamples = "first"\n')


def _errors(spec: Path) -> list[str]:
    with pytest.raises(InputErrors) as exc:
        load_cohort(load_study(spec))
    return [str(e) for e in exc.value.errors]


def test_missing_outcomes_are_nan_and_counted_per_split(
    make_study: StudyFactory, plugins: Plugins, tmp_path: Path
) -> None:
    frame = cohort_frame()
    frame.loc[[1, 2, 30], "response"] = ""  # two training patients, one test patient
    spec = make_study(frame=frame)
    cohort = load_cohort(load_study(spec))
    assert len(cohort.data) == 40  # the engine's cohort keeps them
    assert cohort.outcome.isna().sum() == 3
    assert list(cohort.outcome.index[cohort.outcome.isna()]) == ["P01", "P02", "P30"]
    results = run_prepared(prepare(spec, plugins), tmp_path / "out", use_cache=False)
    summary = results.cohort
    assert (summary.missing_outcome_train, summary.missing_outcome_test) == (2, 1)
    known = frame["response"] != ""
    train = frame["set"] == "train"
    assert summary.events_train == int((frame["response"][known & train] == "yes").sum())
    assert summary.n_train == 28 and summary.n == 40


def test_split_events_count_known_outcomes_only(make_study: StudyFactory) -> None:
    frame = cohort_frame()
    test = frame["set"] == "test"
    frame.loc[test & (frame["response"] == "yes"), "response"] = "NA"
    errors = _errors(make_study(frame=frame))
    assert len(errors) == 1
    assert "column 'response': the test split has no events ('yes')" in errors[0]


def test_study_without_a_binary_outcome_loads(
    make_study: StudyFactory, plugins: Plugins, tmp_path: Path
) -> None:
    assert "[cohort.outcome]" not in NO_OUTCOME
    spec = make_study(spec=NO_OUTCOME, frame=cohort_frame().drop(columns=["response"]))
    cohort = load_cohort(load_study(spec))
    assert not cohort.has_outcome and cohort.outcome.isna().all()
    results = run_prepared(prepare(spec, plugins), tmp_path / "out", use_cache=False)
    assert results.cohort.outcome == "" and results.cohort.events_train == 0
    assert results.cohort.missing_outcome_train == 0  # no outcome declared: nothing is missing
    assert all(u.status == "ok" for u in results.units)


def test_unit_needing_the_outcome_is_a_planning_error(
    make_study: StudyFactory, plugins: Plugins
) -> None:
    units = '\n[[unit]]\nid = "perf"\nuse = "discrimination"\nscores = [{column = "marker"}]\n'
    spec = make_study(spec=NO_OUTCOME, units=units)
    with pytest.raises(InputErrors) as exc:
        prepare(spec, plugins)
    assert len(exc.value.errors) == 1
    line = str(exc.value.errors[0])
    assert "\n" not in line
    assert line.endswith(
        "field 'unit(perf)': needs the outcome ([cohort.outcome]), which the study lacks"
    )


def _sampled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a sample id per row and a second sample of P00 and P05 (later rows)."""
    frame = frame.assign(sample_id=[f"S{i:02d}" for i in range(len(frame))])
    extra = frame.iloc[[0, 5]].assign(sample_id=["S00b", "S05b"], marker=[99.0, 98.0])
    return pd.concat([frame, extra], ignore_index=True)


def test_samples_first_keeps_each_patients_first_row(
    make_study: StudyFactory, plugins: Plugins, tmp_path: Path
) -> None:
    frame = _sampled(cohort_frame())
    spec = make_study(spec=SAMPLES, frame=frame)
    cohort = load_cohort(load_study(spec))
    assert len(cohort.data) == 40 and cohort.data.index.is_unique
    assert cohort.dropped_samples == ("S00b", "S05b")
    assert cohort.data.loc["P00", "marker"] == pytest.approx(frame.loc[0, "marker"])
    assert not np.isclose(cohort.data["marker"], 99.0).any()
    results = run_prepared(prepare(spec, plugins), tmp_path / "out", use_cache=False)
    assert results.cohort.n == 40
    assert results.cohort.dropped_samples == ["S00b", "S05b"]


def test_samples_error_is_the_default_and_lists_duplicates(make_study: StudyFactory) -> None:
    spec = SPEC.replace('id = "pid"\n', 'id = "pid"\nsample = "sample_id"\n')
    errors = _errors(make_study(spec=spec, frame=_sampled(cohort_frame())))
    assert errors[0].endswith(
        "column 'pid': duplicate patient ids P00, P05 in rows 2, 7, 42, 43; set samples = "
        "'first' to keep each patient's first sample"
    )


def test_samples_of_a_patient_must_agree_on_patient_level_columns(
    make_study: StudyFactory,
) -> None:
    frame = _sampled(cohort_frame())
    frame.loc[40, "set"] = "test"  # P00's second sample in the other split: leakage
    frame.loc[41, "months"] = 1.5  # P05's second sample with another survival time
    errors = _errors(make_study(spec=SAMPLES, frame=frame))
    assert any(
        "column 'set': the samples of patient(s) P00 disagree on this patient-level column" in e
        for e in errors
    )
    assert any("column 'months': the samples of patient(s) P05 disagree" in e for e in errors)


def test_sample_ids_must_be_present_and_unique(make_study: StudyFactory) -> None:
    frame = _sampled(cohort_frame())
    frame.loc[41, "sample_id"] = "S00b"
    frame.loc[3, "sample_id"] = np.nan
    errors = _errors(make_study(spec=SAMPLES, frame=frame))
    assert any("column 'sample_id': sample id is missing in row(s) 5" in e for e in errors)
    assert any("column 'sample_id': duplicate sample ids S00b" in e for e in errors)


def test_samples_first_needs_the_sample_column(make_study: StudyFactory) -> None:
    spec = make_study(spec=SPEC.replace('id = "pid"\n', 'id = "pid"\nsamples = "first"\n'))
    with pytest.raises(InputErrors, match="samples = 'first' needs the sample id column"):
        load_study(spec)
