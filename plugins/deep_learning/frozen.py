"""A fitted deep_score applied to a new cohort (``remarkit apply``): nothing is refitted.

The training run's unit folder holds the kept network's saved model folder (weights and
preprocessing settings, see :mod:`~remarkit.plugins.deep_learning.artefacts`); every new patient's
slice is prepared with the saved settings and scored with the saved weights. torch is imported
on first use only, so loading the plugin stays light.
"""

from __future__ import annotations

from pathlib import Path

from remarkit import AppliedResult, DerivedColumn, Fitted, InputError, InputErrors, UnitContext
from remarkit.io.images import ImageManifest, ManifestColumns, read_manifest
from remarkit.plugins.deep_learning.params import (
    ARCHITECTURE_LABELS,
    DeepScoreParams,
    DeepScoreResult,
)

SETTINGS_NAME = "preprocessing.json"  # artefacts.SETTINGS_FILE (that module imports torch)
WEIGHTS_NAME = "model.safetensors"  # artefacts.WEIGHTS_FILE


def score_column(phase: str, patients: list[str], values: list[float | None]) -> DerivedColumn:
    """The unit's patient-level output ``score`` (the same under ``run`` and ``apply``)."""
    return DerivedColumn(
        name="score",
        kind="continuous",
        ids=patients,
        values=list(values),
        label=f"{phase.capitalize()}-phase deep-learning score",
    )


def study_manifest(ctx: UnitContext) -> ImageManifest:
    """The study's image manifest, read with the column names of its ``[images]`` section."""
    study = ctx.study
    images = study.images
    if images is None:
        raise InputError("deep_score needs the [images] section", field="images")
    return read_manifest(
        study.resolve(images.manifest),
        columns=ManifestColumns(
            patient=images.patient_column,
            phase=images.phase_column,
            image=images.image_column,
            mask=images.mask_column,
            liver_mask=images.liver_column,
        ),
    )


def model_folder(fitted: Fitted[DeepScoreResult]) -> tuple[Path, str]:
    """The saved model folder (verified by the engine) and the weights' sha256.

    Every artefact of the training result must be a saved file with the sha256 it records.
    """
    found: dict[str, Path] = {}
    weights_sha = ""
    for artefact in fitted.result.artefacts:
        what = f"model file '{artefact.name}'"
        found[artefact.name] = fitted.file(artefact.path, sha256=artefact.sha256, what=what)
        if artefact.name == WEIGHTS_NAME:
            weights_sha = artefact.sha256
    if SETTINGS_NAME not in found or not weights_sha:
        raise InputError(
            f"the training result lists no saved model ({SETTINGS_NAME} and {WEIGHTS_NAME})",
            file=str(fitted.folder),
        )
    return found[SETTINGS_NAME].parent, weights_sha


def apply_fitted(
    ctx: UnitContext,
    params: DeepScoreParams,
    state: Fitted[DeepScoreResult],
    *,
    unit: str,
) -> AppliedResult:
    """Prepare the new cohort's slices with the saved settings and score them with the saved
    weights (``artefacts.score_cohort``); every patient is scored or an InputError raised."""
    folder, weights_sha = model_folder(state)
    fitted = state.result
    from remarkit.plugins.deep_learning.artefacts import score_cohort  # imports torch
    from remarkit.plugins.deep_learning.pipeline import TORCH_VERSION

    patients = [str(p) for p in ctx.cohort.data.index]
    try:
        manifest = study_manifest(ctx)
        scores = score_cohort(folder, manifest, patients, phase=params.phase, executor=ctx.executor)
    except InputErrors as exc:
        raise exc.as_one() from exc
    notes: list[str] = []
    if fitted.torch_version != TORCH_VERSION:
        notes.append(
            f"the model was trained with PyTorch {fitted.torch_version} and applied with "
            f"{TORCH_VERSION}; scores may differ in the last digits"
        )
    architecture = ARCHITECTURE_LABELS[fitted.selected]
    return AppliedResult(
        unit=unit,
        n=len(patients),
        scored=len(scores),
        unscored=[p for p in patients if p not in scores],
        frozen={
            "architecture": fitted.selected,
            "weights sha256": weights_sha,
            "input size (pixels)": params.size,
            "training patients": fitted.n_train,
        },
        summary=(
            f"{params.phase.capitalize()}-phase deep-learning score: the saved {architecture} "
            f"weights ({WEIGHTS_NAME}, sha256 {weights_sha[:12]}) applied to slices prepared "
            f"with the saved preprocessing settings"
        ),
        columns=[score_column(params.phase, patients, [scores.get(p) for p in patients])],
        warnings=notes,
    )
