"""The deep_score unit end to end: output, artefacts, determinism, no leakage, errors."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813
import torch

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.executor import LocalExecutor, SerialExecutor
from remarkit.engine.plugin_manager import Plugins
from remarkit.engine.results import UnitRecord
from remarkit.io.images import read_manifest
from remarkit.plugins.deep_learning.artefacts import score_cohort
from remarkit.plugins.deep_learning.models import ResNet18
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.deep_learning.conftest import FAST, Runner, StudyCopy

BOTH = """
[[unit]]
id = "a_cnn"
use = "deep_score"
phase = "arterial"
size = 32
max_epochs = 2
gradcam_n = 1
"""


def _only(results: Any) -> UnitRecord:
    (record,) = results.units
    assert record.status == "ok", record.error
    return record


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scores(record: UnitRecord) -> dict[str, float]:
    column = record.result["columns"][0]
    return dict(zip(column["ids"], column["values"], strict=True))


def test_unit_output_artefacts_and_report(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    out = tmp_path / "out"
    record = _only(run_study(spec, out))
    result = record.result
    assert result["kind"] == "deep_score" and result["selected"] == "cnn"
    assert (result["n_train"], result["n_test"]) == (22, 8)
    assert result["n_fit"] + result["n_internal"] == 22
    scores = _scores(record)
    assert list(scores) == [f"P{i:03d}" for i in range(30)]
    assert all(0.0 < v < 1.0 for v in scores.values())
    assert [g["split"] for g in result["gradcam"]] == ["train", "test"]
    assert {f["name"] for f in result["figures"]} == {"training_curves", "gradcam"}
    for artefact in result["artefacts"]:
        assert _sha(out / artefact["path"]) == artefact["sha256"]
    assert "PyTorch 2." in record.methods and "test set (n = 8)" in record.methods
    html = render_unit(make_environment(), record.model_dump(mode="json"), ReportState(out))
    assert "Small CNN" in html and "data:image/svg+xml;base64," in html
    assert "Table 1." in html and "Table 2." in html


def test_saved_model_rescores_without_refitting(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    out = tmp_path / "out"
    record = _only(run_study(spec, out))
    manifest = read_manifest(spec.parent / "images.csv")
    patients = list(_scores(record))
    folder = out / "units" / "a_cnn" / "model"
    rescored = score_cohort(folder, manifest, patients)
    assert rescored == _scores(record)  # bit for bit
    parallel = score_cohort(folder, manifest, patients[:5], executor=LocalExecutor(2))
    assert parallel == {p: rescored[p] for p in patients[:5]}
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(Exception, match="do not match the sha256 recorded"):
        score_cohort(folder, manifest, patients)


def test_same_seed_identical_twice_and_across_jobs(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(BOTH + "threads = 2\n")  # the harder case: a multi-threaded reduction
    records = [
        _only(run_study(spec, tmp_path / name, executor))
        for name, executor in (
            ("serial1", SerialExecutor()),
            ("serial2", SerialExecutor()),
            ("jobs2", LocalExecutor(2)),
        )
    ]
    assert {r.result["selected"] for r in records} <= {"cnn", "resnet18"}
    assert len(records[0].result["candidates"]) == 2
    assert len({r.result_sha256 for r in records}) == 1
    weights = {
        _sha(tmp_path / name / "units/a_cnn/model/model.safetensors")
        for name in ("serial1", "serial2", "jobs2")
    }
    assert len(weights) == 1


def _perturb(spec: Path, patient: str) -> None:
    """Replace a patient's arterial CT with different content (same geometry)."""
    path = spec.parent / f"images/{patient}_arterial_ct.nii.gz"
    image = sitk.ReadImage(str(path))
    array = sitk.GetArrayFromImage(image)
    noisy = array + np.random.default_rng(9).integers(-150, 150, array.shape).astype(array.dtype)
    out = sitk.GetImageFromArray(noisy)
    out.CopyInformation(image)
    sitk.WriteImage(out, str(path))


def test_no_leakage_test_images_change_no_weight(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    base = _only(run_study(study_copy(BOTH), tmp_path / "base"))
    cohort = pd.read_csv(study_copy(BOTH).parent / "cohort.csv")
    test_ids = cohort.loc[cohort["set"] == "test", "pid"].tolist()
    train_ids = cohort.loc[cohort["set"] == "train", "pid"].tolist()
    changed_test = study_copy(BOTH)
    for pid in test_ids:
        _perturb(changed_test, pid)
    moved = _only(run_study(changed_test, tmp_path / "test_changed"))
    weights = "units/a_cnn/model/model.safetensors"
    assert _sha(tmp_path / "base" / weights) == _sha(tmp_path / "test_changed" / weights)
    assert base.result["candidates"] == moved.result["candidates"]
    before, after = _scores(base), _scores(moved)
    assert all(before[p] == after[p] for p in train_ids)
    assert any(before[p] != after[p] for p in test_ids)  # the change did reach the test scores
    changed_train = study_copy(BOTH)
    _perturb(changed_train, train_ids[0])
    _only(run_study(changed_train, tmp_path / "train_changed"))
    assert _sha(tmp_path / "base" / weights) != _sha(tmp_path / "train_changed" / weights)


def test_named_gradcam_patients(study_copy: StudyCopy, run_study: Runner, tmp_path: Path) -> None:
    spec = study_copy(FAST + 'gradcam_patients = ["P029", "P003"]\n')
    record = _only(run_study(spec, tmp_path / "out"))
    assert [g["patient"] for g in record.result["gradcam"]] == ["P029", "P003"]
    assert [g["split"] for g in record.result["gradcam"]] == ["test", "train"]
    # the phantoms' outcome is positive ("yes") for patient numbers i with i % 5 < 3
    spec2 = study_copy(FAST + 'gradcam_patients = ["P001", "P004"]\n')
    labelled = _only(run_study(spec2, tmp_path / "out2")).result["gradcam"]
    assert [(g["outcome"], g["outcome_label"]) for g in labelled] == [(1, "yes"), (0, "not yes")]


def test_pretrained_resnet18_initialises_the_candidate(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    units = FAST.replace('["cnn"]', '["resnet18"]') + 'pretrained = "resnet18.pth"\n'
    spec = study_copy(units)
    torch.manual_seed(0)
    state = ResNet18().state_dict()
    state["conv1.weight"] = torch.randn(64, 3, 7, 7)
    state["fc.weight"], state["fc.bias"] = torch.randn(1000, 512), torch.randn(1000)
    torch.save(state, spec.parent / "resnet18.pth")
    record = _only(run_study(spec, tmp_path / "out"))
    (fit,) = record.result["candidates"]
    assert fit["pretrained"] == "resnet18.pth"
    assert fit["pretrained_notes"] == [
        "three-channel stem summed to one channel",
        "classifier head re-initialised (one output)",
    ]
    assert "initialised from the local weights file resnet18.pth" in record.methods
    html = render_unit(
        make_environment(), record.model_dump(mode="json"), ReportState(tmp_path / "out")
    )
    assert "<td>resnet18.pth</td>" in html


def test_cached_run_restores_the_saved_model(
    study_copy: StudyCopy, deep_plugins: Plugins, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    first = run_prepared(prepare(spec, deep_plugins), tmp_path / "one")
    second = run_prepared(prepare(spec, deep_plugins), tmp_path / "two")
    assert second.units[0].execution.cache_hit and not first.units[0].execution.cache_hit
    assert second.units[0].result_sha256 == first.units[0].result_sha256
    for artefact in second.units[0].result["artefacts"]:
        assert _sha(tmp_path / "two" / artefact["path"]) == artefact["sha256"]
