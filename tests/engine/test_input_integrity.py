"""Issue 16, findings 1-4: duplicate headers, non-finite values, the patient flow, short rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.engine.load import load_study
from remarkit.engine.validate import check_flow
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame

FLOW = """
[[cohort.flow]]
label = "enrolled"
n = 45

[[cohort.flow]]
label = "no images"
excluded = 5
"""


@pytest.fixture(autouse=True)
def _units(test_plugin_installed: str) -> None:
    """Every test here runs with the engine test units installed."""


def _errors(spec: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = spec.parent / "out"
    code = main(["run", str(spec), "--out", str(out), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not out.exists()
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.strip()]


def test_duplicate_column_is_an_error(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame()
    text = frame.to_csv(index=False).splitlines()
    # a second 'marker' column (all 1) before the real one
    lines = [text[0].replace("age,marker", "age,marker,marker")]
    for row in text[1:]:
        cells = row.split(",")
        lines.append(",".join([*cells[:6], "1", *cells[6:]]))
    spec = make_study(csv_text="\n".join(lines) + "\n")
    errors = _errors(spec, capsys)
    assert errors == [
        f"error: {spec.parent / 'cohort.csv'}: column 'marker': column 'marker' (column 7) "
        "is repeated as column 8: rename or remove one of them"
    ]


def test_columns_differing_in_case_are_a_recorded_warning(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = cohort_frame()
    frame["Marker"] = 1
    spec = make_study(frame=frame)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "'marker' (column 7) and 'Marker' (column 9)" in err
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(document["cohort"]["input_warnings"]) == 1
    assert "differ only in case" in document["cohort"]["input_warnings"][0]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("inf", "'inf'"), ("-inf", "'-inf'"), ("Infinity", "'Infinity'"), ("1e309", "'1e309'")],
)
def test_non_finite_continuous_value(
    value: str, shown: str, make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"marker": object})
    frame.loc[3, "marker"] = value
    errors = _errors(make_study(frame=frame), capsys)
    assert len(errors) == 1
    assert f"cohort.csv: column 'marker': non-finite value(s) {shown} in row 5" in errors[0]


def test_overflowing_value_beyond_the_bound(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"age": object})
    frame.loc[0, "age"] = "1e308"
    errors = _errors(make_study(frame=frame), capsys)
    assert len(errors) == 1
    assert "column 'age': non-finite value(s) '1e308' in row 2" in errors[0]
    assert "1e+300" in errors[0]


def test_nan_literal_is_not_a_number(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"marker": object})
    frame.loc[1, "marker"] = "nan"
    spec = make_study(frame=frame, spec=SPEC.replace('id = "pid"', 'id = "pid"\nmissing = ["NA"]'))
    errors = _errors(spec, capsys)
    assert len(errors) == 1 and "column 'marker'" in errors[0] and "row 3" in errors[0]


def test_infinite_survival_time(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"months": object})
    frame.loc[2, "months"] = "inf"
    errors = _errors(make_study(frame=frame), capsys)
    assert len(errors) == 1
    assert (
        "column 'months': non-finite survival time(s) 'inf' in row 4 of endpoint 'survival'"
    ) in errors[0]


def test_negative_infinity_survival_time_is_one_error(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame().astype({"months": object})
    frame.loc[2, "months"] = "-inf"
    errors = _errors(make_study(frame=frame), capsys)
    assert len(errors) == 1 and "non-finite survival time" in errors[0]


def test_short_row_is_an_error(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    text = cohort_frame().to_csv(index=False).splitlines()
    text[5] = ",".join(text[5].split(",")[:-2])
    spec = make_study(csv_text="\n".join(text) + "\n")
    errors = _errors(spec, capsys)
    assert errors == [
        f"error: {spec.parent / 'cohort.csv'}: row 6: the row has 6 fields but the header has 8"
    ]


def test_flow_is_reconciled_across_an_n_step(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = FLOW.replace("excluded = 5", "excluded = 3") + (
        '\n[[cohort.flow]]\nlabel = "poor images"\nexcluded = 3\n'
        '\n[[cohort.flow]]\nlabel = "analysed"\nn = 40\n'
    )
    spec = make_study(spec=SPEC.split("[[cohort.flow]]")[0] + flow)
    errors = _errors(spec, capsys)
    assert errors == [
        f"error: {spec}: field 'cohort.flow[3]': step 'analysed' gives n = 40 but the "
        "steps before it leave 45 - 3 - 3 = 39"
    ]


def test_consecutive_n_steps_must_agree(make_study: StudyFactory) -> None:
    flow = FLOW.replace('label = "no images"\nexcluded = 5', 'label = "analysed"\nn = 40')
    study = load_study(make_study(spec=SPEC.split("[[cohort.flow]]")[0] + flow))
    errors = [str(e) for e in check_flow(study, 40)]
    assert errors == [
        "field 'cohort.flow[1]': step 'analysed' gives n = 40 but the steps before it leave 45 "
        "(add an 'excluded' step for the 5 patient(s))"
    ]


def test_flow_excluded_and_n_in_one_step(make_study: StudyFactory) -> None:
    flow = FLOW.replace("excluded = 5", "excluded = 5\nn = 41")
    study = load_study(make_study(spec=SPEC.split("[[cohort.flow]]")[0] + flow))
    errors = [str(e) for e in check_flow(study, 40)]
    assert errors[0] == (
        "field 'cohort.flow[1]': step 'no images' gives n = 41 but the steps before it leave "
        "45 - 5 = 40"
    )


def test_a_reconciled_flow_passes(make_study: StudyFactory) -> None:
    flow = FLOW.replace("excluded = 5", "excluded = 2") + (
        '\n[[cohort.flow]]\nlabel = "poor images"\nexcluded = 3\n'
        '\n[[cohort.flow]]\nlabel = "analysed"\nn = 40\n'
    )
    study = load_study(make_study(spec=SPEC.split("[[cohort.flow]]")[0] + flow))
    assert check_flow(study, 40) == []
