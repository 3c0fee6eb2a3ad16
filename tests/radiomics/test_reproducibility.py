"""radiomics_score with a second segmentation: feature ICCs, the ICC filter, its errors, apply."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit import InputError, InputErrors, UnitContext
from remarkit.demo.second_masks import add_second_masks
from remarkit.engine.api import prepare, prepare_apply, run_prepared
from remarkit.engine.executor import SerialExecutor
from remarkit.plugins.radiomics.artefacts import feature_frame
from remarkit.plugins.radiomics.cases import CaseTask, case_tasks, extract_case
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.reproducibility import assess, feature_iccs
from remarkit.plugins.radiomics.settings import load_settings
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import icc
from tests.radiomics.conftest import run_study
from tests.radiomics.study import SPEC, split_of, write_external, write_study

pytest.importorskip("radiomics")

UNIT = "a_radiomics"
THRESHOLD = 0.75
SMALL = 14  # patients assess() sees in the error tests


def _with_second_masks(root: Path, count: int, *, spec: str, n: int = 60) -> Path:
    path = write_study(root, n=n, spec=spec)
    patients = pd.read_csv(root / "cohort.csv")["patient_id"].astype(str).tolist()[:count]
    add_second_masks(root / "images" / "manifest.csv", patients=patients, seed=3)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The 60-patient test study, 30 patients with a second segmentation, ICC filter 0.75."""
    root = tmp_path_factory.mktemp("repro") / "study"
    spec = _with_second_masks(root, 30, spec=SPEC + f"icc_threshold = {THRESHOLD}\n")
    out = root.parent / "out"
    return out, run_study(spec, out)


def _result(data: dict[str, Any]) -> dict[str, Any]:
    (unit,) = data["units"]
    assert unit["status"] == "ok", unit["error"]
    result: dict[str, Any] = unit["result"]
    return result


def test_iccs_use_training_patients_with_both_masks_and_filter_before_selection(
    run: tuple[Path, dict[str, Any]],
) -> None:
    out, data = run
    result = _result(data)
    repro = result["reproducibility"]
    split = split_of(out.parent / "study")
    with_second = list(split.index[:30])
    training = [p for p in with_second if split[p] == "train"]
    assert 0 < len(training) < 30
    assert (repro["n_second_masks"], repro["n_patients"]) == (30, len(training))
    assert repro["form"] == "ICC2" and repro["form_label"] == "ICC(2,1)"
    assert repro["threshold"] == THRESHOLD
    rows = repro["features"]
    assert len(rows) == repro["n_features"] == result["n_features"]
    kept = {r["feature"] for r in rows if r["kept"]}
    assert kept == {r["feature"] for r in rows if r["icc"] is not None and r["icc"] >= THRESHOLD}
    assert 0 < len(kept) < len(rows)
    assert repro["n_removed"] == len(rows) - len(kept)
    assert sum(repro["bands"].values()) == len(rows) - repro["n_undefined"]
    assert {f["name"] for f in result["selected"]} <= kept
    filters = result["filters"]
    assert filters[0] == {"step": "extracted", "remaining": len(rows), "removed": None}
    assert filters[1]["step"].startswith("ICC(2,1) >= 0.75 between two segmentations")
    assert filters[1]["remaining"] == len(kept)
    for before, after in itertools.pairwise(filters):
        assert after["removed"] == before["remaining"] - after["remaining"]
    assert filters[-1]["remaining"] == len(result["selected"])


def test_iccs_equal_remarkit_stats_icc_on_the_saved_features(
    run: tuple[Path, dict[str, Any]],
) -> None:
    out, data = run
    result = _result(data)
    first = pd.read_parquet(out / result["artefacts"]["features"]).set_index("patient")
    second = pd.read_parquet(out / result["artefacts"]["second_mask_features"])
    second = second.set_index("patient")
    assert set(first.loc[second.index, "split"]) == {"train"}
    table = pd.read_csv(out / result["artefacts"]["feature_icc"]).set_index("feature")
    rows = {r["feature"]: r for r in result["reproducibility"]["features"]}
    for name in list(rows)[::50]:
        ratings = np.column_stack([first.loc[second.index, name], second[name]])
        expected = icc(ratings).form("ICC2")
        assert rows[name]["icc"] == expected.estimate == table.loc[name, "ICC2"]
        assert (rows[name]["lower"], rows[name]["upper"]) == (expected.lower, expected.upper)


