"""The built-in demo: a synthetic study shaped like the reference paper, written to a folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from remarkit.demo.acquisition import (
    add_scanners,
    add_second_laboratory,
    add_second_segmentations,
    shift_scanner_images,
)
from remarkit.demo.cohort import make_cohort
from remarkit.demo.cohorts import write_external_study, write_radiogenomics_study
from remarkit.demo.phantoms import write_phantoms
from remarkit.demo.readers import without_truth
from remarkit.demo.spec import study_toml
from remarkit.demo.units import DEMO_UNITS
from remarkit.demo.units_imaging import RADIOMICS_PARAMS_FILE, RADIOMICS_PARAMS_YAML

DEFAULT_SEED = 2025


def training_cohort(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The training cohort with its acquisition columns (scanner, second laboratory's AFP) and
    the true levels of the semantic features (which the written table leaves out)."""
    return add_second_laboratory(add_scanners(make_cohort(seed), seed=seed), seed=seed)


def demo_table(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The training cohort exactly as ``remarkit demo`` writes it to cohort.csv."""
    return without_truth(training_cohort(seed))


def write_demo_study(folder: Path, *, seed: int | None = None) -> Path:
    """Write the training study: cohort.csv, CT phantoms (images/), radiomics settings, study.toml.

    Return the study.toml path.
    """
    seed = DEFAULT_SEED if seed is None else seed
    folder.mkdir(parents=True, exist_ok=True)
    cohort = training_cohort(seed)
    without_truth(cohort).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    manifest = write_phantoms(cohort, folder / "images", seed=seed)
    shift_scanner_images(cohort, manifest)
    add_second_segmentations(cohort, manifest, seed=seed)
    (folder / RADIOMICS_PARAMS_FILE).write_text(RADIOMICS_PARAMS_YAML, encoding="utf-8")
    spec = folder / "study.toml"
    spec.write_text(study_toml(seed, DEMO_UNITS), encoding="utf-8")
    return spec


__all__ = [
    "DEFAULT_SEED",
    "demo_table",
    "make_cohort",
    "training_cohort",
    "write_demo_study",
    "write_external_study",
    "write_radiogenomics_study",
]
