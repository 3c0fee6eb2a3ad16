"""Check every image and mask of a manifest from its header (no voxels read): readable, 3-D,
and each mask on its image's voxel grid. `remarkit validate` and `run` call this before any unit.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from remarkit.errors import InputError
from remarkit.io._geometry import geometry_problems
from remarkit.io.images import ImageManifest, ImageRecord, ManifestColumns, read_geometry


def check_image_headers(
    manifest: ImageManifest,
    *,
    columns: ManifestColumns,
    patients: Collection[str] | None = None,
    tolerance: float = 1e-3,
) -> list[InputError]:
    """Every unreadable image or mask and every mask/image geometry difference beyond
    ``tolerance``, one InputError each naming the manifest row, the column, the patient, the
    phase and the image file. ``patients``: check only these patients' rows (default: all).

    Mask contents (label present, mask not empty) need the voxels: the image units check them.
    """
    errors: list[InputError] = []
    for record in manifest.records:
        if patients is not None and record.patient not in patients:
            continue
        errors.extend(_record_problems(manifest.path, record, columns, tolerance))
    return errors


def _record_problems(
    manifest: Path, record: ImageRecord, columns: ManifestColumns, tolerance: float
) -> list[InputError]:
    where = f"patient '{record.patient}', phase '{record.phase}'"

    def problem(column: str, path: Path, message: str) -> InputError:
        return InputError(
            f"{where}: {path}: {message}", file=str(manifest), row=record.row, column=column
        )

    try:
        image = read_geometry(record.image)
    except InputError as exc:
        return [problem(columns.image, record.image, exc.message)]
    errors: list[InputError] = []
    masks = [(columns.mask, record.mask)]
    if record.liver_mask is not None:
        masks.append((columns.liver_mask, record.liver_mask))
    for column, path in masks:
        try:
            mask = read_geometry(path)
        except InputError as exc:
            errors.append(problem(column, path, exc.message))
            continue
        found = geometry_problems(image, mask, tolerance=tolerance)
        errors.extend(problem(column, path, text) for text in found)
    return errors
