"""radiomics_score.apply: the frozen extraction, features and booster score a new cohort."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit import InputError, UnitContext
from remarkit.engine.api import prepare, prepare_apply, run_prepared
from remarkit.engine.cohort import Cohort
from remarkit.engine.executor import SerialExecutor
from remarkit.engine.load import load_study
from remarkit.engine.spec import Study
from remarkit.engine.validate import load_cohort
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.result import RadiomicsResult
from remarkit.plugins.radiomics.unit import RadiomicsScore
from remarkit.testing import folder_state
from tests.radiomics.conftest import TrainingRun
from tests.radiomics.study import write_external

pytest.importorskip("radiomics")

UNIT = "a_radiomics"


@dataclasses.dataclass(frozen=True)
class Fitted:
    """The training run as the engine hands it to ``apply``."""

    study: Study
    cohort: Cohort
    params: RadiomicsParams
    result: RadiomicsResult
    unit_dir: Path


@pytest.fixture(scope="module")
def fitted(radiomics_run: TrainingRun) -> Fitted:
    prepared = prepare(radiomics_run.spec)
    (planned,) = prepared.plan
    assert isinstance(planned.params, RadiomicsParams)
    (record,) = radiomics_run.data["units"]
    assert record["status"] == "ok", record["error"]
    result = RadiomicsResult.model_validate(record["result"])
    unit_dir = radiomics_run.out / "units" / UNIT
    return Fitted(prepared.study, prepared.cohort, planned.params, result, unit_dir)


@pytest.fixture(scope="module")
def external(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12-patient new cohort (other ids, phantoms of another seed); never modified."""
    return write_external(tmp_path_factory.mktemp("external") / "study")


def _ctx(study: Study, cohort: Cohort, out: Path) -> UnitContext:
    return UnitContext(
        unit_id=UNIT,
        study=study,
        cohort=cohort,
        upstream={},
        seed=study.study.seed,
        executor=SerialExecutor(),
        out_root=out,
    )


def _external_ctx(spec: Path, out: Path, patients: int | None = None) -> UnitContext:
    study = load_study(spec)
    cohort = load_cohort(study, external=True)
    if patients is not None:
        cohort = dataclasses.replace(cohort, data=cohort.data.iloc[:patients])
    return _ctx(study, cohort, out)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _copy_unit(fitted: Fitted, tmp_path: Path) -> Path:
    target = tmp_path / "model" / "units" / UNIT
    shutil.copytree(fitted.unit_dir, target)
    return target


def _apply(fitted: Fitted, ctx: UnitContext, unit_dir: Path, **update: Any) -> Any:
    result = fitted.result.model_copy(update=update) if update else fitted.result
    return RadiomicsScore().apply(ctx, fitted.params, folder_state(unit_dir, result, unit_id=UNIT))


def test_extraction_settings_are_saved(fitted: Fitted, radiomics_run: TrainingRun) -> None:
    artefacts = fitted.result.artefacts
    copy = radiomics_run.out / artefacts["parameter_file"]
    assert copy.name == "pyradiomics_parameters.yaml"
    assert copy.read_bytes() == (radiomics_run.spec.parent / "params.yaml").read_bytes()
    record = json.loads((radiomics_run.out / artefacts["extraction"]).read_text("utf-8"))
    assert record["pyradiomics_version"] == fitted.result.pyradiomics_version
    assert record["parameter_file_sha256"] == fitted.result.parameter_file_sha256
    assert (record["label"], record["tolerance"]) == (1, 1e-3)
    assert record["settings"]["imageType"] == {"Original": {}, "Wavelet": {}}
    assert len(record["settings_digest"]) == 64


def test_same_cohort_gives_the_fitted_scores_exactly(fitted: Fitted, tmp_path: Path) -> None:
    before = _hashes(fitted.unit_dir)
    ctx = _ctx(fitted.study, fitted.cohort, tmp_path / "applied")
    applied = _apply(fitted, ctx, fitted.unit_dir)
    assert applied.kind == "applied" and applied.unit == "radiomics_score"
    # names, kinds, labels, ids, values: exact (the out-of-fold training scores, score_oof, exist
    # only in the training run: apply has no folds)
    assert applied.columns == [c for c in fitted.result.columns if not c.name.endswith("_oof")]
    assert (applied.n, applied.scored, applied.unscored) == (60, 60, [])
    assert applied.frozen["selected features"] == len(fitted.result.selected)
    assert applied.frozen["pyradiomics"] == fitted.result.pyradiomics_version
    booster = fitted.unit_dir / "xgboost_model.json"
    assert (
        applied.frozen["XGBoost model file sha256"]
        == hashlib.sha256(booster.read_bytes()).hexdigest()
    )
    assert applied.fitted_result_sha256 == "" and applied.warnings == []
    assert "saved XGBoost model" in applied.summary
    assert _hashes(fitted.unit_dir) == before


