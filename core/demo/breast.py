"""The breast example: the GBSG 2 trial (scikit-survival's copy), a seeded split and its study.toml."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

#: Fraction of patients in the training set.
TRAIN_FRACTION = 2 / 3


def gbsg2_frame(seed: int) -> pd.DataFrame:
    """GBSG2 (686 patients, Schumacher et al. 1994) with patient ids and a train/test column.

    The data ship inside the PyPI package scikit-survival (``sksurv.datasets.load_gbsg2``). The
    split is stratified by the recurrence indicator and drawn from ``seed``.
    """
    from sksurv.datasets import load_gbsg2

    features, outcome = load_gbsg2()
    frame = pd.DataFrame(
        {
            "patient_id": [f"GBSG{i + 1:03d}" for i in range(len(features))],
            "age": features["age"].astype(int),
            "menopause": features["menostat"].astype(str),
            "size_mm": features["tsize"].astype(int),
            "grade": features["tgrade"].astype(str),
            "nodes": features["pnodes"].astype(int),
            "pgr": features["progrec"].astype(int),
            "er": features["estrec"].astype(int),
            "hormone_therapy": features["horTh"].astype(str),
            "rfs_days": outcome["time"].astype(int),
            "recurrence": outcome["cens"].astype(int),
        }
    )
    rng = np.random.default_rng(seed)
    split = np.empty(len(frame), dtype=object)
    for value in (0, 1):
        rows = np.flatnonzero(frame["recurrence"].to_numpy() == value)
        rows = rng.permutation(rows)
        n_train = round(len(rows) * TRAIN_FRACTION)
        split[rows[:n_train]] = "train"
        split[rows[n_train:]] = "test"
    frame["set"] = split
    return frame


#: Seed of the breast example's train/test split.
BREAST_SEED = 2025


def breast_study_toml() -> str:
    """The breast example's study.toml (also checked in as examples/breast/study.toml)."""
    return resources.files("remarkit.demo").joinpath("breast_study.toml").read_text("utf-8")


def write_breast_study(folder: Path) -> Path:
    """Write cohort.csv (GBSG 2 with ids and the split) and study.toml; return the spec path."""
    folder.mkdir(parents=True, exist_ok=True)
    gbsg2_frame(BREAST_SEED).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    spec = folder / "study.toml"
    spec.write_text(breast_study_toml(), encoding="utf-8")
    return spec
