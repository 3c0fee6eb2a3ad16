"""deep_score.apply: the saved model folder scores a new cohort; nothing is refitted."""

from __future__ import annotations

import dataclasses
import hashlib
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
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.spec import Study
from remarkit.engine.validate import load_cohort
from remarkit.plugins.deep_learning.params import DeepScoreParams, DeepScoreResult
from remarkit.plugins.deep_learning.unit import DeepScore
from remarkit.testing import folder_state
from tests.deep_learning.phantoms import write_study

UNIT = "a_cnn"

#: A new cohort: no split, no outcome, no unit.
EXTERNAL_SPEC = """\
[study]
title = "deep_score external cohort"
seed = 4

[cohort]
table = "cohort.csv"
id = "pid"

[images]
manifest = "images.csv"
"""


@dataclasses.dataclass(frozen=True)
class Fitted:
    """The training run as the engine hands it to ``apply``."""

    out: Path
    study: Study
    cohort: Cohort
    params: DeepScoreParams
    result: DeepScoreResult
    unit_dir: Path
    plugins: Plugins


@pytest.fixture(scope="module")
def fitted(base_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Fitted:
    """The base study (FAST: one small CNN, 3 epochs) trained once for this module."""
    root = tmp_path_factory.mktemp("deep_apply")
    registry = root / "registry.toml"
    registry.write_text(
        '[builtin]\nplugins = ["remarkit.plugins.deep_learning"]\n'
        "[third_party]\nallow = []\ndeny = []\n",
        encoding="utf-8",
    )
    plugins = make_plugin_manager(registry_file=registry, entry_points=[])
    prepared = prepare(base_study / "study.toml", plugins)
    out = root / "out"
    (record,) = run_prepared(prepared, out, use_cache=False).units
    assert record.status == "ok", record.error
    (planned,) = prepared.plan
    assert isinstance(planned.params, DeepScoreParams)
    result = DeepScoreResult.model_validate(record.result)
    return Fitted(
        out, prepared.study, prepared.cohort, planned.params, result, out / "units" / UNIT, plugins
    )


@pytest.fixture(scope="module")
def external(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 new patients (phantoms of another seed) without split or outcome; never modified."""
    spec = write_study(
        tmp_path_factory.mktemp("deep_external") / "study", "", n=8, n_test=8, seed=99
    )
    spec.write_text(EXTERNAL_SPEC, encoding="utf-8")
    return spec


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


def _external_ctx(spec: Path, out: Path) -> UnitContext:
    study = load_study(spec)
    return _ctx(study, load_cohort(study, external=True), out)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _apply(fitted: Fitted, ctx: UnitContext, unit_dir: Path, **update: Any) -> Any:
    result = fitted.result.model_copy(update=update) if update else fitted.result
    return DeepScore().apply(ctx, fitted.params, folder_state(unit_dir, result, unit_id=UNIT))


def _copy(spec: Path, tmp_path: Path) -> Path:
    target = tmp_path / "study"
    shutil.copytree(spec.parent, target)
    return target / "study.toml"


def test_same_cohort_gives_the_fitted_scores_exactly(fitted: Fitted, tmp_path: Path) -> None:
    before = _hashes(fitted.unit_dir)
    applied = _apply(
        fitted, _ctx(fitted.study, fitted.cohort, tmp_path / "applied"), fitted.unit_dir
    )
    assert applied.kind == "applied" and applied.unit == "deep_score"
    assert applied.columns == fitted.result.columns  # names, kinds, labels, ids, values: exact
    assert (applied.n, applied.scored, applied.unscored) == (30, 30, [])
    weights = fitted.unit_dir / "model" / "model.safetensors"
    assert applied.frozen["weights sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert applied.frozen["architecture"] == "cnn" and applied.warnings == []
    assert "saved small CNN weights" in applied.summary
    assert _hashes(fitted.unit_dir) == before


def test_new_cohort_is_scored_without_touching_the_model(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    before = _hashes(fitted.unit_dir)
    applied = _apply(fitted, _external_ctx(external, tmp_path / "applied"), fitted.unit_dir)
    (column,) = applied.columns
    (trained,) = fitted.result.columns
    assert (column.name, column.kind, column.label, column.levels) == (
        trained.name,
        trained.kind,
        trained.label,
        trained.levels,
    )
    assert column.ids == [f"P{i:03d}" for i in range(8)]
    values = np.array(column.values, dtype=float)
    assert np.isfinite(values).all() and ((values > 0) & (values < 1)).all()
    assert not np.array_equal(values, np.array(trained.values[:8]))  # new images, new scores
    assert (applied.n, applied.scored) == (8, 8)
    assert _hashes(fitted.unit_dir) == before


def test_remarkit_apply_runs_the_unit_end_to_end(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    direct = _apply(fitted, _external_ctx(external, tmp_path / "direct"), fitted.unit_dir)
    prepared = prepare_apply(fitted.out, external, models=[UNIT], plugins=fitted.plugins)
    (record,) = run_prepared(prepared, tmp_path / "out", use_cache=False).units
    assert record.status == "ok", record.error
    assert record.result is not None and record.result["kind"] == "applied"
    assert record.result["columns"] == [c.model_dump(mode="json") for c in direct.columns]


def test_another_torch_version_is_named(fitted: Fitted, external: Path, tmp_path: Path) -> None:
    ctx = _external_ctx(external, tmp_path / "out")
    applied = _apply(fitted, ctx, fitted.unit_dir, torch_version="1.0.0")
    assert applied.warnings[0].startswith("the model was trained with PyTorch 1.0.0")


def test_missing_or_modified_model_files(fitted: Fitted, external: Path, tmp_path: Path) -> None:
    ctx = _external_ctx(external, tmp_path / "out")
    unit_dir = tmp_path / "model" / "units" / UNIT
    shutil.copytree(fitted.unit_dir, unit_dir)
    weights = unit_dir / "model" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(InputError, match=r"differs from the training run's \(sha256\)") as info:
        _apply(fitted, ctx, unit_dir)
    assert info.value.file == str(weights)
    weights.unlink()
    with pytest.raises(InputError, match=r"saved model file 'model\.safetensors' missing"):
        _apply(fitted, ctx, unit_dir)
    with pytest.raises(InputError, match=r"lists no saved model \(preprocessing\.json and"):
        _apply(fitted, ctx, fitted.unit_dir, artefacts=[])


def test_missing_phase_in_the_new_manifest(fitted: Fitted, external: Path, tmp_path: Path) -> None:
    spec = _copy(external, tmp_path)
    manifest = pd.read_csv(spec.parent / "images.csv")
    manifest["phase"] = "portal"
    manifest.to_csv(spec.parent / "images.csv", index=False)
    with pytest.raises(
        InputError,
        match=r"8 patient\(s\) have no 'arterial' row in the image manifest \(P000, P001, P002, "
        r"P003, P004 \.\.\.\); phases present: portal",
    ) as info:
        _apply(fitted, _external_ctx(spec, tmp_path / "out"), fitted.unit_dir)
    assert info.value.file == str(spec.parent / "images.csv")


def test_broken_new_images_are_one_error_naming_patients_and_files(
    fitted: Fitted, external: Path, tmp_path: Path
) -> None:
    spec = _copy(external, tmp_path)
    for patient in ("P002", "P005"):
        mask = spec.parent / f"images/{patient}_arterial_tumour.nii.gz"
        sitk.WriteImage(sitk.ReadImage(str(mask)) * 0, str(mask))
    with pytest.raises(InputError) as info:
        _apply(fitted, _external_ctx(spec, tmp_path / "out"), fitted.unit_dir)
    text = str(info.value)
    assert "\n" not in text and text.startswith("2 problems: patient 'P002', phase 'arterial': ")
    assert "patient 'P005', phase 'arterial': tumour mask: " in text
