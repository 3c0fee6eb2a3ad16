"""CT images and masks of a study: the image manifest, reading, and checks of each image/mask pair.

The public API (used by the radiomics and deep-learning units):

- :func:`read_manifest` ``(path, *, base_dir=None, columns=ManifestColumns()) -> ImageManifest`` reads
  the manifest table (CSV, TSV or Parquet): one row per patient and phase with the CT image, the
  tumour mask and, optionally, a liver mask and a second tumour segmentation (another contour of
  the tumour; an empty cell means none for that row). Relative file paths are resolved against ``base_dir``
  (default: the manifest's folder). Structural problems (absent column, empty cell, duplicate
  patient/phase row) raise :class:`~remarkit.errors.InputErrors`.
- :class:`ImageManifest` ``.records`` (tuple of :class:`ImageRecord`: ``patient``, ``phase``,
  ``image``, ``mask``, ``liver_mask``, ``second_mask`` (``Path | None``), ``row`` (spreadsheet
  row)), ``.phases()``,
  ``.get(patient, phase)``, ``.for_phase(phase) -> dict[patient, ImageRecord]``, ``.frame()``.
- :func:`load_image` ``(path) -> SimpleITK.Image``: NIfTI (``.nii``/``.nii.gz``), NRRD, MHA/MHD, or
  a folder holding one DICOM series. 3-D scalar images only; raises :class:`InputError` naming the
  file when it is missing, unreadable, not 3-D or not scalar.
- :func:`read_geometry` ``(path) -> Geometry`` reads size, spacing, origin and direction from the
  header only (whole series for DICOM).
- :func:`check_pair` ``(image, mask, *, label=1, tolerance=1e-3) -> list[str]``: problems of one
  image/mask pair (size, spacing, origin, direction beyond ``tolerance``; label absent; empty mask).
  ``tolerance`` is absolute: millimetres for spacing and origin, unitless for direction cosines.
- :func:`validate_images` ``(manifest, *, patients, phases, label=1, tolerance=1e-3,
  liver_label=1, need_liver=False) -> list[InputError]``: every problem of the manifest for the
  given patients and phases, each named by patient, phase and file.
- :func:`second_mask_errors` ``(manifest, *, patients=None, label=1, tolerance=1e-3)
  -> list[InputError]``: every problem of the second tumour masks (geometry unlike the image's,
  label absent), each naming the manifest row, patient, phase and file.
- :func:`image_sha256` ``(path, *, memo_dir=None) -> str``: content hash of an image file or
  DICOM series folder; :func:`manifest_sha256` one hash over every file of a manifest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from remarkit.errors import InputError, InputErrors
from remarkit.io._dicom import read_dicom_geometry, read_dicom_series
from remarkit.io._geometry import Geometry, geometry_problems, label_problems
from remarkit.io._hashing import image_sha256
from remarkit.io.table import read_table

if TYPE_CHECKING:
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

IMAGE_SUFFIXES = (".nii", ".nii.gz", ".nrrd", ".nhdr", ".mha", ".mhd")


@dataclass(frozen=True)
class ManifestColumns:
    """Names of the manifest's columns."""

    patient: str = "patient"
    phase: str = "phase"
    image: str = "image"
    mask: str = "mask"
    liver_mask: str = "liver_mask"
    second_mask: str = "mask2"


@dataclass(frozen=True)
class ImageRecord:
    """One manifest row: a patient's image, tumour mask, optional liver mask and optional second
    tumour segmentation for one phase."""

    patient: str
    phase: str
    image: Path
    mask: Path
    liver_mask: Path | None
    row: int
    second_mask: Path | None = None


@dataclass(frozen=True)
class ImageManifest:
    """The parsed image manifest."""

    path: Path
    records: tuple[ImageRecord, ...]

    def phases(self) -> list[str]:
        """Phases present, in order of first appearance."""
        return list(dict.fromkeys(r.phase for r in self.records))

    def get(self, patient: str, phase: str) -> ImageRecord | None:
        """The record of one patient and phase, or None."""
        for record in self.records:
            if record.patient == patient and record.phase == phase:
                return record
        return None

    def for_phase(self, phase: str) -> dict[str, ImageRecord]:
        """Records of one phase keyed by patient id."""
        return {r.patient: r for r in self.records if r.phase == phase}

    def frame(self) -> pd.DataFrame:
        """The manifest as a DataFrame (one row per record)."""
        return pd.DataFrame(
            {
                "patient": [r.patient for r in self.records],
                "phase": [r.phase for r in self.records],
                "image": [str(r.image) for r in self.records],
                "mask": [str(r.mask) for r in self.records],
                "liver_mask": [
                    None if r.liver_mask is None else str(r.liver_mask) for r in self.records
                ],
                "second_mask": [
                    None if r.second_mask is None else str(r.second_mask) for r in self.records
                ],
            }
        )


