"""``not_applicable_when``: structural absences are counted as not applicable, never as missing.

The cohort's missing counts, the candidate-variable table and the baseline table separate them;
a condition may chain (pCR does not apply after no resection, resection not without response)
and may name the binary outcome; bad conditions are one-line errors naming the field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.cohort import Cohort
from remarkit.engine.load import load_study
from remarkit.engine.validate import load_cohort
from remarkit.errors import InputErrors
from tests.clinical.conftest import VARIABLES, Harness, clinical_frame, spec_text

RULES = {
    "vascular": 'type = "categorical"\nlevels = ["No", "Yes"]',
    "vp": 'type = "categorical"\nlevels = ["Vp1", "Vp3"]\n'
    'not_applicable_when = { column = "vascular", levels = ["No"] }',
    "resected": 'type = "categorical"\nlevels = ["No", "Yes"]\n'
    'not_applicable_when = { column = "response", levels = ["no"] }',
    "pcr": 'type = "categorical"\nlevels = ["No", "Yes"]\n'
    'not_applicable_when = { column = "resected", levels = ["No"] }',
    "nodes": 'type = "continuous"\nnot_applicable_when = { column = "age", levels = [0] }',
}


def frame_with_rules() -> pd.DataFrame:
    """clinical_frame plus vascular invasion / Vp grade and resection / pCR, some truly missing."""
    frame = clinical_frame()
    rng = np.random.default_rng(3)
    n = len(frame)
    vascular = rng.random(n) < 0.6
    frame["vascular"] = np.where(vascular, "Yes", "No")
    frame["vp"] = np.where(vascular, np.where(rng.random(n) < 0.5, "Vp1", "Vp3"), "NA")
    frame.loc[[i for i in range(n) if vascular[i]][:4], "vp"] = "NA"  # 4 truly missing
    frame.loc[[i for i in range(n) if not vascular[i]][:2], "vp"] = "Vp1"  # 2 not expected
    responders = frame["response"] == "yes"
    frame["resected"] = np.where(responders, np.where(rng.random(n) < 0.5, "Yes", "No"), "NA")
    frame["pcr"] = np.where(
        frame["resected"] == "Yes", np.where(rng.random(n) < 0.4, "Yes", "No"), "NA"
    )
    frame["nodes"] = rng.integers(0, 5, n).astype(float)
    return frame


def _load(root: Path, frame: pd.DataFrame, variables: dict[str, str]) -> Cohort:
    root.mkdir(parents=True, exist_ok=True)
    frame.to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(spec_text(variables), encoding="utf-8")
    return load_cohort(load_study(root / "study.toml"))


def test_structural_absences_are_not_missing(tmp_path: Path) -> None:
    frame = frame_with_rules()
    cohort = _load(tmp_path, frame, {**VARIABLES, **RULES})
    vascular = frame["vascular"] == "Yes"
    vp_absent = frame["vp"] == "NA"
    na = {name: int(mask.sum()) for name, mask in cohort.not_applicable.items()}
    assert na["vp"] == int((~vascular & vp_absent).sum())
    assert cohort.missing_counts["vp"] == 4 == int((vascular & vp_absent).sum())
    responders = frame["response"] == "yes"
    assert na["resected"] == int((~responders).sum()) and cohort.missing_counts["resected"] == 0
    # pCR: not applicable after no resection and, by the chain, where resection does not apply
    assert na["pcr"] == int((frame["resected"] != "Yes").sum())
    assert cohort.missing_counts["pcr"] == 0
    assert na["nodes"] == 0 and cohort.missing_counts["nodes"] == 0
    assert cohort.input_warnings == (
        "vp: 2 patient(s) have a value although it does not apply (vascular = No); "
        "the values are kept",
    )


def test_baseline_table_counts_not_applicable_separately(tmp_path: Path) -> None:
    from remarkit.plugins.clinical.baseline_table import BaselineTable
    from remarkit.report.render import ReportState, render_unit
    from remarkit.report.templates import make_environment

    frame = frame_with_rules()
    variables = {**VARIABLES, **RULES}
    _load(tmp_path, frame, variables)
    study = load_study(tmp_path / "study.toml")
    harness = Harness(study=study, cohort=load_cohort(study), out=tmp_path / "out")
    result = harness.run(BaselineTable, {"variables": ["vp", "age"]}, unit_id="t1")
    vp = result.rows[0]
    for stats, split in zip(vp.groups, ["train", "test"], strict=True):
        part = frame[frame["set"] == split]
        absent = part["vp"] == "NA"
        assert stats.not_applicable == int((absent & (part["vascular"] == "No")).sum())
        assert stats.missing == int((absent & (part["vascular"] == "Yes")).sum())
    assert vp.total is not None and (vp.total.missing, vp.total.not_applicable) == (
        4,
        int(((frame["vp"] == "NA") & (frame["vascular"] == "No")).sum()),
    )
    assert result.rows[1].total is not None and result.rows[1].total.not_applicable == 0
    html = str(
        render_unit(
            make_environment(), {"result": result.model_dump(mode="json")}, ReportState(tmp_path)
        )
    )
    assert ">Not applicable<" in html and "not counted as missing" in html


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ('{ column = "nope", levels = ["No"] }', "column", "'nope' is not a declared variable"),
        ('{ column = "vp", levels = ["No"] }', "column", "'vp' cannot depend on itself"),
        ('{ column = "vascular", levels = ["Maybe"] }', "levels", "['Maybe'] are not levels"),
        ('{ column = "age", levels = ["old"] }', "levels", "['old'] are not numbers"),
        ('{ column = "vascular" }', "levels", "required field is missing"),
    ],
)
def test_bad_conditions_name_the_field(tmp_path: Path, rule: str, field: str, message: str) -> None:
    variables = {
        **VARIABLES,
        "vascular": RULES["vascular"],
        "vp": f'type = "categorical"\nlevels = ["Vp1", "Vp3"]\nnot_applicable_when = {rule}',
    }
    with pytest.raises(InputErrors) as caught:
        _load(tmp_path, frame_with_rules(), variables)
    text = str(caught.value)
    assert message in text
    assert f"field 'cohort.variables.vp.not_applicable_when.{field}'" in text
    assert len(caught.value.errors) == 1


def test_a_cycle_is_an_error(tmp_path: Path) -> None:
    variables = {
        **VARIABLES,
        "vascular": 'type = "categorical"\nlevels = ["No", "Yes"]\n'
        'not_applicable_when = { column = "vp", levels = ["Vp1"] }',
        "vp": RULES["vp"],
    }
    with pytest.raises(InputErrors, match="depend on each other"):
        _load(tmp_path, frame_with_rules(), variables)


def test_candidate_variable_table_shows_not_applicable(tmp_path: Path) -> None:
    from tests.engine.conftest import cohort_frame
    from tests.report.conftest import run_report, write_study

    frame = cohort_frame()
    frame["vascular"] = ["Yes" if i % 3 else "No" for i in range(len(frame))]
    frame["vp"] = ["Vp1" if i % 3 else "NA" for i in range(len(frame))]
    frame.loc[1, "vp"] = "NA"  # one truly missing
    tail = "".join(f"\n[cohort.variables.{k}]\n{RULES[k]}\n" for k in ("vascular", "vp"))
    spec = write_study(tmp_path / "study", units="", spec_tail=tail, frame=frame)
    run = run_report(spec, tmp_path / "out", pdf=False)
    assert run.results["cohort"]["not_applicable"] == {"vp": 14}
    assert run.results["cohort"]["missing"]["vp"] == 1
    html = run.html
    assert '<th scope="col" class="num">Not applicable</th>' in html
    assert "<td><code>vp</code></td>" in html and "not counted as missing" in html
