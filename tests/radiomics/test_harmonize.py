"""radiomics_score with ComBat harmonisation by scanner: fitted on training, frozen, re-applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pytest

from remarkit import InputError, InputErrors, UnitContext
from remarkit.demo.batches import ScannerShift, assign_scanners, shift_images
from remarkit.engine.api import prepare, prepare_apply, run_prepared
from remarkit.engine.executor import SerialExecutor
from remarkit.modeling.combat import ComBatModel, apply_combat, fit_combat
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.result import RadiomicsResult
from remarkit.plugins.radiomics.unit import RadiomicsScore
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.testing import folder_state
from tests.radiomics.conftest import run_study
from tests.radiomics.study import SPEC, split_of, write_external, write_study

pytest.importorskip("radiomics")

UNIT = "a_radiomics"
SCANNER = """
[cohort.variables.scanner]
type = "categorical"
"""
SIZE = """
[cohort.variables.tumor_size_mm]
type = "continuous"
"""
HARMONIZE = 'harmonize_batch = "scanner"\nharmonize_covariates = ["tumor_size_mm"]\n'
SHIFT = ScannerShift(gain=1.15, offset_hu=30.0, smoothing_mm=1.5)


def _spec(extra: str = HARMONIZE, variables: str = SCANNER + SIZE) -> str:
    head, _, units = SPEC.partition("[[unit]]")
    return head + variables + "\n[[unit]]" + units + extra


def _with_scanners(spec: Path, seed: int = 11, shift: bool = True) -> pd.Series:
    """Add a two-level scanner column to the study's cohort; shift scanner B's images."""
    table = pd.read_csv(spec.parent / "cohort.csv", dtype={"patient_id": str})
    scanners = assign_scanners(list(table["patient_id"]), seed=seed)
    table["scanner"] = scanners.to_numpy()
    table.to_csv(spec.parent / "cohort.csv", index=False)
    if shift:
        shift_images(
            spec.parent / "images" / "manifest.csv", scanners.index[scanners == "B"], SHIFT
        )
    return scanners


def _write(root: Path, spec: str = "") -> Path:
    path = write_study(root, spec=spec or _spec())
    _with_scanners(path)
    return path


@pytest.fixture(scope="module")
def combat_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    spec = _write(tmp_path_factory.mktemp("combat") / "study")
    out = spec.parent.parent / "out"
    return spec, out, run_study(spec, out)


def _result(data: dict[str, Any]) -> dict[str, Any]:
    (unit,) = data["units"]
    assert unit["status"] == "ok", unit["error"]
    result: dict[str, Any] = unit["result"]
    return result


def _error(spec: Path, tmp_path: Path) -> str:
    (unit,) = run_study(spec, tmp_path / "out")["units"]
    assert unit["status"] != "ok"
    message: str = unit["error"]
    assert "\n" not in message
    return message


def test_features_are_harmonised_with_training_estimates_only(
    combat_run: tuple[Path, Path, dict[str, Any]],
) -> None:
    spec, out, data = combat_run
    result = _result(data)
    h = result["harmonization"]
    assert h["batch_column"] == "scanner" and h["covariates"] == ["tumor_size_mm"]
    split = split_of(spec.parent)
    cohort = pd.read_csv(spec.parent / "cohort.csv", dtype={"patient_id": str})
    cohort = cohort.set_index("patient_id")
    scanners = cohort["scanner"]
    train = [p for p in split.index if split[p] == "train"]
    sizes = scanners[train].value_counts()
    assert {b["batch"]: b["n_train"] for b in h["batches"]} == sizes.to_dict()
    assert h["n_tested"] == h["n_harmonized"] > 10
    assert h["n_differing_before"] > h["n_differing_after"]
    assert h["n_differing_before"] >= 0.3 * h["n_tested"]  # the scanner shift is visible
    assert len(h["largest"]) == 4 and all(e["p_before"] < 0.05 for e in h["largest"])
    # the saved model equals ComBat refitted on the training patients' raw features only
    raw = pd.read_parquet(out / result["artefacts"]["features_before_combat"]).set_index("patient")
    saved = ComBatModel.model_validate_json((out / result["artefacts"]["combat"]).read_text())
    refit = fit_combat(
        raw.loc[train, saved.features],
        raw.loc[train, "scanner"].rename("scanner"),
        cohort.loc[train, ["tumor_size_mm"]],
    )
    assert refit == saved
    # every patient's stored features are the frozen model applied to its raw features
    stored = pd.read_parquet(out / result["artefacts"]["features"]).set_index("patient")
    frozen = apply_combat(
        saved,
        raw[saved.features],
        raw["scanner"].rename("scanner"),
        cohort.loc[raw.index, ["tumor_size_mm"]],
    )
    assert np.allclose(stored[saved.features].to_numpy(), frozen.to_numpy(), rtol=1e-12, atol=0)
    untouched = [c for c in raw.columns if c not in saved.features and c != "scanner"]
    assert stored[untouched].equals(raw[untouched])
    test = [p for p in split.index if split[p] == "test"]
    assert not np.allclose(stored.loc[test, saved.adjusted], raw.loc[test, saved.adjusted])
    assert any(f["name"] == "combat_batches" for f in result["figures"])
    assert (out / "units" / UNIT / "combat_batches.svg").is_file()


def test_report_and_methods_show_the_harmonisation(
    combat_run: tuple[Path, Path, dict[str, Any]],
) -> None:
    _, out, data = combat_run
    (unit,) = data["units"]
    result = RadiomicsResult.model_validate(unit["result"])
    params = RadiomicsParams.model_validate(unit["params"])
    text = RadiomicsScore().methods(result, params)
    h = result.harmonization
    assert h is not None
    assert "empirical-Bayes ComBat" in text
    assert f"{h.n_differing_before} of {h.n_tested} before and {h.n_differing_after} after" in text
    html = render_unit(make_environment(), unit, ReportState(out))
    assert "ComBat harmonisation by scanner" in html
    assert "Features differing by batch after ComBat" in html


def test_remarkit_apply_reapplies_the_frozen_combat(
    combat_run: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    spec, out, data = combat_run
    result = _result(data)
    external = write_external(tmp_path / "ext")
    _with_scanners(external, seed=3)
    text = external.read_text(encoding="utf-8").replace("[images]", SCANNER + SIZE + "\n[images]")
    external.write_text(text, encoding="utf-8")
    table = pd.read_csv(external.parent / "cohort.csv", dtype=str)
    assert set(table["scanner"]) == {"A", "B"}
    prepared = prepare_apply(out, external, models=[UNIT])
    applied = run_prepared(prepared, tmp_path / "out", use_cache=False)
    (record,) = applied.units
    assert record.status == "ok", record.error
    assert record.result is not None
    frozen = record.result["frozen"]
    assert frozen["ComBat model sha256"] == result["harmonization"]["model_sha256"]
    assert "ComBat harmonisation by scanner" in record.result["summary"]
    # the training cohort applied to itself gives its own scores
    prepared_training = prepare(spec)
    (planned,) = prepared_training.plan
    assert isinstance(planned.params, RadiomicsParams)
    ctx = UnitContext(
        unit_id=UNIT,
        study=prepared_training.study,
        cohort=prepared_training.cohort,
        upstream={},
        seed=prepared_training.study.study.seed,
        executor=SerialExecutor(),
        out_root=tmp_path / "same",
    )
    fitted = RadiomicsResult.model_validate(result)
    same = RadiomicsScore().apply(ctx, planned.params, folder_state(out / "units" / UNIT, fitted))
    assert same.columns == [
        c for c in fitted.columns if not c.name.endswith("_oof")
    ]  # no folds in apply
    # a scanner the training set never saw
    table.loc[0, "scanner"] = "C"
    table.to_csv(external.parent / "cohort.csv", index=False)
    with pytest.raises(
        InputErrors,
        match=r"column 'scanner': applying 'a_radiomics' \(radiomics_score\): batch 'C' was not "
        r"among the training batches \(A, B\)",
    ):
        run_prepared(prepare_apply(out, external, models=[UNIT]), tmp_path / "bad", use_cache=False)


def test_a_tampered_combat_model_is_refused(
    combat_run: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    from remarkit.plugins.radiomics.frozen import saved_file

    _, out, data = combat_run
    result = RadiomicsResult.model_validate(_result(data))
    assert result.harmonization is not None
    folder = tmp_path / "units" / UNIT
    shutil.copytree(out / "units" / UNIT, folder)
    path = folder / PurePosixPath(result.artefacts["combat"]).name
    model = json.loads(path.read_text())
    model["gamma_star"][0][0] += 1.0
    path.write_text(json.dumps(model))
    state = folder_state(folder, result)
    with pytest.raises(InputError, match=r"combat.json: the saved combat artefact differs") as info:
        saved_file(state, "combat", result.harmonization.model_sha256)
    assert info.value.file == str(path)


def test_absent_batch_column_is_a_plan_error(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study", spec=_spec(variables=""))
    with pytest.raises(Exception, match=r"needs column 'scanner', which is neither"):
        prepare(spec)


def test_continuous_batch_column_is_an_error(tmp_path: Path) -> None:
    variables = SCANNER.replace("categorical", "continuous") + SIZE
    spec = write_study(tmp_path / "study", spec=_spec(variables=variables))
    table = pd.read_csv(spec.parent / "cohort.csv")
    table["scanner"] = np.arange(len(table)) % 2
    table.to_csv(spec.parent / "cohort.csv", index=False)
    assert _error(spec, tmp_path).endswith(
        "column 'scanner', field 'harmonize_batch': the batch column is continuous; declare a "
        "categorical column (centre, scanner)"
    )


def test_a_batch_with_one_training_patient_is_an_error(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study", spec=_spec())
    table = pd.read_csv(spec.parent / "cohort.csv", dtype={"patient_id": str})
    table["scanner"] = "A"
    lone = table.index[table["set"] == "train"][0]
    table.loc[lone, "scanner"] = "B"
    table.loc[table["set"] == "test", "scanner"] = "B"
    table.to_csv(spec.parent / "cohort.csv", index=False)
    assert _error(spec, tmp_path).endswith(
        "column 'scanner', field 'harmonize_batch': batch(es) 'B' (1) have fewer than 2 "
        "training patients; ComBat needs at least 2 batches of at least 2 training patients"
    )


def test_a_test_patient_in_a_batch_without_training_patients_is_an_error(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study", spec=_spec())
    table = pd.read_csv(spec.parent / "cohort.csv", dtype={"patient_id": str})
    table["scanner"] = np.where(np.arange(len(table)) % 2 == 0, "A", "B")
    lone = table.index[table["set"] == "test"][0]
    table.loc[lone, "scanner"] = "C"
    table.to_csv(spec.parent / "cohort.csv", index=False)
    assert _error(spec, tmp_path).endswith(
        f"column 'scanner', field 'harmonize_batch': batch 'C' (patient(s) "
        f"{table.loc[lone, 'patient_id']}) has no training patient; ComBat cannot harmonise a "
        "batch it was not fitted on"
    )


def test_covariates_without_a_batch_are_an_error(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study", spec=_spec(extra='harmonize_covariates = ["scanner"]\n'))
    _with_scanners(spec, shift=False)
    assert _error(spec, tmp_path).endswith(
        "field 'harmonize_covariates': ComBat covariates given without harmonize_batch"
    )


def test_the_nonparametric_prior_is_used_when_asked(tmp_path: Path) -> None:
    spec = _write(tmp_path / "study", spec=_spec(HARMONIZE + 'harmonize_prior = "nonparametric"\n'))
    out = tmp_path / "out"
    result = _result(run_study(spec, out))
    assert result["harmonization"]["prior"] == "nonparametric"
    saved = ComBatModel.model_validate_json((out / result["artefacts"]["combat"]).read_text())
    assert saved.prior == "nonparametric" and saved.iterations == [0, 0]
    raw = pd.read_parquet(out / result["artefacts"]["features_before_combat"]).set_index("patient")
    cohort = pd.read_csv(spec.parent / "cohort.csv", dtype={"patient_id": str})
    cohort = cohort.set_index("patient_id")
    train = [p for p, s in split_of(spec.parent).items() if s == "train"]
    refit = fit_combat(
        raw.loc[train, saved.features],
        raw.loc[train, "scanner"].rename("scanner"),
        cohort.loc[train, ["tumor_size_mm"]],
        prior="nonparametric",
    )
    assert refit == saved