def read_manifest(
    path: Path, *, base_dir: Path | None = None, columns: ManifestColumns | None = None
) -> ImageManifest:
    """Read the image manifest; raise :class:`InputErrors` listing every structural problem."""
    cols = columns or ManifestColumns()
    try:
        table = read_table(path)
    except InputError as exc:
        raise InputErrors([exc]) from exc
    base = (base_dir if base_dir is not None else path.parent).resolve()
    file = str(path)
    errors: list[InputError] = []
    required = [cols.patient, cols.phase, cols.image, cols.mask]
    absent = [c for c in required if c not in table.columns]
    if absent:
        raise InputErrors(
            [InputError(f"column '{c}' is not in the image manifest", file=file) for c in absent]
        )
    has_liver = cols.liver_mask in table.columns
    has_second = cols.second_mask in table.columns
    records: list[ImageRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(table.itertuples(index=False)):
        values = dict(zip(table.columns, row, strict=True))
        sheet_row = i + 2
        blank = [c for c in required if not _text(values[c])]
        for c in blank:
            errors.append(InputError("empty cell", file=file, row=sheet_row, column=c))
        if blank:
            continue
        key = (_text(values[cols.patient]), _text(values[cols.phase]))
        if key in seen:
            errors.append(
                InputError(
                    f"patient '{key[0]}', phase '{key[1]}' is also in row {seen[key]}",
                    file=file,
                    row=sheet_row,
                )
            )
            continue
        seen[key] = sheet_row
        liver = _text(values[cols.liver_mask]) if has_liver else ""
        second = _text(values[cols.second_mask]) if has_second else ""
        records.append(
            ImageRecord(
                patient=key[0],
                phase=key[1],
                image=_resolve(base, _text(values[cols.image])),
                mask=_resolve(base, _text(values[cols.mask])),
                liver_mask=_resolve(base, liver) if liver else None,
                row=sheet_row,
                second_mask=_resolve(base, second) if second else None,
            )
        )
    if errors:
        raise InputErrors(errors)
    if not records:
        raise InputErrors([InputError("the image manifest has no rows", file=file)])
    return ImageManifest(path=path, records=tuple(records))


def load_image(path: Path) -> sitk.Image:
    """Read a 3-D scalar image (NIfTI, NRRD, MHA/MHD, or a DICOM series folder)."""
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    if path.is_dir():
        image = read_dicom_series(path)
    elif not path.is_file():
        raise InputError("file not found", file=str(path))
    else:
        try:
            image = sitk.ReadImage(str(path))
        except RuntimeError as exc:
            raise InputError(f"cannot read the image: {_first_line(exc)}", file=str(path)) from exc
    _check_scalar_3d(image, path)
    return image


def read_geometry(path: Path) -> Geometry:
    """Size, spacing, origin and direction of an image, from its header when possible."""
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    if path.is_dir():
        return read_dicom_geometry(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    reader = sitk.ImageFileReader()
    reader.SetFileName(str(path))
    try:
        reader.ReadImageInformation()
    except RuntimeError as exc:
        raise InputError(f"cannot read the image: {_first_line(exc)}", file=str(path)) from exc
    if reader.GetDimension() != 3:
        raise InputError(
            f"a 3-D image is needed, this one is {reader.GetDimension()}-D", file=str(path)
        )
    return Geometry(
        tuple(int(v) for v in reader.GetSize()),
        tuple(float(v) for v in reader.GetSpacing()),
        tuple(float(v) for v in reader.GetOrigin()),
        tuple(float(v) for v in reader.GetDirection()),
    )


def check_pair(
    image: sitk.Image, mask: sitk.Image, *, label: int = 1, tolerance: float = 1e-3
) -> list[str]:
    """Problems of an image/mask pair: geometry beyond ``tolerance``, label absent, empty mask."""
    return geometry_problems(Geometry.of(image), Geometry.of(mask), tolerance=tolerance) + (
        label_problems(mask, label=label)
    )


def validate_images(
    manifest: ImageManifest,
    *,
    patients: Sequence[str],
    phases: Sequence[str],
    label: int = 1,
    tolerance: float = 1e-3,
    liver_label: int = 1,
    need_liver: bool = False,
) -> list[InputError]:
    """Every problem of the manifest for ``patients`` x ``phases``, named by patient, phase and file."""
    errors: list[InputError] = []
    for phase in phases:
        records = manifest.for_phase(phase)
        for patient in patients:
            record = records.get(patient)
            if record is None:
                errors.append(
                    InputError(
                        f"patient '{patient}' has no '{phase}' row in the image manifest",
                        file=str(manifest.path),
                    )
                )
                continue
            errors.extend(_record_errors(record, label, tolerance, liver_label, need_liver))
    return errors


def manifest_sha256(manifest: ImageManifest, *, memo_dir: Path | None = None) -> tuple[int, str]:
    """Number of distinct image files in the manifest and one sha256 over all of them.

    The digest covers each file's path (as written relative to the manifest's folder when it
    is inside it) and content hash, in sorted order; it changes when any image or mask changes.
    ``memo_dir``: see :func:`image_sha256`.
    """
    files = sorted(
        {
            p
            for r in manifest.records
            for p in (r.image, r.mask, r.liver_mask, r.second_mask)
            if p is not None
        }
    )
    base = manifest.path.resolve().parent
    digest = hashlib.sha256()
    for path in files:
        try:
            shown = path.resolve().relative_to(base).as_posix()
        except ValueError:
            shown = path.as_posix()
        digest.update(f"{shown}\0{image_sha256(path, memo_dir=memo_dir)}\n".encode())
    return len(files), digest.hexdigest()


def _record_errors(
    record: ImageRecord, label: int, tolerance: float, liver_label: int, need_liver: bool
) -> list[InputError]:
    where = f"patient '{record.patient}', phase '{record.phase}'"
    try:
        image_geo = read_geometry(record.image)
    except InputError as exc:
        return [InputError(f"{where}: image: {exc.message}", file=str(record.image))]
    masks: list[tuple[str, Path, int]] = [("tumour mask", record.mask, label)]
    if record.liver_mask is not None:
        masks.append(("liver mask", record.liver_mask, liver_label))
    elif need_liver:
        return [InputError(f"{where}: no liver mask in the manifest", file=str(record.image))]
    errors = _mask_errors(where, image_geo, masks, tolerance)
    if record.second_mask is not None:
        errors += _second_mask_errors(record, image_geo, label, tolerance)
    return errors


def _mask_errors(
    where: str, image_geo: Geometry, masks: list[tuple[str, Path, int]], tolerance: float
) -> list[InputError]:
    errors: list[InputError] = []
    for kind, path, value in masks:
        try:
            mask = load_image(path)
        except InputError as exc:
            errors.append(InputError(f"{where}: {kind}: {exc.message}", file=str(path)))
            continue
        problems = geometry_problems(image_geo, Geometry.of(mask), tolerance=tolerance)
        problems += label_problems(mask, label=value)
        errors.extend(InputError(f"{where}: {kind}: {p}", file=str(path)) for p in problems)
    return errors


def second_mask_where(record: ImageRecord) -> str:
    """How an error about a record's second tumour mask names it: manifest row, patient, phase."""
    return f"image manifest row {record.row}, patient '{record.patient}', phase '{record.phase}'"


def _second_mask_errors(
    record: ImageRecord, image_geo: Geometry, label: int, tolerance: float
) -> list[InputError]:
    if record.second_mask is None:
        return []
    masks = [("second tumour mask", record.second_mask, label)]
    return _mask_errors(second_mask_where(record), image_geo, masks, tolerance)


def second_mask_errors(
    manifest: ImageManifest,
    *,
    patients: Sequence[str] | None = None,
    label: int = 1,
    tolerance: float = 1e-3,
) -> list[InputError]:
    """Problems of every second tumour mask (of ``patients``, default all): its geometry unlike
    its image's beyond ``tolerance``, no voxel of ``label``, or an unreadable file."""
    wanted = None if patients is None else set(patients)
    errors: list[InputError] = []
    for record in manifest.records:
        if record.second_mask is None or (wanted is not None and record.patient not in wanted):
            continue
        try:
            image_geo = read_geometry(record.image)
        except InputError as exc:
            where = second_mask_where(record)
            errors.append(InputError(f"{where}: image: {exc.message}", file=str(record.image)))
            continue
        errors += _second_mask_errors(record, image_geo, label, tolerance)
    return errors


def _check_scalar_3d(image: sitk.Image, path: Path) -> None:
    if image.GetDimension() != 3:
        raise InputError(
            f"a 3-D image is needed, this one is {image.GetDimension()}-D", file=str(path)
        )
    if image.GetNumberOfComponentsPerPixel() != 1:
        raise InputError(
            f"a scalar image is needed, this one has {image.GetNumberOfComponentsPerPixel()} "
            "components per voxel",
            file=str(path),
        )


def _resolve(base: Path, text: str) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value).strip()


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__
