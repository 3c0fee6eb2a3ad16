"""Bad-input cases of `remarkit apply`: the frozen-model folder (a training run's report) and
the new cohort's study.

The base (``write_model_base``) is a folder with ``model/`` (a training run: a logistic model
``clin`` on stage and age, a logistic integrator ``integ`` of its linear predictor and the marker,
which saves ``units/integ/model.json``) and ``study/`` (the new cohort). A case breaks a copy and
returns what ``remarkit apply model study/study.toml`` must name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bad_inputs.base import Broken, Case, replace_in, set_cell, write_clinical

MODEL_UNITS = """
[[unit]]
id = "clin"
use = "logistic_model"
variables = ["stage", "age"]

[[unit]]
id = "integ"
use = "logistic_integrator"
variables = ["clin.linear_predictor", "marker"]
"""

RESULTS = "model/results.json"
BOOSTER = "model/units/integ/model.json"
NOMOGRAM = "model/units/integ/nomogram.svg"


def write_model_base(root: Path) -> Path:
    """Fit the model (no report, no cache) into ``root/model``; the new cohort in ``root/study``
    (the clinical study without its own unit)."""
    from remarkit.engine.api import prepare, run_prepared

    train = write_clinical(root / "train")
    train.write_text(train.read_text(encoding="utf-8") + MODEL_UNITS, encoding="utf-8")
    results = run_prepared(prepare(train), root / "model", use_cache=False)
    assert all(u.status == "ok" for u in results.units), results.units
    new = write_clinical(root / "study")
    text = new.read_text(encoding="utf-8")
    new.write_text(text.split("[[unit]]")[0], encoding="utf-8")
    return root


def _results(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / RESULTS).read_text(encoding="utf-8"))
    return data


def _save(root: Path, data: dict[str, Any]) -> None:
    (root / RESULTS).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _unit(data: dict[str, Any], uid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(u for u in data["units"] if u["id"] == uid)
    return found


def _edit(
    name: str, change: Callable[[dict[str, Any]], None], where: str, file: str = RESULTS
) -> Case:
    """Edit results.json (parsed, changed, written back as valid JSON)."""

    def build(root: Path) -> Broken:
        data = _results(root)
        change(data)
        _save(root, data)
        return Broken(root / "study" / "study.toml", root / file, where, model=root / "model")

    return Case(f"models: {name}", "models", "model", build)


def _file(name: str, file: str, change: Callable[[Path], None], where: str, names: str) -> Case:
    """Change a file of the model folder; the error names ``names`` (a path under the base)."""

    def build(root: Path) -> Broken:
        change(root / file)
        return Broken(root / "study" / "study.toml", root / names, where, model=root / "model")

    return Case(f"models: {name}", "models", "model", build)


def _study(name: str, change: Callable[[Path], None], where: str, file: str = "study.toml") -> Case:
    """Change the new cohort's study; the error names ``file`` in the study folder."""

    def build(root: Path) -> Broken:
        change(root / "study")
        return Broken(
            root / "study" / "study.toml", root / "study" / file, where, model=root / "model"
        )

    return Case(f"models: {name}", "models", "model", build)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _set(uid: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _unit(data, uid)[key] = value

    return change


def _coefficient(data: dict[str, Any]) -> None:
    _unit(data, "clin")["result"]["coefficients"][1]["coef"] += 0.5


def _threshold(data: dict[str, Any]) -> None:
    _unit(data, "integ")["result"]["threshold"]["value"] = 0.5


def _drop_file_entry(data: dict[str, Any]) -> None:
    integ = _unit(data, "integ")
    integ["files"] = [f for f in integ["files"] if not f["path"].endswith("model.json")]


def _result_type(data: dict[str, Any]) -> None:
    _unit(data, "clin")["result"]["n"] = "many"


def _no_id(data: dict[str, Any]) -> None:
    del _unit(data, "clin")["id"]


def _tamper_booster(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["coefficients"][1]["coef"] += 0.5
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _drop_variable(name: str) -> Callable[[Path], None]:
    def change(study: Path) -> None:
        replace_in(study / "study.toml", f'[cohort.variables.{name}]\ntype = "continuous"\n', "")

    return change


def _unseen_level(study: Path) -> None:
    replace_in(
        study / "study.toml", 'levels = ["I", "II", "III"]', 'levels = ["I", "II", "III", "IV"]'
    )
    set_cell(study / "cohort.csv", 5, "stage", "IV")


def _model_folder(name: str, change: Callable[[Path], None], where: str) -> Case:
    def build(root: Path) -> Broken:
        change(root / "model")
        return Broken(root / "study" / "study.toml", root / "model", where, model=root / "model")

    return Case(f"models: {name}", "models", "model", build)


def _no_model(root: Path) -> Broken:
    path = root / "nomodel"
    return Broken(root / "study" / "study.toml", path, "model folder not found", model=path)


def _model_option(root: Path) -> Broken:
    return Broken(
        root / "study" / "study.toml",
        None,
        "field '--model': the training run has no unit 'cox'",
        ("--model", "cox"),
        model=root / "model",
    )


def _replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


HASH = "differs from the recorded result_sha256"

MODEL_CASES = [
    _model_folder(
        "results.json missing", lambda m: (m / "results.json").unlink(), "no results.json"
    ),
    _model_folder(
        "results.json is a folder",
        lambda m: _replace_by_folder(m / "results.json"),
        "no results.json",
    ),
    Case("models: model folder not found", "models", "model", _no_model),
    _file("results.json truncated", RESULTS, _truncate, "cannot read results", RESULTS),
    _file(
        "results.json not text",
        RESULTS,
        lambda p: p.write_bytes(b"\xff\xfe\x00junk"),
        "cannot read results",
        RESULTS,
    ),
    _file(
        "results.json empty", RESULTS, lambda p: p.write_bytes(b""), "cannot read results", RESULTS
    ),
    _file(
        "results.json a list",
        RESULTS,
        lambda p: p.write_text("[]\n"),
        "schema version None",
        RESULTS,
    ),
    _edit("older schema version", lambda d: d.update(schema_version="0.9"), "schema version '0.9'"),
    _edit("unit without id", _no_id, "does not match the results schema: units.1.id"),
    _edit(
        "coefficient edited",
        _coefficient,
        f"unit 'clin': its result or its list of saved files {HASH}",
    ),
    _edit(
        "threshold edited",
        _threshold,
        f"unit 'integ': its result or its list of saved files {HASH}",
    ),
    _edit(
        "artefact entry removed",
        _drop_file_entry,
        f"unit 'integ': its result or its list of saved files {HASH}",
    ),
    _edit(
        "result field of another type",
        _result_type,
        "unit 'clin': its params or result do not validate",
    ),
    _edit(
        "unit version",
        _set("clin", "version", "0.9"),
        "unit 'clin' was fitted by logistic_model 0.9",
    ),
    _edit(
        "unit not installed",
        _set("clin", "name", "gone_model"),
        "unit 'clin' uses 'gone_model', which is not installed",
    ),
    _edit(
        "upstream unit failed",
        _set("clin", "status", "failed"),
        "unit 'clin' failed in the training run",
    ),
    _file(
        "saved model missing",
        BOOSTER,
        lambda p: p.unlink(),
        "unit 'integ': saved file missing",
        BOOSTER,
    ),
    _file(
        "saved model tampered",
        BOOSTER,
        _tamper_booster,
        "unit 'integ': the file's sha256 differs",
        BOOSTER,
    ),
    _file(
        "saved figure replaced",
        NOMOGRAM,
        lambda p: p.write_text("<svg/>"),
        "unit 'integ': the file's sha256 differs",
        NOMOGRAM,
    ),
    Case("models: --model not in the training run", "models", "model", _model_option),
    _study(
        "cohort lacks a predictor", _drop_variable("age"), "field 'unit(clin)': needs column 'age'"
    ),
    _study(
        "cohort lacks an integrated column",
        _drop_variable("marker"),
        "field 'unit(integ)': needs column 'marker'",
    ),
    _study(
        "level unseen in training",
        _unseen_level,
        "applying 'clin' (logistic_model): level(s) ['IV']",
        "cohort.csv",
    ),
]
