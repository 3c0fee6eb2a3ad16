"""Read a DICOM series folder with SimpleITK's GDCM series reader, or only its geometry from
the slices' headers."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from remarkit.errors import InputError
from remarkit.io._geometry import Geometry

if TYPE_CHECKING:
    import SimpleITK as sitk  # noqa: N813 - the conventional alias


def dicom_series_files(folder: Path) -> list[str]:
    """The slice files of the single DICOM series in ``folder``, in GDCM's spatial order.

    Raises :class:`InputError` when the folder holds no series or more than one.
    """
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    reader = sitk.ImageSeriesReader()
    series = list(reader.GetGDCMSeriesIDs(str(folder)))
    if not series:
        raise InputError("no DICOM series in this folder", file=str(folder))
    if len(series) > 1:
        raise InputError(
            f"the folder holds {len(series)} DICOM series; put one series per folder",
            file=str(folder),
        )
    files = list(reader.GetGDCMSeriesFileNames(str(folder), series[0]))
    if not files:
        raise InputError("the DICOM series has no readable slices", file=str(folder))
    return files


def read_dicom_series(folder: Path) -> sitk.Image:
    """Read the single DICOM series in ``folder`` as one 3-D image (rescale slope/intercept applied)."""
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    files = dicom_series_files(folder)
    reader = sitk.ImageSeriesReader()
    reader.SetFileNames(files)
    try:
        return reader.Execute()
    except RuntimeError as exc:
        raise InputError(
            f"cannot read the DICOM series: {_first_line(exc)}", file=str(folder)
        ) from exc


#: Largest distance of a slice from its evenly spaced position, as a share of the slice spacing.
UNEVEN_SLICES = 0.01


def read_dicom_geometry(folder: Path) -> Geometry:
    """The voxel grid of the DICOM series in ``folder`` from its slices' headers (no voxels).

    As SimpleITK's series reader: in-plane size, spacing and direction of the first slice in
    spatial order, its origin, and the slice spacing as the first-to-last distance over the
    number of gaps. Slices of another size, or not evenly spaced (a slice missing or unreadable:
    GDCM leaves unreadable files out of the series), are an :class:`InputError`.
    """
    files = [Path(f) for f in dicom_series_files(folder)]
    headers = [_slice_header(f) for f in files]
    first = headers[0]
    if len(headers) == 1:
        return first
    for path, header in zip(files, headers, strict=True):
        if header.size != (*first.size[:2], 1):
            raise InputError(
                f"DICOM series: slice {path.name} is {header.size}, the first slice "
                f"({files[0].name}) is {first.size}",
                file=str(folder),
            )
    gaps = len(headers) - 1
    step = [(b - a) / gaps for a, b in zip(first.origin, headers[-1].origin, strict=True)]
    spacing = math.sqrt(sum(v * v for v in step))
    for k, (path, header) in enumerate(zip(files, headers, strict=True)):
        expected = [a + k * d for a, d in zip(first.origin, step, strict=True)]
        off = math.dist(expected, header.origin)
        if off > UNEVEN_SLICES * spacing:
            raise InputError(
                f"DICOM series: slices are not evenly spaced ({path.name} is {off:.3g} mm from "
                f"its place at {spacing:.6g} mm steps; a slice missing or unreadable?)",
                file=str(folder),
            )
    return Geometry(
        (first.size[0], first.size[1], len(headers)),
        (first.spacing[0], first.spacing[1], spacing if spacing > 0 else 1.0),
        first.origin,
        first.direction,
    )


def _slice_header(path: Path) -> Geometry:
    """One slice's grid from its header (ImageFileReader.ReadImageInformation: no voxels)."""
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    reader = sitk.ImageFileReader()
    reader.SetFileName(str(path))
    try:
        reader.ReadImageInformation()
    except RuntimeError as exc:
        raise InputError(
            f"cannot read the DICOM slice: {_first_line(exc)}", file=str(path)
        ) from exc
    if reader.GetDimension() != 3:
        raise InputError(f"a DICOM slice of {reader.GetDimension()} dimensions", file=str(path))
    return Geometry(
        tuple(int(v) for v in reader.GetSize()),
        tuple(float(v) for v in reader.GetSpacing()),
        tuple(float(v) for v in reader.GetOrigin()),
        tuple(float(v) for v in reader.GetDirection()),
    )


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    # SimpleITK puts the useful description on the last non-empty line.
    return lines[-1] if lines else type(exc).__name__
