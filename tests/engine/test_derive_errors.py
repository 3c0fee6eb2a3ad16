"""Bad derivations and implausible values: one located line each, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.cli.main import main
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame


def _errors(spec: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = spec.parent / "out"
    before = (spec.parent / "cohort.csv").read_bytes()
    code = main(["run", str(spec), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not out.exists(), "nothing may be written on bad input"
    assert (spec.parent / "cohort.csv").read_bytes() == before, "the input is never modified"
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("error: ") for line in lines), lines
    assert "Traceback" not in err
    return lines


def _one(lines: list[str], field: str, text: str) -> None:
    hits = [line for line in lines if f"field '{field}'" in line and text in line]
    assert hits, f"no error naming {field!r} with {text!r} in {lines}"


BAD = {
    "unknown_column": (
        'rule = "cut"\nvariable = "nope"\nthreshold = 1',
        "variable",
        "unknown column 'nope'",
    ),
    "unsorted_breaks": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, 60, 40]',
        "breaks",
        "not sorted",
    ),
    "duplicated_breaks": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, 40, 40, 90]',
        "breaks",
        "duplicated",
    ),
    "one_break": ('rule = "cut"\nvariable = "age"\nbreaks = [40]', "breaks", "at least two breaks"),
    "labels_count": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, 40, 90]\nlabels = ["a", "b", "c"]',
        "labels",
        "3 label(s) for 2 interval(s)",
    ),
    "labels_repeat": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, 40, 90]\nlabels = ["a", "a"]',
        "labels",
        "repeat",
    ),
    "breaks_and_threshold": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, 40, 90]\nthreshold = 50',
        "breaks",
        "exactly one",
    ),
    "infinite_threshold": (
        'rule = "cut"\nvariable = "age"\nthreshold = inf',
        "threshold",
        "finite",
    ),
    "unparseable_break": (
        'rule = "cut"\nvariable = "age"\nbreaks = [0, "forty"]',
        "breaks.1",
        "valid number",
    ),
    "cut_categorical": (
        'rule = "cut"\nvariable = "stage"\nthreshold = 1',
        "variable",
        "is categorical",
    ),
    "bad_reference": (
        'rule = "cut"\nvariable = "age"\nthreshold = 50\nreference = "old"',
        "reference",
        "not one of the levels",
    ),
    "overlapping_patterns": (
        'rule = "regroup"\nvariable = "stage"\npatterns = { early = "I|II", late = "II|III" }',
        "patterns",
        "level 'II' is covered more than once",
    ),
    "map_overlaps_pattern": (
        'rule = "regroup"\nvariable = "stage"\nmap = { I = "early" }\npatterns = { early = "I+" }',
        "patterns",
        "level 'I' is covered more than once",
    ),
    "unmapped_error": (
        'rule = "regroup"\nvariable = "stage"\nmap = { I = "early", II = "early" }',
        "unmapped",
        "level(s) ['III'] of stage are not regrouped",
    ),
    "map_key_unknown": (
        'rule = "regroup"\nvariable = "stage"\nmap = { I = "a", II = "a", III = "b", IV = "b" }',
        "map",
        "map key(s) ['IV']",
    ),
    "bad_regex": (
        'rule = "regroup"\nvariable = "stage"\npatterns = { early = "I(" }',
        "patterns.early",
        "not a valid regular expression",
    ),
    "regroup_continuous": (
        'rule = "regroup"\nvariable = "age"\nmap = { 1 = "a" }',
        "variable",
        "is continuous",
    ),
    "bad_order": (
        'rule = "regroup"\nvariable = "stage"\nmap = { I = "a", II = "a", III = "b" }\norder = ["a"]',
        "order",
        "must list each new level once",
    ),
    "unknown_rule": ('rule = "bin"\nvariable = "age"', "rule", "unknown rule 'bin'"),
    "unknown_field": (
        'rule = "transform"\nvariable = "age"\nfunction = "log"\nbase = 3',
        "base",
        "unknown field",
    ),
    "bad_function": (
        'rule = "transform"\nvariable = "age"\nfunction = "cube"',
        "function",
        "Input should be",
    ),
    "unsafe_call": (
        "rule = \"expression\"\nexpression = \"__import__('os').system('ls')\"",
        "expression",
        "is not allowed",
    ),
    "attribute": (
        'rule = "expression"\nexpression = "age.real"',
        "expression",
        "is not allowed (Attribute)",
    ),
    "comparison": (
        'rule = "expression"\nexpression = "age > 50"',
        "expression",
        "is not allowed (Compare)",
    ),
    "string": ('rule = "expression"\nexpression = "age + \'1\'"', "expression", "only numbers"),
    "lambda": ('rule = "expression"\nexpression = "(lambda: 1)()"', "expression", "not allowed"),
    "syntax": ('rule = "expression"\nexpression = "age +"', "expression", "cannot parse"),
    "unknown_name": (
        'rule = "expression"\nexpression = "age / weight"',
        "expression",
        "unknown column 'weight'",
    ),
    "bare_function": (
        'rule = "expression"\nexpression = "log + age"',
        "expression",
        "must be called",
    ),
    "arity": ('rule = "expression"\nexpression = "log(age, 2)"', "expression", "takes 1 argument"),
    "categorical_in_expression": (
        'rule = "expression"\nexpression = "stage * 2"',
        "expression",
        "is categorical",
    ),
    "self_reference": ('rule = "expression"\nexpression = "x + 1"', "expression", "cycle"),
    "derived_range_bad": (
        'rule = "expression"\nexpression = "age * 2"\nrange = [10, 1]',
        "range",
        "low < high",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_derivation(
    case: str, make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    table, sub, text = BAD[case]
    spec = make_study(spec=SPEC + f"\n[cohort.derived.x]\n{table}\n", units="")
    _one(_errors(spec, capsys), f"cohort.derived.x.{sub}", text)


def test_forward_reference(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    derived = (
        '\n[cohort.derived.a]\nrule = "expression"\nexpression = "b * 2"\n'
        '\n[cohort.derived.b]\nrule = "expression"\nexpression = "age + 1"\n'
    )
    lines = _errors(make_study(spec=SPEC + derived, units=""), capsys)
    _one(lines, "cohort.derived.a.expression", "'b' is derived later")
    assert len(lines) == 1


def test_error_in_one_skips_its_dependents(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    derived = (
        '\n[cohort.derived.a]\nrule = "cut"\nvariable = "age"\nbreaks = [90, 0]\n'
        '\n[cohort.derived.b]\nrule = "regroup"\nvariable = "a"\nmap = { x = "y" }\n'
        '\n[cohort.derived.c]\nrule = "transform"\nvariable = "nothing"\nfunction = "log"\n'
    )
    lines = _errors(make_study(spec=SPEC + derived, units=""), capsys)
    _one(lines, "cohort.derived.a.breaks", "not sorted")
    _one(lines, "cohort.derived.c.variable", "unknown column 'nothing'")
    assert len(lines) == 2  # b depends on the failed a: not reported twice


def test_name_clash_and_bad_name(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    derived = (
        '\n[cohort.derived.age]\nrule = "transform"\nvariable = "marker"\nfunction = "log"\n'
        '\n[cohort.derived."2x"]\nrule = "transform"\nvariable = "marker"\nfunction = "log"\n'
    )
    lines = _errors(make_study(spec=SPEC + derived, units=""), capsys)
    _one(lines, "cohort.derived.age", "already a declared cohort variable")
    _one(lines, "cohort.derived.2x", "must start with a letter")


def test_log_of_non_positive_as_error(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame()
    frame.loc[[3, 7], "marker"] = [0.0, -1.5]
    derived = (
        '\n[cohort.derived.x]\nrule = "transform"\nvariable = "marker"\nfunction = "log"\n'
        'on_invalid = "error"\n'
    )
    lines = _errors(make_study(spec=SPEC + derived, units="", frame=frame), capsys)
    _one(
        lines,
        "cohort.derived.x.on_invalid",
        "2 value(s) of marker <= 0 cannot take log (rows 5, 9)",
    )


def test_out_of_range_error_lists_rows(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame()
    frame.loc[[0, 10], "marker"] = [450000.0, -3.0]
    spec = SPEC.replace(
        '[cohort.variables.marker]\ntype = "continuous"\n',
        '[cohort.variables.marker]\ntype = "continuous"\nrange = [0, 1000]\n',
    )
    lines = _errors(make_study(spec=spec, units="", frame=frame), capsys)
    assert len(lines) == 1
    assert "column 'marker'" in lines[0]
    assert (
        "2 value(s) outside the plausible range [0, 1000]: 450000 (row 2), -3 (row 12)" in lines[0]
    )


def test_range_field_errors(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = SPEC.replace(
        '[cohort.variables.marker]\ntype = "continuous"\n',
        '[cohort.variables.marker]\ntype = "continuous"\nrange = [5, 5]\n',
    ).replace('reference = "I"\n', 'reference = "I"\nrange = [0, 1]\n')
    lines = _errors(make_study(spec=spec, units=""), capsys)
    _one(lines, "cohort.variables.marker.range", "low < high")
    _one(lines, "cohort.variables.stage.range", "continuous variables only")
