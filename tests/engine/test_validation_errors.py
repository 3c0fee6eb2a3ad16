"""Every bad-input case: one located line per problem, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.cli.main import main
from tests.engine.conftest import SPEC, UNITS, StudyFactory, cohort_frame


def _run_bad(spec: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = spec.parent / "out"
    code = main(["run", str(spec), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not out.exists(), "nothing may be written on bad input"
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines), lines
    return lines


@pytest.fixture(autouse=True)
def _units(test_plugin_installed: str) -> None:
    """Every test here runs with the engine test units installed."""


def test_missing_spec_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run_bad(tmp_path / "nope.toml", capsys)
    assert lines == [f"error: {tmp_path / 'nope.toml'}: study file not found"]


def test_invalid_toml(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(spec="[study\n", units="")
    assert "invalid TOML" in _run_bad(spec, capsys)[0]


def test_missing_required_field_and_unknown_field(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(spec=SPEC.replace('id = "pid"', 'idd = "pid"'))
    lines = _run_bad(spec, capsys)
    assert any("field 'cohort.id': required field is missing" in line for line in lines)
    assert any("field 'cohort.idd': unknown field" in line for line in lines)


def test_missing_cohort_file(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(spec=SPEC.replace('"cohort.csv"', '"absent.csv"'))
    assert _run_bad(spec, capsys)[0].endswith("absent.csv: file not found")


def test_unreadable_csv(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(csv_text='pid,set\n"P1,train\nP2,test\n')
    line = _run_bad(spec, capsys)[0]
    assert "cohort.csv: cannot read the table" in line


def test_missing_ids(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    frame = cohort_frame()
    frame.loc[3, "pid"] = "NA"
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any("column 'pid': patient id is missing in row 5" in line for line in lines)


def test_duplicate_ids(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    frame = cohort_frame()
    frame.loc[4, "pid"] = "P00"
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any("duplicate patient ids P00 in rows 2, 6" in line for line in lines)


def test_column_named_but_absent(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().drop(columns=["marker"])
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any(
        "field 'cohort.variables.marker': column 'marker' named in the spec is not in the table"
        in line
        for line in lines
    )


def test_outcome_not_binary(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    frame = cohort_frame()
    frame.loc[7, "response"] = "maybe"
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any("column 'response': outcome is not binary: 3 values" in line for line in lines)


def test_positive_label_absent(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(spec=SPEC.replace('positive = "yes"', 'positive = "Yes"'))
    lines = _run_bad(spec, capsys)
    assert any(
        "field 'cohort.outcome.positive': positive label 'Yes' does not occur" in x for x in lines
    )


def test_split_label_absent(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(spec=SPEC.replace('column = "set"', 'column = "set"\ntest = "valid"'))
    lines = _run_bad(spec, capsys)
    assert any("field 'cohort.split.test': split label 'valid' does not occur" in x for x in lines)
    assert any("are neither the train label 'train' nor the test label 'valid'" in x for x in lines)


def test_split_with_no_events(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    frame = cohort_frame()
    frame.loc[frame["set"] == "test", "response"] = "no"
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any("the test split has no events ('yes')" in line for line in lines)


def test_non_numeric_continuous_names_rows(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"marker": object})
    frame.loc[[2, 9], "marker"] = ["high", "n/a"]
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any(
        "column 'marker': non-numeric value(s) 'high', 'n/a' in rows 4, 11" in line
        for line in lines
    )


def test_categorical_value_outside_levels(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame()
    frame.loc[0, "stage"] = "IV"
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any(
        "column 'stage': value(s) ['IV'] in row 2 are not among the declared" in x for x in lines
    )


def test_reference_not_in_levels(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(spec=SPEC.replace('reference = "I"', 'reference = "IV"'))
    lines = _run_bad(spec, capsys)
    assert any(
        "cohort.variables.stage" in x and "reference 'IV' is not one of levels" in x for x in lines
    )


def test_survival_errors(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    frame = cohort_frame()
    frame.loc[1, "months"] = -2.0
    frame.loc[2, "dead"] = 5
    lines = _run_bad(make_study(frame=frame), capsys)
    assert any(
        "column 'months': negative survival time of endpoint 'survival' in row 3" in x
        for x in lines
    )
    assert any("column 'dead': event values ['5'] in row 4" in x for x in lines)


def test_survival_time_zero_is_allowed(make_study: StudyFactory) -> None:
    from remarkit.engine.load import load_study
    from remarkit.engine.validate import load_cohort

    frame = cohort_frame()
    frame.loc[1, "months"] = 0.0
    cohort = load_cohort(load_study(make_study(frame=frame)))
    assert cohort.endpoint().time.iloc[1] == 0.0


def test_several_endpoints(make_study: StudyFactory) -> None:
    spec = make_study(spec=SPEC + '\n[cohort.endpoints.rfs]\ntime = "months"\nevent = "dead"\n')
    from remarkit.engine.load import load_study
    from remarkit.engine.validate import load_cohort

    cohort = load_cohort(load_study(spec))
    assert sorted(cohort.endpoints) == ["rfs", "survival"]
    assert cohort.endpoint("rfs").label == "Rfs"


def test_flow_that_does_not_reconcile(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(spec=SPEC.replace("excluded = 5", "excluded = 4"))
    lines = _run_bad(spec, capsys)
    assert any(
        "the patient flow ends at 41 patients but the cohort table has 40" in x for x in lines
    )


def test_unknown_unit(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(units='\n[[unit]]\nid = "x"\nuse = "no_such_unit"\n')
    lines = _run_bad(spec, capsys)
    assert any("field 'unit[0].use': unknown unit 'no_such_unit'" in x for x in lines)


def test_unknown_parameter(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(units=UNITS.replace("threshold = 0.5", "threshold = 0.5\nthreshhold = 1"))
    lines = _run_bad(spec, capsys)
    assert any("field 'unit[1](count).threshhold': unknown field" in x for x in lines)


def test_bad_parameter_value(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study(units=UNITS.replace("threshold = 0.5", 'threshold = "high"'))
    lines = _run_bad(spec, capsys)
    assert any("field 'unit[1](count).threshold'" in x for x in lines)


def test_missing_column_for_unit(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(units=UNITS.replace('column = "std.z"', 'column = "nothere"'))
    lines = _run_bad(spec, capsys)
    assert any("unit(count)" in x and "needs column 'nothere'" in x for x in lines)


def test_cycle(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    units = """
[[unit]]
id = "a"
use = "test_depends"
upstream = ["b"]

