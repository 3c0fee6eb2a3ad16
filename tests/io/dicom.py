"""Write a 3-D image as a DICOM series folder (one CT slice per file), for the DICOM tests."""

from __future__ import annotations

from pathlib import Path

import SimpleITK as sitk  # noqa: N813 - the conventional alias

STUDY_UID = "1.2.826.0.1.3680043.2.1125.1"


def write_dicom_series(image: sitk.Image, folder: Path, series: str = "2") -> list[Path]:
    """Write ``image`` (int16) as one DICOM file per slice into ``folder``; return the files
    in slice order. The slices carry their position and orientation, so GDCM rebuilds the
    image's grid."""
    folder.mkdir(parents=True, exist_ok=True)
    d = image.GetDirection()
    orientation = "\\".join(f"{v:.6f}" for v in (d[0], d[3], d[6], d[1], d[4], d[7]))
    sx, sy, _ = image.GetSpacing()
    writer = sitk.ImageFileWriter()
    writer.KeepOriginalImageUIDOn()
    files: list[Path] = []
    for z in range(image.GetSize()[2]):
        piece = sitk.Cast(image[:, :, z], sitk.sitkInt16)
        position = image.TransformIndexToPhysicalPoint((0, 0, z))
        for tag, value in (
            ("0008|0060", "CT"),
            ("0020|000d", STUDY_UID),
            ("0020|000e", f"{STUDY_UID}.{series}"),
            ("0020|0032", "\\".join(f"{v:.6f}" for v in position)),
            ("0020|0037", orientation),
            ("0020|0013", str(z + 1)),
            ("0028|0030", f"{sy}\\{sx}"),
        ):
            piece.SetMetaData(tag, value)
        path = folder / f"slice{z:03d}.dcm"
        writer.SetFileName(str(path))
        writer.Execute(piece)
        files.append(path)
    return files
