"""[cohort.semantic.NAME]: reader columns, consensus rules, provenance and every input error."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.errors import InputErrors
from remarkit.report.compile import compile_report
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame

FEATURE = """
[cohort.semantic.dv]
label = "Dilated vasculature"
readers = ["dv_r1", "dv_r2"]
levels = ["absent", "present"]
"""


def _frame(n: int = 40) -> pd.DataFrame:
    """The engine test cohort with two readers (disagreeing on every fifth patient) and an
    adjudicator who always sides with reader 1, plus a third reader equal to reader 2."""
    frame = cohort_frame(n)
    rng = np.random.default_rng(11)
    truth = rng.choice(["absent", "present"], n)
    r2 = truth.copy()
    flip = np.arange(n) % 5 == 0
    r2[flip] = np.where(truth[flip] == "absent", "present", "absent")
    frame["dv_r1"] = truth
    frame["dv_r2"] = r2
    frame["dv_r3"] = r2
    frame["dv_adj"] = np.where(flip, truth, "")
    frame["dv_final"] = truth
    return frame


def _errors(make_study: StudyFactory, feature: str, frame: pd.DataFrame | None = None) -> str:
    path = make_study(spec=SPEC + feature, units="", frame=_frame() if frame is None else frame)
    with pytest.raises(InputErrors) as exc:
        prepare(path)
    return str(exc.value)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('consensus = "adjudicator"\nadjudicator = "dv_adj"', "r1"),
        ('consensus = "column"\ncolumn = "dv_final"', "r1"),
        ('consensus = "reader"\nreader = "dv_r2"', "r2"),
    ],
)
def test_consensus_rules(make_study: StudyFactory, rule: str, expected: str) -> None:
    frame = _frame()
    cohort = prepare(make_study(spec=SPEC + FEATURE + rule + "\n", units="", frame=frame)).cohort
    want = frame[f"dv_{expected}"].to_numpy()
    assert list(cohort.data["dv"].astype(str)) == list(want)
    assert cohort.variable("dv").levels == ["absent", "present"]  # type: ignore[union-attr]
    assert cohort.label("dv") == "Dilated vasculature"
    record = cohort.semantic.record("dv")  # type: ignore[union-attr]
    assert record is not None
    assert record.n_disagree == 8
    assert record.n_adjudicated == (0 if expected == "r2" else 8)


def test_majority_of_three_readers_and_adjudicator_fallback(make_study: StudyFactory) -> None:
    frame = _frame()
    spec = SPEC + FEATURE.replace('"dv_r2"]', '"dv_r2", "dv_r3"]') + 'consensus = "majority"\n'
    cohort = prepare(make_study(spec=spec, units="", frame=frame)).cohort
    assert list(cohort.data["dv"].astype(str)) == list(frame["dv_r2"])  # r2 = r3: 2 of 3
    # two readers who disagree have no majority: the adjudicator settles it
    spec2 = SPEC + FEATURE + 'consensus = "majority"\nadjudicator = "dv_adj"\n'
    cohort2 = prepare(make_study(spec=spec2, units="", frame=frame, folder="b")).cohort
    assert list(cohort2.data["dv"].astype(str)) == list(frame["dv_r1"])


def test_no_majority_without_adjudicator_lists_patients(make_study: StudyFactory) -> None:
    text = _errors(make_study, FEATURE + 'consensus = "majority"\n')
    assert "field 'cohort.semantic.dv.consensus'" in text
    assert "no level has a majority of the 2 readers" in text
    assert "8 patient(s): P00, P05, P10, P15, P20 and 3 more" in text


def test_adjudicator_missing_where_readers_disagree(make_study: StudyFactory) -> None:
    frame = _frame()
    frame.loc[5, "dv_adj"] = ""
    text = _errors(
        make_study, FEATURE + 'consensus = "adjudicator"\nadjudicator = "dv_adj"\n', frame
    )
    assert "the readers disagree and the adjudicator column 'dv_adj' is empty" in text
    assert "1 patient(s): P05" in text


def test_one_reader_is_a_spec_error(make_study: StudyFactory) -> None:
    feature = FEATURE.replace('"dv_r1", "dv_r2"', '"dv_r1"') + 'consensus = "reader"\n'
    feature += 'reader = "dv_r1"\n'
    text = _errors(make_study, feature)
    assert "field 'cohort.semantic.dv.readers'" in text
    assert "needs at least two readers' columns (1 given)" in text
    assert len(text.splitlines()) == 1


def test_level_outside_levels_names_file_row_and_column(make_study: StudyFactory) -> None:
    frame = _frame()
    frame.loc[3, "dv_r2"] = "maybe"
    text = _errors(make_study, FEATURE + 'consensus = "reader"\nreader = "dv_r1"\n', frame)
    assert "cohort.csv: row 5, column 'dv_r2'" in text
    assert "value 'maybe' (patient P03) is not one of the levels ['absent', 'present']" in text


def test_readers_without_overlap(make_study: StudyFactory) -> None:
    frame = _frame()
    frame.loc[: len(frame) // 2, "dv_r1"] = ""
    frame.loc[len(frame) // 2 + 1 :, "dv_r2"] = ""
    text = _errors(make_study, FEATURE + 'consensus = "reader"\nreader = "dv_r1"\n', frame)
    assert "field 'cohort.semantic.dv.readers'" in text
    assert "no patient was scored by every reader (columns dv_r1, dv_r2)" in text


@pytest.mark.parametrize(
    ("rule", "message", "where"),
    [
        (
            'consensus = "adjudicator"',
            "consensus = 'adjudicator' needs the field `adjudicator`",
            "",
        ),
        ('consensus = "reader"\nreader = "dv_r9"', "reader 'dv_r9' is not one of readers", ""),
        ('consensus = "column"', "needs the field `column`", ""),
        (
            'consensus = "reader"\nreader = "dv_r1"\nadjudicator = "dv_adj"',
            "`adjudicator` is not used by consensus = 'reader'",
            "",
        ),
        ('consensus = "vote"', "Input should be", ".consensus"),
        (
            'consensus = "column"\ncolumn = "nowhere"',
            "column 'nowhere' named in the spec",
            ".column",
        ),
    ],
)
def test_rule_field_errors(make_study: StudyFactory, rule: str, message: str, where: str) -> None:
    text = _errors(make_study, FEATURE + rule + "\n")
    assert f"field 'cohort.semantic.dv{where}'" in text
    assert message in text


def test_name_clash_with_declared_variable(make_study: StudyFactory) -> None:
    feature = FEATURE.replace("semantic.dv]", "semantic.age]") + 'consensus = "reader"\n'
    text = _errors(make_study, feature + 'reader = "dv_r1"\n')
    assert "field 'cohort.semantic.age'" in text
    assert "already a declared cohort variable" in text


def test_consensus_is_a_variable_for_units_derivations_and_results(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    derived = """
[cohort.derived.dv_any]
rule = "regroup"
variable = "dv"
map = { absent = "no", present = "yes" }
"""
    units = """
[[unit]]
id = "clin"
use = "logistic_model"
variables = ["age", "dv"]
"""
    spec = SPEC + FEATURE + 'consensus = "adjudicator"\nadjudicator = "dv_adj"\n' + derived
    prepared = prepare(make_study(spec=spec, units=units, frame=_frame()))
    assert list(prepared.cohort.data["dv_any"].cat.categories) == ["no", "yes"]
    out = tmp_path / "out"
    results = run_prepared(prepared, out, use_cache=False)
    assert not results.failed
    saved = json.loads((out / "results.json").read_text())
    record = saved["cohort"]["semantic"][0]
    assert record["name"] == "dv"
    assert record["readers"] == ["dv_r1", "dv_r2"]
    assert record["consensus"] == "adjudicator"
    assert record["n_adjudicated"] == 8
    assert "scored by 2 readers (columns dv_r1, dv_r2)" in saved["cohort"]["semantic_methods"]
    assert "otherwise the adjudicator's (column dv_adj)" in saved["cohort"]["semantic_methods"]
    compile_report(out, saved, pdf=False)
    assert 'id="semantic-features"' in (out / "report.html").read_text(encoding="utf-8")
