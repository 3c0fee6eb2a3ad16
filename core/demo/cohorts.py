"""The demo's two further cohorts, scored with the frozen models by ``remarkit apply``.

- **External validation cohort**: 100 synthetic patients from another seed (ids ``EXT-nnn``),
  with CT phantoms and every clinical variable; no split (the whole cohort is one external
  validation set); the evaluators of the integrated, clinical and phase-score models.
- **Radiogenomics cohort**: 36 synthetic patients from a third seed (ids ``RGC-nnn``, so the
  TCGA-style barcodes ``RGC-nnn-01A`` map by their 7-character prefix), with CT phantoms and the
  genomics files; scored with the frozen integrated radiomics model and split at its median
  (the reference paper's Figure 6 analyses).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from remarkit.demo.acquisition import add_scanners, shift_scanner_images
from remarkit.demo.cohort import make_cohort
from remarkit.demo.genomics import GENOMICS, N_PATIENTS, write_genomics
from remarkit.demo.phantoms import write_phantoms
from remarkit.demo.readers import without_truth
from remarkit.demo.spec import study_toml
from remarkit.demo.units_external import EXTERNAL_UNITS
from remarkit.demo.units_genomics import GENOMICS_UNITS

EXTERNAL_PATIENTS = 100
EXTERNAL_SEED_OFFSET = 1
RADIOGENOMICS_SEED_OFFSET = 2


def _sample(seed: int, n: int, prefix: str) -> pd.DataFrame:
    cohort = make_cohort(seed).iloc[:n].copy()
    cohort["patient_id"] = [f"{prefix}-{i + 1:03d}" for i in range(n)]
    return add_scanners(cohort.drop(columns=["set"]).reset_index(drop=True), seed=seed)


def write_external_study(folder: Path, *, seed: int) -> Path:
    """Write the external validation cohort (seed + 1) and its study.toml; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort = _sample(seed + EXTERNAL_SEED_OFFSET, EXTERNAL_PATIENTS, "EXT")
    without_truth(cohort).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    manifest = write_phantoms(cohort, folder / "images", seed=seed + EXTERNAL_SEED_OFFSET)
    shift_scanner_images(cohort, manifest)
    spec = folder / "study.toml"
    text = study_toml(seed + EXTERNAL_SEED_OFFSET, EXTERNAL_UNITS, kind="external", n=len(cohort))
    spec.write_text(text, encoding="utf-8")
    return spec


def write_radiogenomics_study(folder: Path, *, seed: int) -> Path:
    """Write the 36-patient radiogenomics cohort (seed + 2) and its study.toml; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort = _sample(seed + RADIOGENOMICS_SEED_OFFSET, N_PATIENTS, "RGC")
    without_truth(cohort).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    manifest = write_phantoms(cohort, folder / "images", seed=seed + RADIOGENOMICS_SEED_OFFSET)
    shift_scanner_images(cohort, manifest)
    write_genomics(folder, cohort, seed + RADIOGENOMICS_SEED_OFFSET)
    spec = folder / "study.toml"
    text = study_toml(
        seed + RADIOGENOMICS_SEED_OFFSET,
        GENOMICS_UNITS,
        kind="radiogenomics",
        n=len(cohort),
        genomics=GENOMICS,
    )
    spec.write_text(text, encoding="utf-8")
    return spec
