"""Benchmark of remarkit.stats.auc_ci (fast midrank DeLong) against a naive O(n^2) DeLong.

Run: python benchmarks/bench_delong.py
Prints the median of 5 runs of ``auc_ci`` at n = 1,000,000 (goal < 2 s) and, at n = 20,000, the
speed-up of ``auc_ci`` over a straightforward pairwise DeLong measured in the same process.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from remarkit.stats import roc

FloatArray = npt.NDArray[np.float64]


def naive_delong(y: npt.NDArray[np.int64], score: FloatArray) -> tuple[float, float]:
    """Textbook DeLong: the m x n kernel psi(X_i, Y_j), processed in blocks of cases."""
    cases = score[y == 1]
    controls = score[y == 0]
    m, n = cases.size, controls.size
    v10 = np.empty(m)
    v01 = np.zeros(n)
    block = 1000
    for start in range(0, m, block):
        x = cases[start : start + block, None]
        psi = (x > controls[None, :]) + 0.5 * (x == controls[None, :])
        v10[start : start + block] = psi.mean(axis=1)
        v01 += psi.sum(axis=0)
    v01 /= m
    auc = float(v10.mean())
    var = float(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)
    return auc, var


def median_time(func: Callable[[], object], runs: int) -> tuple[float, object]:
    times = []
    out: object = None
    for _ in range(runs):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def make_data(n: int, seed: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    score = np.round(rng.normal(size=n) + 0.8 * y, 3).astype(np.float64)  # rounded: ties
    return y, score


def main() -> None:
    y, score = make_data(1_000_000, 1)
    roc.auc_ci(y, score)  # warm-up (imports, caches)
    t_big, res = median_time(lambda: roc.auc_ci(y, score), runs=5)
    print(f"auc_ci, n = 1,000,000: median of 5 runs = {t_big:.3f} s (goal < 2 s); result {res}")

    y, score = make_data(20_000, 2)
    t_fast, fast = median_time(lambda: roc.auc_ci(y, score), runs=15)
    t_naive, naive = median_time(lambda: naive_delong(y, score), runs=5)
    assert isinstance(fast, roc.AucResult) and isinstance(naive, tuple)
    assert (
        abs(fast.auc - naive[0]) < 1e-12 and abs(fast.se**2 - naive[1]) < 1e-12 * naive[1] + 1e-18
    )
    print(
        f"n = 20,000: auc_ci median {t_fast * 1e3:.2f} ms, naive O(n^2) DeLong median "
        f"{t_naive * 1e3:.1f} ms; speed-up x{t_naive / t_fast:.0f} (same AUC and variance)"
    )


if __name__ == "__main__":
    main()
