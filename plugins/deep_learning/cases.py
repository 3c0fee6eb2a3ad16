"""Per-case work, run through the engine's executor: load, check and prepare one patient's slice.

``prepare_case`` is a picklable top-level function that uses SimpleITK and numpy only (never
torch, so it is safe in processes forked after torch started its threads). A case's problems are
returned, not raised, so that every problem of every case can be reported together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit import InputError, InputErrors
from remarkit.io.images import ImageManifest, check_pair, load_image
from remarkit.plugins.deep_learning.slices import PreparedSlice, SliceSettings, prepare_slice

ORIENTATION = "LPS"


@dataclass(frozen=True)
class CaseTask:
    """Files and settings of one patient's case in one phase."""

    patient: str
    phase: str
    image: Path
    mask: Path
    liver_mask: Path | None
    settings: SliceSettings
    tolerance: float


@dataclass(frozen=True)
class CaseOutcome:
    """A prepared slice, or the case's problems as (message, file) pairs."""

    patient: str
    prepared: PreparedSlice | None
    problems: tuple[tuple[str, str], ...] = ()


def _load(path: Path, kind: str) -> tuple[sitk.Image | None, tuple[str, str] | None]:
    try:
        return load_image(path), None
    except InputError as exc:
        return None, (f"{kind}: {exc.message}", str(path))


def prepare_case(task: CaseTask) -> CaseOutcome:
    """Load the image and both masks, check them, reorient them to LPS and prepare the slice."""
    if task.liver_mask is None:
        return CaseOutcome(
            task.patient, None, (("no liver mask in the manifest", str(task.image)),)
        )
    image, image_problem = _load(task.image, "image")
    tumour, tumour_problem = _load(task.mask, "tumour mask")
    liver, liver_problem = _load(task.liver_mask, "liver mask")
    problems = [p for p in (image_problem, tumour_problem, liver_problem) if p is not None]
    if image is None or tumour is None or liver is None:
        return CaseOutcome(task.patient, None, tuple(problems))
    for kind, mask, path, label in (
        ("tumour mask", tumour, task.mask, task.settings.label),
        ("liver mask", liver, task.liver_mask, task.settings.liver_label),
    ):
        found = check_pair(image, mask, label=label, tolerance=task.tolerance)
        problems.extend((f"{kind}: {p}", str(path)) for p in found)
    if problems:
        return CaseOutcome(task.patient, None, tuple(problems))
    image, tumour, liver = (sitk.DICOMOrient(x, ORIENTATION) for x in (image, tumour, liver))
    try:
        sx, sy, sz = image.GetSpacing()  # a 3-D image: three spacings
        prepared = prepare_slice(
            sitk.GetArrayFromImage(image).astype(np.float64),
            sitk.GetArrayFromImage(tumour),
            sitk.GetArrayFromImage(liver),
            (float(sx), float(sy), float(sz)),
            task.settings,
        )
    except ValueError as exc:
        return CaseOutcome(task.patient, None, ((str(exc), str(task.image)),))
    return CaseOutcome(task.patient, prepared)


def case_tasks(
    manifest: ImageManifest,
    patients: Sequence[str],
    phase: str,
    settings: SliceSettings,
    tolerance: float,
) -> list[CaseTask]:
    """One task per patient; raise InputErrors naming every patient without a row for ``phase``."""
    records = manifest.for_phase(phase)
    absent = [p for p in patients if p not in records]
    if absent:
        shown = ", ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")
        raise InputErrors(
            [
                InputError(
                    f"{len(absent)} patient(s) have no '{phase}' row in the image manifest "
                    f"({shown}); phases present: {', '.join(manifest.phases())}",
                    file=str(manifest.path),
                )
            ]
        )
    return [
        CaseTask(
            patient=p,
            phase=phase,
            image=records[p].image,
            mask=records[p].mask,
            liver_mask=records[p].liver_mask,
            settings=settings,
            tolerance=tolerance,
        )
        for p in patients
    ]


def collect(outcomes: Sequence[CaseOutcome], phase: str) -> dict[str, PreparedSlice]:
    """Prepared slices by patient; raise InputErrors naming every problem (patient, phase, file)."""
    errors = [
        InputError(f"patient '{o.patient}', phase '{phase}': {message}", file=file)
        for o in outcomes
        for message, file in o.problems
    ]
    if errors:
        raise InputErrors(errors)
    return {o.patient: o.prepared for o in outcomes if o.prepared is not None}
