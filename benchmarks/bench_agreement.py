"""Benchmark of the reproducibility statistics as the radiomics unit uses them, against R.

Run: python benchmarks/bench_agreement.py
Synthetic seeded data shaped like the demo: 1,000 radiomics features of 80 training patients
segmented twice (one ICC per feature, as ``radiomics_score`` computes them), and ComBat fitted on
200 patients x 1,000 features in two scanner batches and applied to them. Prints the median of 3
repeats of each step; when ``Rscript`` is on the PATH the same data are written to temporary CSVs
and R times ``psych::ICC(lmer = FALSE)`` per feature and ``sva::ComBat`` in the same run (CSV
reading excluded), and the ratio R / remarkit is printed with the largest difference of the
values. Without R it prints "R absent".
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from remarkit.modeling.combat import apply_combat, fit_combat
from remarkit.stats import icc

REPEATS = 3
R_SCRIPT = r"""
suppressPackageStartupMessages({library(psych); library(sva)})
args <- commandArgs(trailingOnly = TRUE)
first <- as.matrix(read.csv(args[1])); second <- as.matrix(read.csv(args[2]))
features <- as.matrix(read.csv(args[3])); batch <- read.csv(args[4])$batch
reps <- as.integer(args[5])
tm <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }
icc_t <- combat_t <- numeric(reps)
for (r in seq_len(reps)) {
  icc_t[r] <- tm(values <- sapply(seq_len(ncol(first)), function(j)
    ICC(cbind(first[, j], second[, j]), lmer = FALSE)$results$ICC[2]))
  combat_t[r] <- tm(adjusted <- suppressMessages(ComBat(t(features), batch)))
}
cat(median(icc_t), median(combat_t), "\n")
cat(sprintf("%.17g", values), "\n")
cat(sprintf("%.17g", t(adjusted)[1:5, ]), "\n")
"""


def make_segmentations(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two segmentations' features (80 x 1,000): reliability varying across features."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(size=(80, 1000)) * rng.uniform(0.5, 3.0, 1000)
    noise = rng.uniform(0.05, 1.5, 1000)
    first = truth + rng.normal(size=truth.shape) * noise
    return first, truth + rng.normal(size=truth.shape) * noise


def make_batches(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """200 patients x 1,000 features, the second batch shifted and scaled."""
    rng = np.random.default_rng(seed)
    batch = np.where(np.arange(200) % 2 == 0, "A", "B")
    features = rng.normal(size=(200, 1000)) * rng.uniform(0.5, 2.0, 1000)
    b = batch == "B"
    features[b] = features[b] * rng.uniform(1.0, 1.4, 1000) + rng.uniform(0.0, 1.0, 1000)
    return features, batch


def median_time(func: Callable[[], object]) -> tuple[float, object]:
    times = []
    out: object = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def per_feature_icc(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.array(
        [
            icc(np.column_stack((first[:, j], second[:, j]))).form("ICC2").estimate
            for j in range(first.shape[1])
        ]
    )


def combat_fit_apply(features: np.ndarray, batch: np.ndarray) -> np.ndarray:
    frame = pd.DataFrame(features, columns=[f"f{j}" for j in range(features.shape[1])])
    labels = pd.Series(batch)
    model = fit_combat(frame, labels)
    return apply_combat(model, frame, labels).to_numpy()


def main() -> int:
    first, second = make_segmentations(2026)
    features, batch = make_batches(2027)
    icc_s, icc_values = median_time(lambda: per_feature_icc(first, second))
    combat_s, adjusted = median_time(lambda: combat_fit_apply(features, batch))
    print(f"ICC(2,1) per feature, 1,000 features x 80 patients: remarkit {icc_s:.3f} s (median)")
    print(f"ComBat fit + apply, 200 x 1,000, 2 batches:      remarkit {combat_s:.3f} s (median)")
    if shutil.which("Rscript") is None:
        print("R absent")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pd.DataFrame(first).to_csv(folder / "first.csv", index=False)
        pd.DataFrame(second).to_csv(folder / "second.csv", index=False)
        pd.DataFrame(features).to_csv(folder / "features.csv", index=False)
        pd.DataFrame({"batch": batch}).to_csv(folder / "batch.csv", index=False)
        (folder / "bench.R").write_text(R_SCRIPT, encoding="utf-8")
        names = ["first.csv", "second.csv", "features.csv", "batch.csv"]
        run = subprocess.run(
            ["Rscript", str(folder / "bench.R"), *[str(folder / n) for n in names], str(REPEATS)],
            capture_output=True,
            text=True,
            check=True,
        )
    lines = run.stdout.strip().splitlines()
    r_icc, r_combat = (float(x) for x in lines[0].split())
    r_values = np.array([float(x) for x in lines[1].split()])
    r_adjusted = np.array([float(x) for x in lines[2].split()]).reshape(1000, 5).T
    assert isinstance(icc_values, np.ndarray) and isinstance(adjusted, np.ndarray)
    print(
        f"R psych::ICC {r_icc:.3f} s: R / remarkit = {r_icc / icc_s:.2f}; "
        f"largest ICC difference {np.max(np.abs(icc_values - r_values)):.2e}"
    )
    print(
        f"R sva::ComBat {r_combat:.3f} s: R / remarkit = {r_combat / combat_s:.2f}; "
        f"largest adjusted-value difference {np.max(np.abs(adjusted[:5] - r_adjusted)):.2e}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