def test_new_cohort_is_scored_without_touching_the_model(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    before = _hashes(fitted.unit_dir)
    ctx = _external_ctx(external, tmp_path / "applied")
    applied = _apply(fitted, ctx, fitted.unit_dir)
    (column,) = applied.columns
    (trained,) = [c for c in fitted.result.columns if not c.name.endswith("_oof")]
    assert (column.name, column.kind, column.label, column.levels) == (
        trained.name,
        trained.kind,
        trained.label,
        trained.levels,
    )
    assert column.ids == [f"EXT-{i:03d}" for i in range(1, 13)]
    values = np.array(column.values, dtype=float)
    assert np.isfinite(values).all() and ((values > 0) & (values < 1)).all()
    assert (applied.n, applied.scored) == (12, 12)
    assert _hashes(fitted.unit_dir) == before


def test_remarkit_apply_runs_the_unit_end_to_end(
    fitted: Fitted, radiomics_run: TrainingRun, external: Path, tmp_path: Path
) -> None:
    direct = _apply(fitted, _external_ctx(external, tmp_path / "direct"), fitted.unit_dir)
    prepared = prepare_apply(radiomics_run.out, external, models=[UNIT])
    results = run_prepared(prepared, tmp_path / "out", use_cache=False)
    (record,) = results.units
    assert record.status == "ok", record.error
    assert record.result is not None and record.result["kind"] == "applied"
    assert record.result["columns"] == [c.model_dump(mode="json") for c in direct.columns]


def test_failed_extraction_leaves_the_patient_unscored(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "study" / "study.toml"
    shutil.copytree(external.parent, spec.parent)
    mask_path = spec.parent / "images" / "EXT-002_tumour.nii.gz"
    mask = sitk.ReadImage(str(mask_path))
    single = np.zeros(sitk.GetArrayFromImage(mask).shape, dtype=np.uint8)
    single[10, 30, 30] = 1  # one voxel: pyradiomics refuses it
    voxel = sitk.GetImageFromArray(single)
    voxel.CopyInformation(mask)
    sitk.WriteImage(voxel, str(mask_path))
    applied = _apply(fitted, _external_ctx(spec, tmp_path / "out", patients=3), fitted.unit_dir)
    assert (applied.n, applied.scored, applied.unscored) == (3, 2, ["EXT-002"])
    assert applied.columns[0].values[1] is None
    assert applied.warnings[0].startswith("1 case(s) could not be extracted")


def test_missing_and_unreadable_artefacts(fitted: Fitted, external: Path, tmp_path: Path) -> None:
    ctx = _external_ctx(external, tmp_path / "out")
    unit_dir = _copy_unit(fitted, tmp_path)
    (unit_dir / "xgboost_model.json").unlink()
    with pytest.raises(InputError, match=r"saved booster artefact missing") as info:
        _apply(fitted, ctx, unit_dir)
    assert info.value.file == str(unit_dir / "xgboost_model.json")
    (unit_dir / "xgboost_model.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a readable XGBoost model"):
        _apply(fitted, ctx, unit_dir)
    (unit_dir / "extraction.json").unlink()
    with pytest.raises(InputError, match=r"saved extraction artefact missing"):
        _apply(fitted, ctx, unit_dir)
    artefacts = {k: v for k, v in fitted.result.artefacts.items() if k != "extraction"}
    with pytest.raises(InputError, match=r"lists no 'extraction' artefact: re-run the training"):
        _apply(fitted, ctx, fitted.unit_dir, artefacts=artefacts)


def test_another_pyradiomics_version_is_refused(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    ctx = _external_ctx(external, tmp_path / "out")
    installed = fitted.result.pyradiomics_version
    message = (
        rf"pyradiomics {installed} is installed but the model was trained with pyradiomics 2\.2\.0"
    )
    with pytest.raises(InputError, match=message) as info:
        _apply(fitted, ctx, fitted.unit_dir, pyradiomics_version="2.2.0")
    assert str(info.value).count("\n") == 0


def test_changed_settings_are_refused(fitted: Fitted, external: Path, tmp_path: Path) -> None:
    ctx = _external_ctx(external, tmp_path / "out")
    unit_dir = _copy_unit(fitted, tmp_path)
    record_path = unit_dir / "extraction.json"
    record = json.loads(record_path.read_text("utf-8"))
    record["settings_digest"] = "0" * 64
    record_path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(InputError, match=r"extraction settings digest [0-9a-f]{12} differs from "):
        _apply(fitted, ctx, unit_dir)
    params = unit_dir / "pyradiomics_parameters.yaml"
    params.write_text(params.read_text("utf-8").replace("binWidth: 25", "binWidth: 10"), "utf-8")
    with pytest.raises(
        InputError,
        match=r"saved parameter_file artefact differs from the training run's \(sha256\)",
    ) as info:
        _apply(fitted, ctx, unit_dir)
    assert info.value.file == str(params)


def test_a_selected_feature_the_extraction_lacks(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    unit_dir = _copy_unit(fitted, tmp_path)
    spec_path = unit_dir / "model.json"
    spec = json.loads(spec_path.read_text("utf-8"))
    old = spec["features"][0]
    spec["features"][0] = "original_firstorder_NotAFeature"
    spec["training_medians"]["original_firstorder_NotAFeature"] = spec["training_medians"][old]
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    ctx = _external_ctx(external, tmp_path / "out", patients=1)
    with pytest.raises(
        InputError,
        match=r"patient 'EXT-001', phase 'arterial' produced no feature "
        r"original_firstorder_NotAFeature, which the model needs",
    ) as info:
        _apply(fitted, ctx, unit_dir)
    assert info.value.file == str(spec_path)


def _drop_rows(spec: Path, keep: Any) -> None:
    path = spec.parent / "images" / "manifest.csv"
    manifest = pd.read_csv(path)
    manifest[keep(manifest)].to_csv(path, index=False)


def test_missing_phase_and_patients_in_the_new_manifest(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "study" / "study.toml"
    shutil.copytree(external.parent, spec.parent)
    _drop_rows(
        spec, lambda m: ~m["patient"].isin(["EXT-002", "EXT-003"]) | (m["phase"] != "arterial")
    )
    ctx = _external_ctx(spec, tmp_path / "out")
    with pytest.raises(InputError) as info:
        _apply(fitted, ctx, fitted.unit_dir)
    text = str(info.value)
    assert "\n" not in text and text.startswith(str(spec.parent / "images" / "manifest.csv"))
    assert "2 problems: patient 'EXT-002' has no 'arterial' row in the image manifest; " in text
    assert "patient 'EXT-003' has no 'arterial' row" in text
    _drop_rows(spec, lambda m: m["phase"] != "arterial")
    with pytest.raises(
        InputError, match=r"phase 'arterial' is not in the image manifest \(phases: portal\)"
    ):
        _apply(fitted, _external_ctx(spec, tmp_path / "out"), fitted.unit_dir)


def test_broken_new_image_names_patient_and_file(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "study" / "study.toml"
    shutil.copytree(external.parent, spec.parent)
    mask = spec.parent / "images" / "EXT-001_tumour.nii.gz"
    sitk.WriteImage(sitk.ReadImage(str(mask)) * 0, str(mask))
    ctx = _external_ctx(spec, tmp_path / "out", patients=1)
    with pytest.raises(
        InputError, match=r"patient 'EXT-001', phase 'arterial': tumour mask: the mask is empty"
    ) as info:
        _apply(fitted, ctx, fitted.unit_dir)
    assert info.value.file == str(mask)


@pytest.mark.parametrize("name", ["xgboost_model.json", "model.json", "extraction.json"])
def test_tampered_artefact_without_its_files_entry_is_refused(
    radiomics_run: TrainingRun, external: Path, tmp_path: Path, name: str
) -> None:
    """result_sha256 binds every file the unit wrote: dropping a file's entry from
    units[].files does not let a modified artefact through (issue 16, finding 5)."""
    model = tmp_path / "model"
    shutil.copytree(radiomics_run.out, model)
    path = model / "units" / UNIT / name
    path.write_bytes(path.read_bytes().replace(b"}", b" }", 1))
    data = json.loads((model / "results.json").read_text(encoding="utf-8"))
    (unit,) = data["units"]
    unit["files"] = [f for f in unit["files"] if not f["path"].endswith("/" + name)]
    (model / "results.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(InputError, match="differs from the recorded result_sha256"):
        prepare_apply(model, external, models=[UNIT])
