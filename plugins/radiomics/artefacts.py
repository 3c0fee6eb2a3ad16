"""Feature tables (Parquet), the extraction settings and the fitted model saved with a result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from remarkit import UnitContext
from remarkit.plugins.radiomics.settings import (
    EXTRACTION_VERSION,
    ExtractionSettings,
    pyradiomics_version,
)

if TYPE_CHECKING:
    from remarkit.plugins.radiomics.cases import CaseOutcome
    from remarkit.plugins.radiomics.model import FittedModel

#: What ``remarkit apply`` re-extracts a new cohort with: the parameter file copied byte for byte
#: and the record of how it was read (label, tolerance, pyradiomics version, settings digest).
EXTRACTION_FILE = "extraction.json"
PARAMETER_FILE = "pyradiomics_parameters"


def feature_frame(outcomes: list[CaseOutcome]) -> pd.DataFrame:
    """Patients with features x features (pyradiomics' order; NaN where a case lacks one)."""
    rows = {o.patient: o.features for o in outcomes if o.features is not None}
    names: dict[str, None] = {}
    for features in rows.values():
        names.update(dict.fromkeys(features))
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(names), dtype=float)
    frame.index = pd.Index([str(p) for p in frame.index], name="patient")
    return frame


def save_artefacts(
    ctx: UnitContext,
    features: pd.DataFrame,
    split: pd.Series,
    model: FittedModel,
    config: dict[str, Any],
) -> dict[str, str]:
    """Write the feature tables and the model; return name -> path relative to the output."""
    table = features.copy()
    table.insert(0, "split", [str(split[p]) for p in table.index])
    all_path = ctx.artifact_path("features.parquet")
    table.reset_index().to_parquet(all_path, index=False)
    selected_path = ctx.artifact_path("selected_features.parquet")
    table[["split", *model.features]].reset_index().to_parquet(selected_path, index=False)
    booster_path = ctx.artifact_path("xgboost_model.json")
    model.booster.save_model(str(booster_path))
    spec_path = ctx.artifact_path("model.json")
    spec = {
        "features": model.features,
        "training_medians": model.medians,
        "xgboost": config,
        "booster": booster_path.name,
        "score": "probability of the positive outcome (XGBoost predict_proba)",
    }
    spec_path.write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return {
        "features": ctx.relpath(all_path),
        "selected_features": ctx.relpath(selected_path),
        "model": ctx.relpath(spec_path),
        "booster": ctx.relpath(booster_path),
    }


def save_extraction(ctx: UnitContext, path: Path, settings: ExtractionSettings) -> dict[str, str]:
    """Copy the parameter file ``path`` and record the settings it gave; name -> relative path.

    The copy keeps the file's suffix: pyradiomics reads a parameter file as YAML or JSON by it.
    """
    copy = ctx.artifact_path(PARAMETER_FILE + path.suffix)
    shutil.copyfile(path, copy)
    record = {
        "parameter_file": copy.name,
        "parameter_file_sha256": settings.file_sha256,
        "label": settings.label,
        "tolerance": settings.tolerance,
        "pyradiomics_version": pyradiomics_version(),
        "extraction_version": EXTRACTION_VERSION,
        "settings_digest": settings.digest(),
        "settings": json.loads(settings.canonical()),
    }
    target = ctx.artifact_path(EXTRACTION_FILE)
    target.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return {"parameter_file": ctx.relpath(copy), "extraction": ctx.relpath(target)}