def test_report_methods_and_figure(run: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, data = run
    (unit,) = data["units"]
    repro = unit["result"]["reproducibility"]
    n = repro["n_patients"]
    assert (
        f"features with ICC(2,1) < 0.75 (or none computable) between two segmentations of {n} "
        "training patients were excluded before feature selection"
    ) in unit["methods"]
    figure = next(f for f in unit["result"]["figures"] if f["name"] == "feature_icc")
    assert (out / figure["path"]).is_file()
    html = render_unit(make_environment(), unit, ReportState(out))
    assert "feature reproducibility across two segmentations" in html
    assert f"{repro['n_removed']} of {repro['n_features']} features removed" in html
    assert f"({repro['n_removed']} removed)" in html


def test_frozen_model_applies_without_second_masks(
    run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, data = run
    kept = {r["feature"] for r in _result(data)["reproducibility"]["features"] if r["kept"]}
    external = write_external(tmp_path / "external", n=6)
    manifest = pd.read_csv(external.parent / "images" / "manifest.csv")
    assert "mask2" not in manifest.columns
    prepared = prepare_apply(out, external, models=[UNIT])
    results = run_prepared(prepared, tmp_path / "applied", use_cache=False)
    (record,) = results.units
    assert record.status == "ok", record.error
    assert record.result is not None
    (column,) = record.result["columns"]
    assert all(v is not None for v in column["values"])
    model = json.loads((out / _result(data)["artefacts"]["model"]).read_text("utf-8"))
    assert set(model["features"]) <= kept


def test_feature_iccs_undefined_exact_and_psych_forms() -> None:
    rng = np.random.default_rng(1)
    patients = [f"P{i}" for i in range(8)]
    base = rng.normal(size=8)
    first = pd.DataFrame(
        {
            "noisy": base,
            "constant": np.ones(8),
            "exact": base * 3,
            "nan": np.r_[base[:7], np.nan],
            "absent": base,
        },
        index=patients,
    )
    second = pd.DataFrame(
        {
            "noisy": base + rng.normal(scale=0.3, size=8),
            "constant": np.ones(8),
            "exact": base * 3,
            "nan": base,
        },
        index=patients,
    )
    rows = {name: (v, lo, hi) for name, v, lo, hi in feature_iccs(first, second, "ICC3k")}
    expected = icc(np.column_stack([first["noisy"], second["noisy"]])).form("ICC3k")
    assert rows["noisy"] == (expected.estimate, expected.lower, expected.upper)
    assert rows["constant"] == rows["nan"] == rows["absent"] == (None, None, None)
    assert rows["exact"] == (1.0, None, None)


# --- assess() directly on a small cohort: errors and the no-filter case ------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-patient study without second masks (tests copy it; `assess` sees the first 14)."""
    return write_study(tmp_path_factory.mktemp("small") / "study", n=40)


def _assess_setup(
    spec: Path, cache: Path, **params: Any
) -> tuple[UnitContext, RadiomicsParams, list[CaseTask], pd.DataFrame, list[str]]:
    prepared = prepare(spec)
    study = prepared.study
    cohort = dataclasses.replace(prepared.cohort, data=prepared.cohort.data.iloc[:SMALL])
    ctx = UnitContext(
        unit_id=UNIT,
        study=study,
        cohort=cohort,
        upstream={},
        seed=1,
        executor=SerialExecutor(),
        out_root=spec.parent / "out",
        case_cache_dir=cache,
    )
    options = RadiomicsParams(phase="arterial", parameter_file=Path("params.yaml"), **params)
    assert study.images is not None
    settings = load_settings(spec.parent / "params.yaml", label=1, tolerance=1e-3)
    patients = [str(p) for p in cohort.data.index]
    tasks = case_tasks(ctx, "arterial", settings, patients)
    features = feature_frame([extract_case(t) for t in tasks])
    split = cohort.split.astype(str)
    train = [p for p in patients if split[p] == "train"]
    return ctx, options, tasks, features, train


def _copy_with_second(small: Path, target: Path, count: int) -> Path:
    shutil.copytree(small.parent, target)
    cohort = pd.read_csv(target / "cohort.csv")
    first = cohort.head(SMALL)
    train = first.loc[first["set"] == "train", "patient_id"].astype(str).tolist()[:count]
    add_second_masks(target / "images" / "manifest.csv", patients=train, seed=5)
    return target / "study.toml"


def test_too_few_training_patients_with_two_masks_names_the_param(
    small: Path, tmp_path: Path
) -> None:
    spec = _copy_with_second(small, tmp_path / "study", 3)
    setup = _assess_setup(spec, tmp_path / "cache", icc_threshold=0.8)
    with pytest.raises(InputError) as caught:
        assess(*setup)
    text = str(caught.value)
    assert "\n" not in text and "field 'unit.a_radiomics.icc_threshold'" in text
    assert "at least 5 training patients" in text and "3 have one" in text
    # no second mask at all, threshold set: the same error
    setup = _assess_setup(small, tmp_path / "cache", icc_threshold=0.8)
    with pytest.raises(InputError, match="0 have one"):
        assess(*setup)


def test_without_a_threshold_iccs_are_reported_and_nothing_is_dropped(
    small: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert assess(*_assess_setup(small, cache)) is None
    cached = len(list((cache / "radiomics").rglob("*.json")))
    assert cached == SMALL
    spec = _copy_with_second(small, tmp_path / "study", 3)
    found = assess(*_assess_setup(spec, cache, icc_form="ICC3"))
    # the second segmentations are cached per case like the first ones
    assert len(list((cache / "radiomics").rglob("*.json"))) == SMALL + 3
    assert found is not None and found.kept is None
    assert found.result.n_patients == 3 and found.result.n_removed == 0
    assert found.result.form_label == "ICC(3,1)"
    assert all(r.kept for r in found.result.features)
    assert len(found.second) == 3 and set(found.second.index) <= set(setup_train(spec))


def setup_train(spec: Path) -> list[str]:
    split = split_of(spec.parent).iloc[:SMALL]
    return [str(p) for p in split.index if split[p] == "train"]


def test_second_mask_with_another_geometry_fails_naming_row_patient_phase_file(
    small: Path, tmp_path: Path
) -> None:
    spec = _copy_with_second(small, tmp_path / "study", 6)
    manifest = pd.read_csv(spec.parent / "images" / "manifest.csv", keep_default_na=False)
    row = next(i for i, v in enumerate(manifest["mask2"]) if v)
    patient, path = (
        manifest.loc[row, "patient"],
        spec.parent / "images" / manifest.loc[row, "mask2"],
    )
    mask = sitk.ReadImage(str(path))
    mask.SetSpacing((2.5, 2.5, 3.0))
    sitk.WriteImage(mask, str(path))
    setup = _assess_setup(spec, tmp_path / "cache", icc_threshold=0.75)
    with pytest.raises(InputErrors) as caught:
        assess(*setup)
    (error,) = caught.value.errors
    text = error.format()
    assert text.startswith(
        f"{path}: patient '{patient}', phase 'arterial': second tumour mask (image manifest row "
        f"{row + 2}): mask spacing"
    )
