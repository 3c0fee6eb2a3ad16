"""`remarkit apply`: the frozen pipeline scores a new cohort unchanged; bad inputs are one line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.cli.main import main
from remarkit.demo import DEFAULT_SEED
from remarkit.engine.api import prepare_apply, run_prepared
from remarkit.errors import InputError, InputErrors
from remarkit.plugins.integrators.export import read_model
from remarkit.testing.runs import UnitRun
from tests.integrators.conftest import external_study


def _copy_model(trained: UnitRun, tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(trained.out_dir, target)
    return target


def _column(results_unit: dict, name: str) -> pd.Series:
    col = next(c for c in results_unit["result"]["columns"] if c["name"] == name)
    return pd.Series(col["values"], index=col["ids"], dtype=float)


def test_applying_to_the_training_cohort_reproduces_every_column(
    trained: UnitRun, tmp_path: Path
) -> None:
    spec = external_study(tmp_path / "same", [], seed=DEFAULT_SEED, patients=80)
    prepared = prepare_apply(trained.out_dir, spec)
    assert prepared.cohort.external and not prepared.cohort.has_training_set
    assert [p.id for p in prepared.plan] == ["afp", "clin", "integ"]
    results = run_prepared(prepared, tmp_path / "out", use_cache=False)
    applied = {u.id: u.model_dump(mode="json") for u in results.units}
    fitted = {u.id: u.model_dump(mode="json") for u in trained.results.units}
    for uid, name in (("clin", "probability"), ("integ", "probability"), ("afp", "decline")):
        assert applied[uid]["status"] == "ok"
        a, f = _column(applied[uid], name), _column(fitted[uid], name)
        assert np.array_equal(a.to_numpy(), f[a.index].to_numpy(), equal_nan=True), uid
    assert applied["integ"]["result"]["kind"] == "applied"
    assert applied["integ"]["result"]["fitted_result_sha256"] == fitted["integ"]["result_sha256"]
    record = results.applied_model
    assert record is not None and record.models == ["afp", "clin", "integ"]
    assert record.thresholds == {"integ.probability": trained.result.threshold.value}


def test_second_cohort_is_scored_without_touching_the_model(
    trained: UnitRun, tmp_path: Path
) -> None:
    before = {f.path: f.sha256 for f in trained.record.files}
    spec = external_study(tmp_path / "ext", [])
    results = run_prepared(prepare_apply(trained.out_dir, spec), tmp_path / "out", use_cache=False)
    integ = next(u for u in results.units if u.id == "integ")
    assert integ.status == "ok" and integ.result is not None
    assert integ.result["n"] == 60 and integ.result["scored"] == 60
    p = _column(integ.model_dump(mode="json"), "probability")
    assert p.notna().all() and ((p > 0) & (p < 1)).all()
    after = {f.path: f.sha256 for f in trained.record.files}
    assert before == after


def _errors(exc: pytest.ExceptionInfo[InputErrors] | pytest.ExceptionInfo[InputError]) -> str:
    return str(exc.value)


def test_missing_predictor_is_reported_before_anything_runs(
    trained: UnitRun, tmp_path: Path
) -> None:
    spec = external_study(tmp_path / "ext", [])
    text = spec.read_text()
    text = re.sub(r"\n\[cohort\.variables\.platelets\]\n(?:[^\[\n][^\n]*\n)*", "\n", text)
    spec.write_text(text)
    with pytest.raises(InputErrors) as exc:
        prepare_apply(trained.out_dir, spec)
    assert "field 'unit(clin)': needs column 'platelets'" in _errors(exc)


def test_unseen_level_stops_the_apply(trained: UnitRun, tmp_path: Path) -> None:
    spec = external_study(tmp_path / "ext", [])
    table = pd.read_csv(spec.parent / "cohort.csv", dtype=str, keep_default_na=False)
    table.loc[3, ["dilated_vasculature_r1", "dilated_vasculature_r2"]] = "Unsure"
    table.to_csv(spec.parent / "cohort.csv", index=False)
    text = spec.read_text()
    block = text.split("[cohort.semantic.dilated_vasculature]")[1].split("\n[")[0]
    levels = re.search(r"levels = (\[.*\])", block)
    assert levels is not None
    widened = levels.group(1)[:-1] + ', "Unsure"]'
    spec.write_text(text.replace(block, block.replace(levels.group(1), widened)))
    out = tmp_path / "out"
    with pytest.raises(
        InputErrors, match=r"applying 'clin' \(logistic_model\): level\(s\) \['Unsure'\]"
    ):
        run_prepared(prepare_apply(trained.out_dir, spec), out, use_cache=False)
    assert not out.exists()


def test_tampered_model_file_is_refused(trained: UnitRun, tmp_path: Path) -> None:
    model = _copy_model(trained, tmp_path)
    path = model / trained.result.model_file
    doc = json.loads(path.read_text())
    doc["coefficients"][1]["coef"] += 0.5
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    spec = external_study(tmp_path / "ext", [])
    with pytest.raises(InputError, match="sha256 differs from the training run's record"):
        prepare_apply(model, spec)


def test_tampered_results_are_refused(trained: UnitRun, tmp_path: Path) -> None:
    model = _copy_model(trained, tmp_path)
    data = json.loads((model / "results.json").read_text())
    integ = next(u for u in data["units"] if u["id"] == "integ")
    integ["result"]["threshold"]["value"] = 0.5
    (model / "results.json").write_text(json.dumps(data))
    spec = external_study(tmp_path / "ext", [])
    with pytest.raises(InputError, match="differs from the recorded result_sha256"):
        prepare_apply(model, spec)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(schema_version="0.9"), "results schema version '0.9'"),
        (
            lambda d: next(u for u in d["units"] if u["id"] == "integ").update(version="0.9"),
            "was fitted by logistic_integrator 0.9; the installed logistic_integrator is 1.1",
        ),
    ],
)
def test_incompatible_versions_are_refused(
    trained: UnitRun, tmp_path: Path, edit: object, message: str
) -> None:
    model = _copy_model(trained, tmp_path)
    data = json.loads((model / "results.json").read_text())
    edit(data)  # type: ignore[operator]
    (model / "results.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match=re.escape(message)):
        prepare_apply(model, external_study(tmp_path / "ext", []))


def test_model_file_of_another_format_version_is_refused(trained: UnitRun, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    doc = json.loads((trained.out_dir / trained.result.model_file).read_text())
    doc["format_version"] = 2
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"model format version 2 .* reads version 1"):
        read_model(path)


def test_unknown_model_unit_and_missing_folder(trained: UnitRun, tmp_path: Path) -> None:
    spec = external_study(tmp_path / "ext", [])
    with pytest.raises(InputError, match="the training run has no unit 'nope'"):
        prepare_apply(trained.out_dir, spec, models=["nope"])
    with pytest.raises(InputError, match="model folder not found"):
        prepare_apply(tmp_path / "absent", spec)


def test_cli_apply_error_is_one_line_exit_2(
    trained: UnitRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _copy_model(trained, tmp_path)
    (model / trained.result.model_file).write_text("{}\n")
    spec = external_study(tmp_path / "ext", [])
    out = tmp_path / "out"
    assert main(["apply", str(model), str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sha256 differs" in err[0] and "Traceback" not in err[0]
    assert not out.exists()


def test_report_of_an_external_cohort_names_its_one_set(trained: UnitRun, tmp_path: Path) -> None:
    from remarkit.report.compile import compile_report

    spec = external_study(tmp_path / "ext", [])
    prepared = prepare_apply(trained.out_dir, spec)
    compiled = []

    def finalize(staging: Path, results: object) -> None:
        data = results.model_dump(mode="json")  # type: ignore[attr-defined]
        compiled.append(compile_report(staging, data, plugins=prepared.plugins, pdf=False))

    results = run_prepared(prepared, tmp_path / "out", use_cache=False, finalize=finalize)
    assert results.cohort.external and results.cohort.n_train == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "60 patients (external validation set)" in html
    assert "form an external validation cohort" in html
    assert "divided into a training set" not in html
    assert "Applied model" in html and "integ" in html


def _without_outcome(spec: Path) -> None:
    text = spec.read_text()
    text = re.sub(r"\n\[cohort\.outcome\]\n(?:[^\[\n][^\n]*\n)*", "\n", text)
    spec.write_text(text)


def test_cohort_without_outcome_is_scored_and_written_to_scores_csv(
    trained: UnitRun, tmp_path: Path
) -> None:
    spec = external_study(tmp_path / "ext", [])
    _without_outcome(spec)
    from remarkit.report.compile import compile_report

    prepared = prepare_apply(trained.out_dir, spec)

    def finalize(staging: Path, results: object) -> None:
        data = results.model_dump(mode="json")  # type: ignore[attr-defined]
        compile_report(staging, data, plugins=prepared.plugins, pdf=False)

    out = tmp_path / "out"
    results = run_prepared(prepared, out, use_cache=False, finalize=finalize)
    assert all(u.status == "ok" for u in results.units)
    scores = pd.read_csv(out / "scores.csv", index_col="patient_id")
    assert len(scores) == 60
    assert {"afp.response", "clin.probability", "integ.probability"} <= set(scores.columns)
    integ = next(u for u in results.units if u.id == "integ").model_dump(mode="json")
    assert np.allclose(scores["integ.probability"], _column(integ, "probability")[scores.index])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "The cohort records no outcome" in html


def test_evaluator_on_a_cohort_without_outcome_is_a_planning_error(
    trained: UnitRun, tmp_path: Path
) -> None:
    units: list[dict[str, object]] = [
        {"id": "perf", "use": "discrimination", "scores": [{"column": "integ.probability"}]}
    ]
    spec = external_study(tmp_path / "ext", units)
    _without_outcome(spec)
    with pytest.raises(InputErrors, match=r"unit\(perf\)'?: needs the outcome"):
        prepare_apply(trained.out_dir, spec)


def test_training_run_needs_split_not_outcome(tmp_path: Path) -> None:
    from remarkit.engine.api import prepare

    spec = external_study(tmp_path / "ext", [])
    _without_outcome(spec)
    text = re.sub(r"\n\[cohort\.split\]\n(?:[^\[\n][^\n]*\n)*", "\n", spec.read_text())
    spec.write_text(text)
    with pytest.raises(InputErrors) as exc:
        prepare(spec)
    assert len(exc.value.errors) == 1  # a study without a binary outcome may run (survival)
    assert "no [cohort.split] table" in str(exc.value)
    assert "cohort.outcome" not in str(exc.value)


def test_training_fragment_renders_without_problems(trained: UnitRun) -> None:
    from remarkit.report.render import ReportState, render_unit
    from remarkit.report.templates import make_environment

    unit = trained.record.model_dump(mode="json")
    state = ReportState(trained.out_dir)
    html = str(render_unit(make_environment(), unit, state))
    assert state.problems == []
    assert "Integrated model" in html and "Clinical signature" in html
