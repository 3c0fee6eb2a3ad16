"""Second tumour segmentations for the synthetic cohort: another reader's contour, one voxel off.

Two readers' contours of one tumour typically differ by about a voxel along the border. The
second segmentation of a mask is the mask eroded or dilated by one voxel (a 3-D ball of radius 1,
SimpleITK ``BinaryErode`` / ``BinaryDilate``); which of the two is drawn from ``seed``, so the
same seed always writes the same file. An erosion that would leave fewer than
``MIN_ERODED_VOXELS`` tumour voxels is a dilation instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.errors import InputError

#: An erosion leaving fewer tumour voxels than this is replaced by a dilation.
MIN_ERODED_VOXELS = 8

Change = Literal["eroded", "dilated"]


def second_segmentation(mask: sitk.Image, change: Change, *, label: int = 1) -> sitk.Image:
    """``mask``'s voxels of ``label`` eroded or dilated by one voxel, as a 0/``label`` image on
    the same grid and of the same pixel type."""
    binary = sitk.Cast(sitk.Equal(mask, label), sitk.sitkUInt8)
    if change == "eroded":
        moved = sitk.BinaryErode(binary, (1, 1, 1), sitk.sitkBall, 0, 1)
    else:
        moved = sitk.BinaryDilate(binary, (1, 1, 1), sitk.sitkBall, 0, 1)
    out = sitk.Cast(moved * label, mask.GetPixelID())
    out.CopyInformation(mask)
    return out


def write_second_mask(
    mask_path: Path, target: Path, *, seed: int | list[int], label: int = 1
) -> Change:
    """Write ``mask_path``'s second segmentation to ``target``; return how it was changed.

    ``seed`` (an int or a list of ints, e.g. ``[study_seed, patient_number]``) decides between
    erosion and dilation, with equal chance.
    """
    if not mask_path.is_file():
        raise InputError("file not found", file=str(mask_path))
    mask = sitk.ReadImage(str(mask_path))
    change: Change = "eroded" if np.random.default_rng(seed).random() < 0.5 else "dilated"
    second = second_segmentation(mask, change, label=label)
    if change == "eroded":
        kept = int(np.count_nonzero(sitk.GetArrayViewFromImage(second) == label))
        if kept < MIN_ERODED_VOXELS:
            change = "dilated"
            second = second_segmentation(mask, change, label=label)
    target.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(second, str(target), useCompression=True)
    return change


def add_second_masks(
    manifest_path: Path,
    *,
    patients: list[str],
    seed: int,
    column: str = "mask2",
    mask_column: str = "mask",
    patient_column: str = "patient",
    label: int = 1,
) -> dict[str, Change]:
    """Give ``patients`` a second segmentation of every manifest row and add ``column``.

    Files are written beside the first masks as ``<mask stem>_second.nii.gz``; other patients'
    cells of ``column`` are left empty. Rows sharing one mask file share its second mask.
    Returns patient -> how the (last written) second mask was changed.
    """
    table = pd.read_csv(manifest_path, dtype=str, keep_default_na=False)
    folder = manifest_path.parent
    wanted = set(patients)
    written: dict[str, str] = {}
    changes: dict[str, Change] = {}
    cells: list[str] = []
    for number, values in enumerate(table.to_dict("records")):
        patient, mask = str(values[patient_column]), str(values[mask_column])
        if patient not in wanted:
            cells.append("")
            continue
        if mask not in written:
            name = mask.removesuffix(".gz").removesuffix(".nii") + "_second.nii.gz"
            changes[patient] = write_second_mask(
                folder / mask, folder / name, seed=[seed, number], label=label
            )
            written[mask] = name
        cells.append(written[mask])
    table[column] = cells
    table.to_csv(manifest_path, index=False, lineterminator="\n")
    return changes
