"""The frozen Cox model of a multivariable_cox unit: ``model.json`` and its linear predictor.

The file holds what scoring a new cohort needs without the training data: the coefficients (log
hazard ratios per each variable's scale), the categorical levels (reference first), the frozen
scales (SD/IQR divisors, per-doubling logs), the centring (coxph's ``means``: numeric columns at
their means on the fitting patients, level columns at 0; the linear predictor is
``sum(coef * (x - mean))``, as ``predict(fit, type = "lp")``), the training ranges of continuous variables, the endpoint and the
library versions. Its sha256 is recorded in the unit's result; :func:`read_model` refuses a file
whose hash differs.
"""

from __future__ import annotations

import hashlib
import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remarkit import DerivedColumn, InputError, __version__
from remarkit.modeling.frozen import Coefficient, check_new_cohort, linear_predictor
from remarkit.modeling.scaling import ScaleFit

FORMAT = "remarkit.cox_model"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
CENTRING = "(centring)"
LIBRARIES = ("numpy", "pandas", "scipy")


class Range(BaseModel):
    """Training range of a continuous predictor (on its original scale)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    minimum: float = Field(description="Smallest value among the fitting patients")
    maximum: float = Field(description="Largest value among the fitting patients")


class CoxModelDocument(BaseModel):
    """The content of ``model.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = Field(description=f"Always '{FORMAT}'")
    format_version: int = Field(description="Incremented on incompatible changes")
    remarkit_version: str = Field(description="remarkit version that wrote the file")
    libraries: dict[str, str] = Field(description="Library versions of the fit")
    title: str = Field(description="Model name (the unit id)")
    endpoint: str = Field(description="Endpoint label")
    time_unit: str = Field(description="Unit of the times")
    predictors: list[str] = Field(description="Model columns")
    coefficients: list[Coefficient] = Field(
        description="The centring constant (-sum(coef * mean)) first, then one per term"
    )
    means: dict[str, float] = Field(description="Mean of each design column (term) when fitted")
    levels: dict[str, list[str]] = Field(description="Categorical levels, reference first")
    scales: dict[str, ScaleFit] = Field(description="Frozen scale per continuous predictor")
    ranges: dict[str, Range] = Field(description="Training range per continuous predictor")


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


def design_means(data: pd.DataFrame, terms: list[Coefficient]) -> dict[str, float]:
    """The centring of each term, as coxph's ``means`` (survival >= 3).

    A numeric term is centred at its mean on ``data`` (scaled values); the 0/1 column of a
    categorical level is not centred (0), so the reference level is the baseline.
    """
    means: dict[str, float] = {}
    for c in terms:
        assert c.variable is not None
        numeric = c.level is None
        means[c.term] = float(data[c.variable].astype(float).mean()) if numeric else 0.0
    return means


def document(
    *,
    title: str,
    endpoint: str,
    time_unit: str,
    predictors: list[str],
    terms: list[Coefficient],
    means: dict[str, float],
    levels: dict[str, list[str]],
    scales: dict[str, ScaleFit],
    ranges: dict[str, Range],
) -> CoxModelDocument:
    """The frozen model, the centring constant first among its coefficients."""
    centre = -math.fsum(c.coef * means[c.term] for c in terms)
    return CoxModelDocument(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        remarkit_version=__version__,
        libraries=_libraries(),
        title=title,
        endpoint=endpoint,
        time_unit=time_unit,
        predictors=predictors,
        coefficients=[Coefficient(term=CENTRING, variable=None, level=None, coef=centre), *terms],
        means=means,
        levels=levels,
        scales=scales,
        ranges=ranges,
    )


def write_model(path: Path, model: CoxModelDocument) -> str:
    """Write ``model.json`` (sorted keys) and return its sha256."""
    text = json.dumps(model.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return sha256_file(path)


def read_model(path: Path, expected_sha256: str) -> CoxModelDocument:
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
            f"model format version {raw.get('format_version')!r}; this remarkit {__version__} "
            f"reads version {FORMAT_VERSION}: refit the model with this version",
            file=str(path),
        )
    try:
        return CoxModelDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"invalid frozen model: {where}: {first['msg']}", file=str(path)) from exc


def score(data: pd.DataFrame, model: CoxModelDocument) -> pd.Series:
    """The centred linear predictor of every patient (NaN when a predictor is missing).

    A value outside a per-doubling scale's domain (<= 0) has no score.
    """
    check_new_cohort(data, model.predictors, model.levels, model.title)
    scaled = data[model.predictors].copy()
    for column, scale in model.scales.items():
        values = scaled[column].astype(float)
        if scale.scale == "log2":
            values = values.where(values > 0)
        scaled[column] = scale.transform(values)
    return linear_predictor(scaled, model.coefficients, model.levels)


def lp_column(lp: pd.Series, title: str) -> DerivedColumn:
    """The linear predictor as the derived column ``lp``."""
    return DerivedColumn(
        name="lp",
        kind="continuous",
        ids=[str(i) for i in lp.index],
        values=[None if np.isnan(v) else float(v) for v in lp],
        label=f"{title}: Cox linear predictor (log relative hazard)",
    )