[[unit]]
id = "b"
use = "test_depends"
upstream = ["a"]

[[unit]]
id = "c"
use = "test_depends"
upstream = ["a"]
"""
    lines = _run_bad(make_study(units=units), capsys)
    assert lines == [
        f"error: {lines[0][7:].split(':')[0]}: field 'unit': units depend on each other in a cycle: a -> b -> a"
    ]


def test_all_problems_reported_together(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"marker": object})
    frame.loc[2, "marker"] = "x"
    frame.loc[4, "pid"] = "P00"
    spec = make_study(frame=frame, units='\n[[unit]]\nid = "x"\nuse = "nope"\n')
    lines = _run_bad(spec, capsys)
    assert len(lines) == 3


def test_debug_shows_traceback(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study(units='\n[[unit]]\nid = "x"\nuse = "nope"\n')
    assert main(["--debug", "validate", str(spec)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_input_files_never_modified(make_study: StudyFactory) -> None:
    spec = make_study()
    before = {p.name: p.read_bytes() for p in spec.parent.iterdir()}
    assert main(["run", str(spec), "--out", str(spec.parent.parent / "out"), "--no-cache"]) == 0
    after = {p.name: p.read_bytes() for p in spec.parent.iterdir() if p.is_file()}
    assert after == before


def test_several_input_errors_as_one() -> None:
    from remarkit.errors import InputError, InputErrors

    one = InputError("bad value", file="a.csv", row=3)
    assert InputErrors([one]).as_one() is one
    errors = [InputError(f"problem {i}", file="a.csv") for i in range(5)]
    merged = InputErrors(errors).as_one()
    assert merged.message == "5 problems: problem 0; problem 1; problem 2 (and 2 more)"
    assert merged.file == "a.csv"
    mixed = InputErrors([InputError("x", file="a.csv"), InputError("y", file="b.csv")]).as_one()
    assert mixed.file is None and mixed.message == "2 problems: x; y"
