"""Read a DICOM series folder with SimpleITK's GDCM series reader."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from remarkit.errors import InputError

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


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    # SimpleITK puts the useful description on the last non-empty line.
    return lines[-1] if lines else type(exc).__name__
