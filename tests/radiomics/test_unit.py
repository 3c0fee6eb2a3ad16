"""radiomics_score end to end: result, artefacts, determinism across runs and workers, no leakage."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.radiomics.conftest import TrainingRun, run_study
from tests.radiomics.study import split_of

pytest.importorskip("radiomics")


@pytest.fixture(scope="module")
def study(radiomics_study: Path) -> Path:
    """The written study (shared, never modified: tests copy it before changing files)."""
    return radiomics_study


def _copy(study: Path, target: Path) -> Path:
    shutil.copytree(study.parent, target)
    return target / "study.toml"


def _run(spec: Path, out: Path, *, jobs: int = 1, cache: bool = False) -> dict[str, Any]:
    return run_study(spec, out, jobs=jobs, cache=cache)


def _unit(data: dict[str, Any]) -> dict[str, Any]:
    (unit,) = data["units"]
    assert unit["status"] == "ok", unit["error"]
    result: dict[str, Any] = unit["result"]
    return result


def _fitted(result: dict[str, Any]) -> dict[str, Any]:
    """Everything fitted on the training set."""
    keys = ("filters", "lasso_c", "lasso_cv_auc", "selected", "xgboost", "cv_auc", "cv_auc_folds")
    return {k: result[k] for k in keys} | {"apparent_auc": result["apparent_auc"]}


@pytest.fixture(scope="module")
def first(radiomics_run: TrainingRun) -> tuple[Path, dict[str, Any]]:
    return radiomics_run.out, radiomics_run.data


def test_result_score_and_artefacts(first: tuple[Path, dict[str, Any]], study: Path) -> None:
    out, data = first
    result = _unit(data)
    assert result["n_patients"] == result["n_extracted"] == 60 and result["failed"] == []
    steps = [f["remaining"] for f in result["filters"]]
    assert steps[0] == result["n_features"] and steps == sorted(steps, reverse=True)
    assert 1 <= len(result["selected"]) <= 10
    assert result["selected"][0]["mean_abs_shap"] >= result["selected"][-1]["mean_abs_shap"]
    assert 0.0 <= result["cv_auc"] <= 1.0 and len(result["cv_auc_folds"]) == 3
    assert result["xgboost"]["n_jobs"] == 1 and result["xgboost"]["n_estimators"] == 50
    column, oof = result["columns"]
    assert column["name"] == "score" and len(column["ids"]) == 60
    assert all(0.0 < v < 1.0 for v in column["values"])
    # score_oof: training patients' out-of-fold scores (the pooled CV AUC's), None for others
    assert oof["name"] == "score_oof" and oof["ids"] == column["ids"]
    known = [v for v in oof["values"] if v is not None]
    assert len(known) == result["n_train"] and all(0.0 < v < 1.0 for v in known)
    features = pd.read_parquet(out / result["artefacts"]["features"])
    assert features.shape == (60, result["n_features"] + 2)
    selected = pd.read_parquet(out / result["artefacts"]["selected_features"])
    assert (
        list(selected.columns[2:])
        == json.loads((out / result["artefacts"]["model"]).read_text(encoding="utf-8"))["features"]
    )
    (figure,) = result["figures"]
    svg = (out / figure["path"]).read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "SHAP value" not in svg[:50]
    unit = data["units"][0]
    assert "pyradiomics 3" in unit["methods"] and "LASSO" in unit["methods"]


def test_template_renders(first: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, data = first
    html = render_unit(make_environment(), data["units"][0], ReportState(out))
    assert "Arterial-phase radiomics: selected features" in html
    assert "cross-validated training AUC" in html


def test_same_seed_same_scores_across_runs_and_workers(
    first: tuple[Path, dict[str, Any]], study: Path, tmp_path: Path
) -> None:
    out, data = first
    again = _run(study, tmp_path / "again")
    parallel = _run(study, tmp_path / "parallel", jobs=2)
    for other in (again, parallel):
        a, b = _unit(data), _unit(other)
        assert a["columns"] == b["columns"]  # bit for bit: floats compared exactly
        assert _fitted(a) == _fitted(b)
    for name in ("features", "model"):
        path = _unit(data)["artefacts"][name]
        assert (out / path).read_bytes() == (tmp_path / "parallel" / path).read_bytes()
    figure = _unit(data)["figures"][0]["path"]
    assert (out / figure).read_bytes() == (tmp_path / "again" / figure).read_bytes()


def test_changing_test_images_changes_no_fitted_parameter(
    first: tuple[Path, dict[str, Any]], study: Path, tmp_path: Path
) -> None:
    _, data = first
    spec = _copy(study, tmp_path / "study")
    split = split_of(spec.parent)
    rng = np.random.default_rng(1)
    for pid in split.index[split == "test"]:
        path = spec.parent / "images" / f"{pid}_arterial.nii.gz"
        image = sitk.ReadImage(str(path))
        array = sitk.GetArrayFromImage(image).astype(np.int32)
        array = array * 2 + rng.integers(-40, 40, array.shape)
        changed = sitk.GetImageFromArray(array.astype(np.int16))
        changed.CopyInformation(image)
        sitk.WriteImage(changed, str(path), useCompression=True)
    other = _unit(_run(spec, tmp_path / "out"))
    base = _unit(data)
    assert _fitted(other) == _fitted(base)
    before = dict(zip(base["columns"][0]["ids"], base["columns"][0]["values"], strict=True))
    after = dict(zip(other["columns"][0]["ids"], other["columns"][0]["values"], strict=True))
    train = split.index[split == "train"]
    test = split.index[split == "test"]
    assert all(before[p] == after[p] for p in train)
    assert any(before[p] != after[p] for p in test)


def test_failed_case_is_reported_and_run_continues(study: Path, tmp_path: Path) -> None:
    spec = _copy(study, tmp_path / "study")
    split = split_of(spec.parent)
    victim = str(split.index[split == "test"][0])
    mask_path = spec.parent / "images" / f"{victim}_tumour.nii.gz"
    mask = sitk.ReadImage(str(mask_path))
    single = np.zeros(sitk.GetArrayFromImage(mask).shape, dtype=np.uint8)
    single[10, 30, 30] = 1  # one voxel: pyradiomics refuses it
    voxel = sitk.GetImageFromArray(single)
    voxel.CopyInformation(mask)
    sitk.WriteImage(voxel, str(mask_path))
    result = _unit(_run(spec, tmp_path / "out"))
    assert result["n_extracted"] == 59
    (failed,) = result["failed"]
    assert failed["patient"] == victim and failed["split"] == "test"
    assert "1 segmented voxel" in failed["reason"]
    assert result["warnings"][0].startswith("1 case(s) could not be extracted")
    column = result["columns"][0]
    assert column["values"][column["ids"].index(victim)] is None


def test_input_problems_fail_the_unit_with_every_problem_named(study: Path, tmp_path: Path) -> None:
    spec = _copy(study, tmp_path / "study")
    images = spec.parent / "images"
    manifest = pd.read_csv(images / "manifest.csv")
    first_two = manifest["patient"].drop_duplicates().tolist()[:2]
    keep = ~((manifest["patient"] == first_two[0]) & (manifest["phase"] == "arterial"))
    manifest[keep].to_csv(images / "manifest.csv", index=False)
    data = _run(spec, tmp_path / "out")
    error = data["units"][0]["error"]
    assert data["units"][0]["status"] == "failed"
    assert f"patient '{first_two[0]}' has no 'arterial' row in the image manifest" in error
    spec = _copy(study, tmp_path / "study2")
    mask = spec.parent / "images" / f"{first_two[1]}_tumour.nii.gz"
    empty = sitk.ReadImage(str(mask)) * 0
    sitk.WriteImage(empty, str(mask))
    error = _run(spec, tmp_path / "out2")["units"][0]["error"]
    assert f"patient '{first_two[1]}', phase 'arterial': tumour mask: the mask is empty" in error
    assert f"{first_two[1]}_tumour.nii.gz" in error


def test_caches_follow_image_content(study: Path, tmp_path: Path) -> None:
    spec = _copy(study, tmp_path / "study")
    out = tmp_path / "out"
    first = _run(spec, out, cache=True)
    again = _run(spec, out, cache=True)
    assert again["units"][0]["execution"]["cache_hit"] is True
    assert again["units"][0]["result"] == first["units"][0]["result"]
    cache_files = out.parent / f"{out.name}-cache"
    stamps = {p: p.stat().st_mtime_ns for p in cache_files.rglob("radiomics/*/*.json")}
    assert len(stamps) == 60
    patient = split_of(spec.parent).index[0]
    path = spec.parent / "images" / f"{patient}_arterial.nii.gz"
    image = sitk.ReadImage(str(path))
    sitk.WriteImage(image + 5, str(path), useCompression=True)
    changed = _run(spec, out, cache=True)
    assert changed["units"][0]["execution"]["cache_hit"] is False
    assert _unit(changed)["columns"] != _unit(first)["columns"]
    after = {p: p.stat().st_mtime_ns for p in cache_files.rglob("radiomics/*/*.json")}
    assert len(after) == 61  # the changed case got a new entry; the 59 others were only read
    assert sum(after.get(p) == stamp for p, stamp in stamps.items()) == 60
    images = [i for i in changed["inputs"] if i["role"].startswith("images and masks")]
    assert images and images[0]["sha256"] != next(
        i["sha256"] for i in first["inputs"] if i["role"].startswith("images and masks")
    )


def _masked(out: Path) -> str:
    """results.json with the run-dependent execution blocks masked, as text."""
    text = (out / "results.json").read_text(encoding="utf-8")
    return re.sub(r'"execution": \{[^}]*\}', '"execution": {}', text)


@pytest.mark.slow
@pytest.mark.parametrize("kept", ["all", "every_other"])
def test_resumed_run_is_byte_identical_to_a_clean_one(
    study: Path, tmp_path: Path, kept: str
) -> None:
    """Cases read back from the per-case cache keep pyradiomics' feature order, so a run that
    resumes from them writes the clean run's results.json and feature tables byte for byte
    (issue 16, finding 9)."""
    spec = _copy(study, tmp_path / "study")
    clean = tmp_path / "clean"
    _run(spec, clean)
    first = tmp_path / "first"
    _run(spec, first, cache=True)
    cache = tmp_path / "first-cache"
    for entry in [p for p in cache.glob("??") if p.is_dir()]:
        shutil.rmtree(entry)  # the unit's result: only the per-case features remain
    cases = sorted((cache / "cases").rglob("radiomics/*/*.json"))
    assert len(cases) == 60
    if kept == "every_other":
        for path in cases[::2]:
            path.unlink()
    resumed = tmp_path / "first"
    data = _run(spec, resumed, cache=True)
    assert data["units"][0]["execution"]["cache_hit"] is False
    assert _masked(resumed) == _masked(clean)
    for name in ("features.parquet", "selected_features.parquet", "model.json"):
        unit = "units/a_radiomics/"
        assert (resumed / unit / name).read_bytes() == (clean / unit / name).read_bytes(), name
