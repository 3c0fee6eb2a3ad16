"""A misspelt unit name, unit parameter or spec key names the closest valid one."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.engine.load import load_study
from remarkit.engine.plan import plan_study
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.engine.registry import UnitRegistry
from remarkit.engine.spec import Study
from remarkit.engine.suggest import closest, did_you_mean, fields_at
from remarkit.errors import InputErrors
from tests.engine.conftest import SPEC

COLUMNS = {"age", "marker", "stage"}


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return make_plugin_manager(entry_points=[]).units()


def _spec_errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "study.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_study(path)
    return [e.format() for e in caught.value.errors]


def _plan_errors(tmp_path: Path, registry: UnitRegistry, units: str) -> list[str]:
    path = tmp_path / "study.toml"
    path.write_text(SPEC + units, encoding="utf-8")
    study = load_study(path)
    with pytest.raises(InputErrors) as caught:
        plan_study(study, registry, COLUMNS, spec_file=str(path))
    return [e.format() for e in caught.value.errors]


def test_closest_is_none_when_nothing_is_close() -> None:
    assert closest("discrimnation", ["discrimination", "calibration"]) == "discrimination"
    assert closest("Threshold", ["threshold", "level"]) == "threshold"
    assert closest("zzzz", ["discrimination", "calibration"]) is None
    assert did_you_mean("zzzz", ["level"]) == ""
    assert did_you_mean("levle", ["level"]) == "; did you mean `level`?"


def test_unknown_unit_suggests_the_closest_registered(
    tmp_path: Path, registry: UnitRegistry
) -> None:
    units = '\n[[unit]]\nid = "d"\nuse = "discrimnation"\n'
    [line] = _plan_errors(tmp_path, registry, units)
    assert "field 'unit[0].use': unknown unit 'discrimnation'; did you mean `discrimination`?" in (
        line
    )
    assert "\n" not in line


def test_unknown_unit_without_a_close_name_lists_the_units(
    tmp_path: Path, registry: UnitRegistry
) -> None:
    [line] = _plan_errors(tmp_path, registry, '\n[[unit]]\nid = "d"\nuse = "xyzzy"\n')
    assert "did you mean" not in line and "(known: baseline_table," in line


def test_unknown_unit_parameter_suggests_the_parameter(
    tmp_path: Path, registry: UnitRegistry
) -> None:
    units = '\n[[unit]]\nid = "mb"\nuse = "mutation_burden"\nscore = "marker"\nthreshhold = 0.5\n'
    [line] = _plan_errors(tmp_path, registry, units)
    assert line.endswith("field 'unit[0](mb).threshhold': unknown field; did you mean `threshold`?")


def test_unknown_field_of_a_nested_parameter_table(tmp_path: Path, registry: UnitRegistry) -> None:
    units = (
        '\n[[unit]]\nid = "d"\nuse = "discrimination"\n'
        'scores = [{ column = "marker" }, { colum = "age", direction = "hihger" }]\n'
    )
    lines = _plan_errors(tmp_path, registry, units)
    assert any(
        x.endswith("field 'unit[0](d).scores.1.colum': unknown field; did you mean `column`?")
        for x in lines
    ), lines
    assert any(
        "scores.1.direction': Input should be 'higher' or 'lower'; did you mean `higher`?" in x
        for x in lines
    ), lines


def test_unknown_parameter_with_nothing_close_names_no_parameter(
    tmp_path: Path, registry: UnitRegistry
) -> None:
    units = '\n[[unit]]\nid = "d"\nuse = "discrimination"\nscores = [{ column = "age" }]\nq = 1\n'
    [line] = _plan_errors(tmp_path, registry, units)
    assert line.endswith("field 'unit[0](d).q': unknown field")


@pytest.mark.parametrize(
    ("old", "new", "field", "valid"),
    [
        ("seed = 7", "sed = 7", "study.sed", "seed"),
        ('table = "cohort.csv"', 'tabel = "cohort.csv"', "cohort.tabel", "table"),
        ('column = "set"', 'colunm = "set"', "cohort.split.colunm", "column"),
        ('positive = "yes"', 'postive = "yes"', "cohort.outcome.postive", "positive"),
        ('event = "dead"', 'evnt = "dead"', "cohort.survival.evnt", "event"),
        (
            'levels = ["I", "II", "III"]',
            'level = ["I", "II", "III"]',
            "cohort.variables.stage.level",
            "levels",
        ),
        ("excluded = 5", "exluded = 5", "cohort.flow.1.exluded", "excluded"),
        ("[cohort.split]", "[cohort.splitt]", "cohort.splitt", "split"),
    ],
)
def test_unknown_spec_key_suggests_the_key(
    tmp_path: Path, old: str, new: str, field: str, valid: str
) -> None:
    assert old in SPEC
    lines = _spec_errors(tmp_path, SPEC.replace(old, new))
    assert any(
        x.endswith(f"field '{field}': unknown field; did you mean `{valid}`?") for x in lines
    ), lines


def test_unknown_top_level_table_and_bad_choice(tmp_path: Path) -> None:
    text = SPEC.replace('type = "categorical"', 'type = "categoric"') + "\n[imgaes]\nx = 1\n"
    lines = _spec_errors(tmp_path, text)
    assert any(x.endswith("field 'imgaes': unknown field; did you mean `images`?") for x in lines)
    assert any(
        x.endswith(
            "field 'cohort.variables.stage.type': Input should be 'continuous' or "
            "'categorical'; did you mean `categorical`?"
        )
        for x in lines
    ), lines


def test_fields_at_follows_lists_dicts_and_optionals() -> None:
    assert fields_at(Study, ()) == ["study", "cohort", "images", "genomics", "unit"]
    assert "reference" in fields_at(Study, ("cohort", "variables", "stage"))
    assert fields_at(Study, ("cohort", "flow", 3)) == ["label", "n", "excluded"]
    assert "column" in fields_at(Study, ("cohort", "split"))
    assert fields_at(Study, ("study", "title")) == []


def test_misspelt_id_or_use_of_a_unit_table(tmp_path: Path) -> None:
    """A [[unit]] table takes any key (the unit's parameters), so a misspelt `use` or `id` shows
    as the missing field, which names the given key that looks like it."""
    units = '\n[[unit]]\nid = "a"\nuses = "discrimination"\n\n[[unit]]\nidd = "b"\nuse = "x"\n'
    lines = _spec_errors(tmp_path, SPEC + units)
    assert any(
        x.endswith("field 'unit.0.use': required field is missing; is `uses` a misspelling?")
        for x in lines
    ), lines
    assert any(
        x.endswith("field 'unit.1.id': required field is missing; is `idd` a misspelling?")
        for x in lines
    ), lines


def test_missing_field_of_a_closed_table_adds_no_second_hint(tmp_path: Path) -> None:
    lines = _spec_errors(tmp_path, SPEC.replace('id = "pid"', 'idd = "pid"'))
    assert any(x.endswith("field 'cohort.id': required field is missing") for x in lines), lines
    assert any(x.endswith("field 'cohort.idd': unknown field; did you mean `id`?") for x in lines)
