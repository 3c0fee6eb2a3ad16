"""The frozen-model file of a logistic integrator: versioned, human-readable JSON.

``model.json`` holds everything needed to score a new cohort without the training data: the
coefficients (log odds, intercept first), the predictors with their categorical levels and the
training ranges of continuous ones, the Youden threshold fixed on the training set, the upstream
units whose derived columns the model reads (by unit id; their own artefacts are verified by the
engine against the training run's results.json), and the library versions that produced it. Its
sha256 is recorded in the unit's result; :func:`read_model` refuses a file whose hash differs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from remarkit import __version__
from remarkit.modeling.documents import installed_versions, read_document, write_document
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
        libraries=installed_versions(LIBRARIES),
        title=title,
        outcome=outcome,
        predictors=predictors,
        coefficients=coefficients,
        levels=levels,
        ranges=ranges,
        threshold=threshold,
        upstream=upstream,
    )
    return write_document(path, document)


def read_model(path: Path) -> ModelDocument:
    """Read a frozen model (verified by the engine under ``apply``); a missing, foreign or
    incompatible file is an InputError."""
    return read_document(path, ModelDocument, format_name=FORMAT, format_version=FORMAT_VERSION)
