"""study.toml written from the Study model (remarkit.engine.spec_toml) reads back as the same model."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from remarkit.demo.genomics import GENOMICS
from remarkit.demo.spec import demo_study
from remarkit.demo.units import DEMO_UNITS
from remarkit.demo.units_genomics import GENOMICS_UNITS
from remarkit.engine.spec import Study
from remarkit.engine.spec_toml import study_toml, toml_tables, toml_value, unit_tables
from remarkit.testing import synthetic_cohort
from remarkit.testing.study import synthetic_study


def _round_trip(study: Study) -> Study:
    return Study.model_validate(tomllib.loads(study_toml(study)))


@pytest.mark.parametrize("kind", ["training", "external", "radiogenomics"])
def test_demo_study_reads_back_unchanged(kind: str) -> None:
    genomics = GENOMICS if kind == "radiogenomics" else None
    units = GENOMICS_UNITS if kind == "radiogenomics" else DEMO_UNITS
    study = demo_study(7, units, kind=kind, n=40, genomics=genomics)
    assert _round_trip(study) == study
    assert (study.cohort.split is None) == (kind != "training")


def test_test_study_reads_back_unchanged() -> None:
    cohort = synthetic_cohort(40)
    study = synthetic_study(cohort, seed=3, total=203, units=[{"id": "u", "use": "x", "k": 1.5}])
    again = _round_trip(study)
    assert again == study and again.unit[0].params() == {"k": 1.5}
    assert [step.label for step in again.cohort.flow][1] == "Not drawn into this test study"


def test_only_given_fields_are_written() -> None:
    study = Study.model_validate(
        {"study": {"title": "t"}, "cohort": {"table": "c.csv", "id": "pid"}}
    )
    assert study_toml(study) == '[study]\ntitle = "t"\n\n[cohort]\ntable = "c.csv"\nid = "pid"\n'


def test_units_can_be_appended_to_a_study_without_units() -> None:
    study = synthetic_study(synthetic_cohort(40), seed=3, total=203)
    text = study_toml(study) + "\n" + unit_tables([{"id": "u", "use": "x"}])
    assert "unit = []" not in text and tomllib.loads(text)["unit"] == [{"id": "u", "use": "x"}]


def test_tables_arrays_and_comment() -> None:
    text = toml_tables(
        {
            "a": {"x": 1, "sub": {"y": "é"}, "rows": [{"n": 1}, {"n": 2, "m": {"k": [1, 2]}}]},
            "unit": [{"id": "u", "use": "v", "scores": [{"column": "s"}, {"column": "t"}]}],
        },
        comment="line one\n\nline two",
    )
    assert text.startswith('# line one\n#\n# line two\n\n[a]\nx = 1\n\n[a.sub]\ny = "é"\n')
    assert "[[a.rows]]\nn = 2\nm = { k = [1, 2] }\n" in text
    assert 'scores = [\n  { column = "s" },\n  { column = "t" },\n]' in text
    assert tomllib.loads(text)["a"]["rows"][1]["m"] == {"k": [1, 2]}


def test_values() -> None:
    assert toml_value(Path("a/b.csv")) == '"a/b.csv"'
    assert toml_value([math.inf, -math.inf, 0.5, 2]) == "[inf, -inf, 0.5, 2]"
    assert toml_value({"a b": 'q"uote'}) == '{ "a b" = "q\\"uote" }'


def test_unit_tables_need_id_and_use() -> None:
    with pytest.raises(ValueError, match="needs 'use'"):
        unit_tables([{"id": "u"}])
    assert (
        unit_tables([{"use": "v", "id": "u", "p": 1}]) == '[[unit]]\nid = "u"\nuse = "v"\np = 1\n'
    )
