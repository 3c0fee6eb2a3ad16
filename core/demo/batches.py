"""Scanner batches for synthetic imaging cohorts: a batch column and a scanner-specific image shift.

A second scanner is simulated by rewriting its patients' CT volumes (every phase; masks are left
alone): an intensity calibration gain and offset (``hu * gain + offset``) and optionally a softer
reconstruction kernel (Gaussian smoothing). First-order features then shift by batch, texture
features change with the smoothing, and ComBat (``harmonize_batch``) has something to remove.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import SimpleITK as sitk  # noqa: N813 - the conventional alias
from scipy import ndimage


@dataclass(frozen=True)
class ScannerShift:
    """How a scanner's images differ from the reference scanner's."""

    gain: float = 1.12
    offset_hu: float = 25.0
    smoothing_mm: float = 0.0


def assign_scanners(
    ids: Sequence[str], *, seed: int, levels: Sequence[str] = ("A", "B"), share: float = 0.5
) -> pd.Series:
    """A scanner per patient, independent of everything else: ``share`` of the patients (rounded)
    on the second level, the others on the first; seeded, so the same ids give the same column."""
    if len(levels) != 2 or not 0 < share < 1:
        raise ValueError("two scanner levels and a share strictly between 0 and 1")
    order = np.random.default_rng([seed, 4241]).permutation(len(ids))
    second = set(order[: round(share * len(ids))].tolist())
    values = [levels[1] if i in second else levels[0] for i in range(len(ids))]
    return pd.Series(values, index=pd.Index([str(i) for i in ids]), name="scanner")


def shift_images(manifest: Path, patients: Iterable[str], shift: ScannerShift) -> int:
    """Rewrite in place the images (column ``image``) of ``patients`` in the image ``manifest``
    (paths relative to its folder) with ``shift``; return how many files were rewritten."""
    wanted = {str(p) for p in patients}
    table = pd.read_csv(manifest, dtype=str)
    rewritten = 0
    for _, row in table[table["patient"].isin(wanted)].iterrows():
        path = manifest.parent / str(row["image"])
        image = sitk.ReadImage(str(path))
        hu = sitk.GetArrayFromImage(image).astype(float)
        if shift.smoothing_mm > 0:
            spacing = np.array(image.GetSpacing()[::-1], dtype=float)  # z, y, x
            hu = ndimage.gaussian_filter(hu, sigma=shift.smoothing_mm / spacing)
        hu = hu * shift.gain + shift.offset_hu
        info = np.iinfo(np.int16)
        out = sitk.GetImageFromArray(np.clip(np.round(hu), info.min, info.max).astype(np.int16))
        out.CopyInformation(image)
        sitk.WriteImage(out, str(path), useCompression=True)
        rewritten += 1
    return rewritten
