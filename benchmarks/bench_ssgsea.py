"""Benchmark of remarkit.stats.ssgsea against gseapy's ssgsea on the same data, same process.

Run: python benchmarks/bench_ssgsea.py [--genes 20000] [--samples 500] [--sets 50] [--runs 5]
Data: seeded log-normal expression, genes x samples, and gene sets of sizes evenly spread over
15..500. Prints the median wall time of each implementation (one untimed warm-up call each; the
GSVA variant and gseapy are timed alternately so that both see the same machine load), their
ratio (goal: gseapy / remarkit >= 5) and how far the scores agree. gseapy is optional
(``pip install gseapy``); both run single-threaded (gseapy ``threads=1``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from remarkit.stats.ssgsea import SsgseaResult, ssgsea


def median_time(func: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls after one untimed warm-up call."""
    out = func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def make_data(genes: int, samples: int, sets: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Seeded expression matrix and gene sets of sizes 15..500."""
    rng = np.random.default_rng(20240611)
    names = np.array([f"GENE{i:05d}" for i in range(genes)])
    values = rng.lognormal(mean=2.0, sigma=1.0, size=(genes, samples))
    frame = pd.DataFrame(values, index=names, columns=[f"S{j:04d}" for j in range(samples)])
    sizes = np.linspace(15, min(500, genes - 1), sets).astype(int)
    gene_sets = {
        f"SET_{k:03d}": list(rng.choice(names, size=int(s), replace=False))
        for k, s in enumerate(sizes)
    }
    return frame, gene_sets


def run_gseapy(frame: pd.DataFrame, gene_sets: dict[str, list[str]]) -> pd.DataFrame:
    """gseapy's ssgsea (normalised enrichment scores), sets x samples."""
    import gseapy

    result = gseapy.ssgsea(
        data=frame,
        gene_sets=gene_sets,
        outdir=None,
        sample_norm_method="rank",
        correl_norm_type="rank",
        weight=0.25,
        min_size=1,
        max_size=100_000,
        permutation_num=0,
        threads=1,
        verbose=False,
    )
    wide = result.res2d.pivot(index="Term", columns="Name", values="NES").astype(float)
    return wide.loc[list(gene_sets), frame.columns]


def main() -> None:
    """Time both implementations and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--genes", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--sets", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    frame, gene_sets = make_data(args.genes, args.samples, args.sets)
    print(f"data: {args.genes} genes x {args.samples} samples, {args.sets} sets (15..500 genes)")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    t_var, ours_gp = median_time(lambda: ssgsea(frame, gene_sets, variant="gseapy"), args.runs)
    print(f"remarkit ssgsea (gseapy):   median of {args.runs} runs = {t_var:.3f} s")
    try:
        import gseapy  # noqa: F401
    except ImportError:
        t_ours, ours = median_time(lambda: ssgsea(frame, gene_sets), args.runs)
        print(f"remarkit ssgsea (GSVA):     median of {args.runs} runs = {t_ours:.3f} s")
        print("gseapy not installed: no comparison (pip install gseapy)")
        return
    ours = ssgsea(frame, gene_sets)  # warm-up
    theirs = run_gseapy(frame, gene_sets)
    times_ours: list[float] = []
    times_gp: list[float] = []
    for _ in range(args.runs):  # alternate, so both see the same load
        start = time.perf_counter()
        ours = ssgsea(frame, gene_sets)
        times_ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs = run_gseapy(frame, gene_sets)
        times_gp.append(time.perf_counter() - start)
    t_ours, t_gp = statistics.median(times_ours), statistics.median(times_gp)
    print(f"remarkit ssgsea (GSVA):     median of {args.runs} runs = {t_ours:.3f} s")
    print(f"gseapy 1-thread ssgsea:     median of {args.runs} runs = {t_gp:.3f} s")
    print(f"ratio gseapy / remarkit (GSVA): x{t_gp / t_ours:.1f} (goal >= 5)")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    assert isinstance(theirs, pd.DataFrame)
    for label, res in (("GSVA", ours), ("gseapy", ours_gp)):
        assert isinstance(res, SsgseaResult)
        scores = res.scores.to_numpy()
        diff = float(np.max(np.abs(scores - theirs.to_numpy())))
        print(f"max |remarkit ({label} variant) - gseapy NES| = {diff:.3g}")


if __name__ == "__main__":
    main()
