"""The frozen-model file of a logistic integrator: versioned, human-readable JSON.

``model.json`` holds everything needed to score a new cohort without the training data: the
coefficients (log odds, intercept first), the predictors with their categorical levels and the
training ranges of continuous ones, the Youden threshold fixed on the training set, the upstream
units whose derived columns the model reads (by unit id; their own artefacts are verified by the
engine against the training run's results.json), and the library versions that produced it. Its
sha256 is recorded in the unit's result; :func:`read_model` refuses a file whose hash differs.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remarkit import InputError, __version__
from remarkit.modeling.frozen import Coefficient
from remarkit.plugins.integrators.result import Range, TrainThreshold

FORMAT = "remarkit.logistic_integrator"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")


class ModelDocument(BaseModel):
    """The content of ``model.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = Field(description=f"Always '{FORMAT}'")
    format_version: int = Field(description="Incremented on incompatible changes")
    remarkit_version: str = Field(description="remarkit version that wrote the file")
    libraries: dict[str, str] = Field(description="Library versions of the fit")
    title: str
    outcome: str
    predictors: list[str]
    coefficients: list[Coefficient]
    levels: dict[str, list[str]]
    ranges: dict[str, Range]
    threshold: TrainThreshold
    upstream: dict[str, str] = Field(description="Upstream unit id -> result kind")


def _libraries() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model(
    path: Path,
    *,
    title: str,
    outcome: str,
    predictors: list[str],
    coefficients: list[Coefficient],
    levels: dict[str, list[str]],
    ranges: dict[str, Range],
    threshold: TrainThreshold,
    upstream: dict[str, str],
) -> str:
    """Write ``model.json`` (sorted keys, stable floats) and return its sha256."""
    document = ModelDocument(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        remarkit_version=__version__,
        libraries=_libraries(),
        title=title,
        outcome=outcome,
        predictors=predictors,
        coefficients=coefficients,
        levels=levels,
        ranges=ranges,
        threshold=threshold,
        upstream=upstream,
    )
    text = json.dumps(document.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return sha256_file(path)


def read_model(path: Path, expected_sha256: str) -> ModelDocument:
    """Read a frozen model; a missing, tampered, foreign or incompatible file is an InputError."""
    if not path.is_file():
        raise InputError("frozen model file not found", file=str(path))
    if sha256_file(path) != expected_sha256:
        raise InputError(
            "the frozen model's sha256 differs from the one recorded in the training run's "
            "results (the file was modified after fitting)",
            file=str(path),
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a JSON file ({exc})", file=str(path)) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        found = raw.get("format") if isinstance(raw, dict) else None
        raise InputError(f"format {found!r} is not {FORMAT!r}", file=str(path))
    if raw.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"model format version {raw.get('format_version')!r} (written by remarkit "
            f"{raw.get('remarkit_version', '?')}); this remarkit {__version__} reads version "
            f"{FORMAT_VERSION}: refit the model with this version",
            file=str(path),
        )
    try:
        return ModelDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"invalid frozen model: {where}: {first['msg']}", file=str(path)) from exc
