"""core/demo/batches.py: a seeded scanner column and the scanner shift of a patient's images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.demo import make_cohort
from remarkit.demo.batches import ScannerShift, assign_scanners, shift_images
from remarkit.demo.phantoms import write_phantoms


def _array(path: Path) -> np.ndarray:
    return sitk.GetArrayFromImage(sitk.ReadImage(str(path)))


def test_scanners_are_seeded_and_split_by_share() -> None:
    ids = [f"P{i}" for i in range(10)]
    first = assign_scanners(ids, seed=4, share=0.3)
    assert first.equals(assign_scanners(ids, seed=4, share=0.3))
    assert first.name == "scanner" and list(first.index) == ids
    assert first.value_counts().to_dict() == {"A": 7, "B": 3}
    assert not first.equals(assign_scanners(ids, seed=5, share=0.3))


def test_shift_rewrites_only_the_named_patients_images(tmp_path: Path) -> None:
    cohort = make_cohort(2025).head(2)
    manifest = write_phantoms(cohort, tmp_path, seed=1)
    shifted = str(cohort["patient_id"].iloc[0])
    before = {p.name: _array(p) for p in tmp_path.glob("*.nii.gz")}
    geometry = sitk.ReadImage(str(tmp_path / f"{shifted}_arterial.nii.gz"))
    assert shift_images(manifest, [shifted], ScannerShift(gain=1.1, offset_hu=20.0)) == 2
    for name, array in before.items():
        after = _array(tmp_path / name)
        if name.startswith(shifted) and ("arterial" in name or "portal" in name):
            expected = np.round(array.astype(float) * 1.1 + 20.0).astype(np.int16)
            assert np.array_equal(after, expected), name
        else:  # masks and the other patient
            assert np.array_equal(after, array), name
    image = sitk.ReadImage(str(tmp_path / f"{shifted}_arterial.nii.gz"))
    assert image.GetSpacing() == geometry.GetSpacing() and image.GetOrigin() == geometry.GetOrigin()


def test_smoothing_lowers_the_noise(tmp_path: Path) -> None:
    cohort = make_cohort(2025).head(1)
    manifest = write_phantoms(cohort, tmp_path, seed=1)
    pid = str(cohort["patient_id"].iloc[0])
    before = _array(tmp_path / f"{pid}_portal.nii.gz").astype(float)
    shift_images(manifest, [pid], ScannerShift(gain=1.0, offset_hu=0.0, smoothing_mm=2.5))
    after = _array(tmp_path / f"{pid}_portal.nii.gz").astype(float)
    assert np.std(np.diff(after, axis=2)) < 0.6 * np.std(np.diff(before, axis=2))
