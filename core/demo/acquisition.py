"""How the demo's data were acquired: two scanners, a second AFP laboratory, second segmentations.

These are the inputs of the reproducibility and harmonisation analyses (issue 15): every cohort
gets a ``scanner`` column (A or B, independent of everything else) and its scanner-B CT volumes
are shifted (calibration gain/offset and a softer kernel) so the radiomics units have a batch
effect for ComBat to remove; the training cohort also gets a second AFP measurement from another
laboratory for about 60% of the patients (``afp_baseline_lab2``: a 3% bias and 12% log-scale
error) and, for every other patient, a second tumour segmentation (the first eroded or dilated by
one voxel, as two readers' contours differ). Each draw has its own seeded stream, so the main
cohort's values do not change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from remarkit.demo.batches import ScannerShift, assign_scanners, shift_images
from remarkit.demo.second_masks import add_second_masks

#: The second scanner's difference from the first.
SCANNER_B = ScannerShift(gain=1.15, offset_hu=30.0, smoothing_mm=1.5)
#: Share of patients measured by the second laboratory.
SECOND_LAB_SHARE = 0.6


def add_scanners(cohort: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """``cohort`` with a ``scanner`` column (A/B, seeded, half the patients each)."""
    scanners = assign_scanners(list(cohort["patient_id"].astype(str)), seed=seed)
    return cohort.assign(scanner=scanners.to_numpy())


def add_second_laboratory(cohort: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """``cohort`` with ``afp_baseline_lab2``: the baseline AFP re-measured for ~60% of patients."""
    rng = np.random.default_rng([seed, 7731])
    n = len(cohort)
    measured = rng.random(n) < SECOND_LAB_SHARE
    error = rng.normal(0.03, 0.12, n)
    values = cohort["afp_baseline"].to_numpy(dtype=float) * np.exp(error)
    return cohort.assign(afp_baseline_lab2=np.where(measured, values.round(2), np.nan))


def shift_scanner_images(cohort: pd.DataFrame, manifest: Path) -> int:
    """Rewrite the scanner-B patients' CT volumes with :data:`SCANNER_B`; return files rewritten."""
    second = cohort.loc[cohort["scanner"] == "B", "patient_id"].astype(str)
    return shift_images(manifest, list(second), SCANNER_B)


def add_second_segmentations(cohort: pd.DataFrame, manifest: Path, *, seed: int) -> int:
    """Give every other patient a second tumour mask (column ``mask2``); return how many."""
    patients = list(cohort["patient_id"].astype(str))[::2]
    add_second_masks(manifest, patients=patients, seed=seed)
    return len(patients)
