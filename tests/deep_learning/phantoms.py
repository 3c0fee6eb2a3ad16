"""Small synthetic CT studies for the deep_score tests: volumes, masks, manifest and cohort."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import SimpleITK as sitk  # noqa: N813 - the conventional alias

SPACING = (1.5, 1.5, 5.0)
SHAPE = (10, 48, 48)  # z, y, x

SPEC = """\
[study]
title = "deep_score test study"
seed = 11

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.outcome]
column = "response"
positive = "yes"

[images]
manifest = "images.csv"
"""


def phantom(rng: np.random.Generator, positive: bool) -> tuple[np.ndarray, ...]:
    """(image HU, tumour mask, liver mask) of one patient; positives have a bright rim."""
    z, y, x = np.indices(SHAPE, dtype=np.float64)
    cy, cx = 24 + rng.uniform(-3, 3), 24 + rng.uniform(-3, 3)
    liver = ((y - cy) / 17) ** 2 + ((x - cx) / 19) ** 2 + ((z - 4.5) / 6) ** 2 <= 1
    tz = int(rng.integers(3, 7))
    ty, tx = cy + rng.uniform(-4, 4), cx + rng.uniform(-4, 4)
    radius = rng.uniform(4, 7)
    dist = np.sqrt((y - ty) ** 2 + (x - tx) ** 2 + ((z - tz) * 2.5) ** 2)
    tumour = dist <= radius
    image = np.full(SHAPE, -900.0)
    image[liver] = 60.0
    image[tumour] = 20.0
    if positive:
        image[tumour & (dist > radius - 1.8)] = 180.0
    image += rng.normal(0, 12, SHAPE)
    return image, tumour.astype(np.uint8), liver.astype(np.uint8)


def write_volume(array: np.ndarray, path: Path) -> None:
    """Write a (z, y, x) array as NIfTI with the test spacing."""
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(SPACING)
    sitk.WriteImage(image, str(path))


def write_study(
    root: Path,
    units: str,
    *,
    n: int = 40,
    n_test: int = 12,
    seed: int = 0,
    phases: tuple[str, ...] = ("arterial",),
) -> Path:
    """Write cohort.csv, images/, images.csv and study.toml under ``root``; return the spec."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    ids = [f"P{i:03d}" for i in range(n)]
    outcome = np.array([i % 5 < 3 for i in range(n)])
    split = ["train"] * (n - n_test) + ["test"] * n_test
    rows = []
    for pid, positive in zip(ids, outcome, strict=True):
        for phase in phases:
            image, tumour, liver = phantom(rng, bool(positive))
            names = [f"images/{pid}_{phase}_{kind}.nii.gz" for kind in ("ct", "tumour", "liver")]
            for array, name in zip((image.astype(np.int16), tumour, liver), names, strict=True):
                write_volume(array, root / name)
            rows.append(
                {
                    "patient": pid,
                    "phase": phase,
                    "image": names[0],
                    "mask": names[1],
                    "liver_mask": names[2],
                }
            )
    pd.DataFrame(rows).to_csv(root / "images.csv", index=False)
    pd.DataFrame({"pid": ids, "set": split, "response": np.where(outcome, "yes", "no")}).to_csv(
        root / "cohort.csv", index=False
    )
    spec = root / "study.toml"
    spec.write_text(SPEC + units, encoding="utf-8")
    return spec
