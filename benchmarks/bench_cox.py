"""Benchmark of the Cox workflow: cox_regression + cox_zph + concordance, against R's survival.

Run: python benchmarks/bench_cox.py
Synthetic seeded data (10 numeric covariates, ~30% censored, times rounded so ties occur) at
n = 10,000 and 100,000. Prints the median of repeats of each step; when ``Rscript`` is on the PATH
the same data are written to a temporary CSV and R times coxph(ties = "efron") + cox.zph +
concordance in the same run (median of the same number of repeats, CSV reading excluded), and
the ratio R / remarkit is printed, together with the largest coefficient difference. Without R
it prints "R absent".
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

from remarkit.stats import CoxResult, concordance, cox_regression, cox_zph

COVARIATES = [f"x{i}" for i in range(1, 11)]
R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); reps <- as.integer(args[2])
f <- as.formula(paste("Surv(time, status) ~", paste(sprintf("x%d", 1:10), collapse = " + ")))
tm <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }
fit_t <- zph_t <- conc_t <- numeric(reps)
for (r in seq_len(reps)) {
  fit_t[r] <- tm(fit <- coxph(f, data = d, ties = "efron"))
  zph_t[r] <- tm(z <- cox.zph(fit))
  conc_t[r] <- tm(cc <- concordance(Surv(time, status) ~ x1, data = d))
}
cat(median(fit_t), median(zph_t), median(conc_t), "\n")
cat(sprintf("%.17g", coef(fit)), "\n")
"""


def make_data(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(COVARIATES)))
    beta = np.linspace(0.5, -0.4, len(COVARIATES))
    t_event = rng.exponential(np.exp(-(x @ beta)))
    t_cens = rng.exponential(2.5, n)
    data = pd.DataFrame(x, columns=COVARIATES)
    data["time"] = np.round(np.minimum(t_event, t_cens), 3) + 0.001
    data["status"] = (t_event <= t_cens).astype(int)
    return data


def median_time(func: Callable[[], object], runs: int) -> tuple[float, object]:
    times = []
    out: object = None
    for _ in range(runs):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def run_r(data: pd.DataFrame, reps: int) -> tuple[list[float], np.ndarray] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "cox.csv"
        script = Path(tmp) / "bench.R"
        data.to_csv(csv, index=False, float_format="%.17g")
        script.write_text(R_SCRIPT)
        out = subprocess.run(
            [rscript, str(script), str(csv), str(reps)], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    return [float(v) for v in out[0].split()], np.array([float(v) for v in out[1].split()])


def main() -> None:
    cox_regression(make_data(500, 0), "time", "status", COVARIATES)  # warm-up
    for n, reps in [(10_000, 5), (100_000, 3)]:
        data = make_data(n, n)

        def fit(d: pd.DataFrame = data) -> CoxResult:
            return cox_regression(d, "time", "status", COVARIATES)

        def zph(d: pd.DataFrame = data) -> object:
            return cox_zph(d, "time", "status", COVARIATES)

        def conc(d: pd.DataFrame = data) -> object:
            return concordance(d["time"], d["status"], d["x1"])

        t_fit, model = median_time(fit, reps)
        t_zph, _ = median_time(zph, reps)
        t_conc, _ = median_time(conc, reps)
        ours = t_fit + t_zph + t_conc
        print(
            f"n = {n:,}: cox_regression {t_fit:.3f} s (incl. its concordance), cox_zph "
            f"{t_zph:.3f} s (refits), concordance {t_conc:.3f} s; total {ours:.3f} s "
            f"(median of {reps})"
        )
        r = run_r(data, reps)
        if r is None:
            print("  R absent")
            continue
        (r_fit, r_zph, r_conc), r_coef = r
        assert isinstance(model, CoxResult)
        diff = float(np.max(np.abs(model.table["coef"].to_numpy() - r_coef)))
        r_total = r_fit + r_zph + r_conc
        print(
            f"  R survival: coxph {r_fit:.3f} s, cox.zph {r_zph:.3f} s, concordance "
            f"{r_conc:.3f} s; total {r_total:.3f} s; R / remarkit = {r_total / ours:.2f}; "
            f"max |coef difference| = {diff:.1e}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
