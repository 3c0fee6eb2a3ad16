"""A small radiomics study for the tests: demo phantoms for the first patients of the demo cohort."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from remarkit.demo import make_cohort
from remarkit.demo.phantoms import write_phantoms

SHARED_ENV = "REMARKIT_SHARED_DATA"
EXTRA_ENV = "REMARKIT_PYRADIOMICS_DATA"

PARAMS = """\
imageType:
  Original: {}
  Wavelet: {}
featureClass:
  shape:
  firstorder:
  glcm:
  glszm:
setting:
  binWidth: 25
  resampledPixelSpacing: [2.5, 2.5, 2.5]
  interpolator: sitkBSpline
"""

SPEC = """\
[study]
title = "radiomics_score test study"
seed = 5

[cohort]
table = "cohort.csv"
id = "patient_id"

[cohort.split]
column = "set"

[cohort.outcome]
column = "response"
positive = "DCB"

[images]
manifest = "images/manifest.csv"

[[unit]]
id = "a_radiomics"
use = "radiomics_score"
phase = "arterial"
parameter_file = "params.yaml"
cv_folds = 3
lasso_folds = 3
lasso_cs = 10
n_estimators = 50
"""

COLUMNS = [
    "patient_id",
    "set",
    "response",
    "tumor_size_mm",
    "regular_margin",
    "necrosis",
    "peritumoral_enhancement",
    "dilated_vasculature",
]


def write_study(root: Path, *, n: int = 60, spec: str = SPEC, params: str = PARAMS) -> Path:
    """Cohort, phantoms (both phases), parameter file and study.toml under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    cohort = make_cohort(2025).head(n)[COLUMNS]
    cohort.to_csv(root / "cohort.csv", index=False)
    write_phantoms(cohort, root / "images", seed=2025)
    (root / "params.yaml").write_text(params, encoding="utf-8")
    path = root / "study.toml"
    path.write_text(spec, encoding="utf-8")
    return path


def split_of(root: Path) -> pd.Series:
    """The split of every patient of a written study."""
    table = pd.read_csv(root / "cohort.csv")
    return pd.Series(table["set"].to_numpy(), index=table["patient_id"].astype(str))


def pyradiomics_data() -> list[Path]:
    """Folders holding pyradiomics' test data: ../shared/data/pyradiomics (or
    $REMARKIT_SHARED_DATA/pyradiomics), then $REMARKIT_PYRADIOMICS_DATA (e.g. the sdist's data/)."""
    repo = Path(__file__).resolve().parents[2]
    shared = Path(os.environ.get(SHARED_ENV, repo.parent / "shared" / "data")) / "pyradiomics"
    folders = [shared]
    if os.environ.get(EXTRA_ENV):
        folders.append(Path(os.environ[EXTRA_ENV]))
    return [f for f in folders if (f / "baseline").is_dir() or f.is_dir()]


def find_case(name: str) -> tuple[Path, Path] | None:
    """Image and label of a pyradiomics test case, or None when not available here."""
    for folder in pyradiomics_data():
        image, label = folder / f"{name}_image.nrrd", folder / f"{name}_label.nrrd"
        if image.is_file() and label.is_file():
            return image, label
    return None


EXTERNAL_SPEC = """\
[study]
title = "radiomics_score external cohort"
seed = 9

[cohort]
table = "cohort.csv"
id = "patient_id"

[images]
manifest = "images/manifest.csv"
"""


def write_external(root: Path, *, n: int = 12, seed: int = 7) -> Path:
    """A new cohort for ``remarkit apply``: other patients (ids ``EXT-...``) and phantoms, no
    split, outcome or unit."""
    root.mkdir(parents=True, exist_ok=True)
    cohort = make_cohort(seed).head(n)[COLUMNS].copy()
    cohort["patient_id"] = [f"EXT-{i + 1:03d}" for i in range(n)]
    cohort[["patient_id", "tumor_size_mm"]].to_csv(root / "cohort.csv", index=False)
    write_phantoms(cohort, root / "images", seed=seed)
    path = root / "study.toml"
    path.write_text(EXTERNAL_SPEC, encoding="utf-8")
    return path
