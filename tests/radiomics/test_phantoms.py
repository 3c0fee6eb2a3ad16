"""The demo's CT phantoms: deterministic, valid masks, and image features that follow the outcome."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import SimpleITK as sitk  # noqa: N813 - the conventional alias
from scipy.stats import mannwhitneyu

from remarkit.demo import make_cohort
from remarkit.demo.phantoms import PHASES, SHAPE, appearance, make_phantom, write_phantoms
from remarkit.io import read_manifest, validate_images


def test_phantoms_are_deterministic_and_valid(tmp_path: Path) -> None:
    cohort = make_cohort(2025).head(6)
    first = write_phantoms(cohort, tmp_path / "a", seed=9)
    second = write_phantoms(cohort, tmp_path / "b", seed=9)
    third = write_phantoms(cohort, tmp_path / "c", seed=10)
    names = sorted(p.name for p in first.parent.iterdir())
    assert len(names) == 6 * 4 + 1
    for name in names:
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes()
    assert (first.parent / names[0]).read_bytes() != (third.parent / names[0]).read_bytes()
    manifest = read_manifest(first)
    patients = [str(p) for p in cohort["patient_id"]]
    assert validate_images(manifest, patients=patients, phases=PHASES, need_liver=True) == []
    image = sitk.ReadImage(str(manifest.records[0].image))
    assert image.GetSize() == SHAPE[::-1] and image.GetPixelID() == sitk.sitkInt16


def test_arterial_vessels_follow_dilated_vasculature() -> None:
    cohort = make_cohort(2025).head(40)
    bright: dict[str, list[float]] = {"Yes": [], "No": []}
    for number, (_, row) in enumerate(cohort.iterrows()):
        rng = np.random.default_rng([1, number])
        volumes, tumour, liver = make_phantom(appearance(row, rng), rng)
        assert tumour.any() and not (tumour & ~liver).any()
        vessels = (volumes["arterial"] > 215).sum()
        assert (volumes["portal"] > 215).sum() < vessels
        bright[str(row["dilated_vasculature"])].append(float(vessels))
    assert np.median(bright["Yes"]) > 2 * np.median(bright["No"])


def test_tumour_intensity_carries_the_outcome_signal_but_not_perfectly() -> None:
    cohort = make_cohort(2025).head(120)
    means: list[float] = []
    for number, (_, row) in enumerate(cohort.iterrows()):
        rng = np.random.default_rng([2, number])
        volumes, tumour, _ = make_phantom(appearance(row, rng), rng)
        means.append(float(np.median(volumes["portal"][tumour.astype(bool)])))
    frame = pd.DataFrame({"mean": means, "dcb": cohort["response"].to_numpy() == "DCB"})
    a, b = frame.loc[frame["dcb"], "mean"], frame.loc[~frame["dcb"], "mean"]
    auc = mannwhitneyu(a, b).statistic / (len(a) * len(b))
    assert 0.65 < auc < 0.95
