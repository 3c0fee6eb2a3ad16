"""Benchmark of large cohorts: the demo's clinical units and evaluators at N patients.

Run: python benchmarks/bench_cohort.py [--sizes 203 5000 50000] [--runs 3] [--no-report]
    [--profile UNIT_ID]

For each size N a clinical-only study is written (the demo's marker-response, Table 1, logistic
and evaluator units on the clinical models' scores; no images, genomics or deep learning): N = 203
is the demo's own cohort, larger N concatenate further demo cohorts drawn the same way from seeds
2025, 2026, ... (patient ids renumbered). Each run is a fresh subprocess (so peak memory is its
own) that runs the study with one job and a fresh cache, then compiles the HTML + PDF report.

Per unit it prints the wall time and the peak resident set size while the unit ran: a pluggy
plugin resets the kernel's high-water mark before the unit (writing "5" to /proc/self/clear_refs)
and reads VmHWM from /proc/self/status after it, so the figure is the true peak RSS of the process
during that unit (the serial executor runs one unit at a time), not a Python-allocation estimate.
Totals: wall time of the run, report compile time, and the process's peak RSS (getrusage).
With several runs the medians are printed; the 203-patient run is the baseline in the same
invocation, and the per-patient time ratios (5,000 -> 50,000 should be about 10 or less: no unit
quadratic in patients) are printed per unit. ``--profile UNIT_ID`` writes a cProfile of that
unit's run (largest size) to stdout instead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from remarkit.demo import DEFAULT_SEED, demo_table, make_cohort
from remarkit.demo.acquisition import add_scanners, add_second_laboratory
from remarkit.demo.readers import without_truth
from remarkit.demo.spec import study_toml
from remarkit.demo.units_clinical import CLINICAL_UNITS
from remarkit.demo.units_evaluators import ALL_SCORES, CLINICAL_SCORES, EVALUATOR_UNITS
from remarkit.engine.hookspecs import hookimpl

GOAL_SECONDS = 60.0
GOAL_GB = 1.5
#: The clinical models' scores: what the evaluators see without imaging models.
CLINICAL_ONLY_SCORES = """[
  {column = "clinical_no_afp.probability", label = "Clinical model without AFP response"},
  {column = "clinical_afp.probability", label = "Clinical model with AFP response"},
]"""


def cohort_table(n: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """``n`` synthetic patients: the demo cohort, then further demo cohorts from seed + 1, ..."""
    if n == len(demo_table(seed)):
        return demo_table(seed)
    blocks: list[pd.DataFrame] = []
    total = 0
    k = 0
    while total < n:
        block = make_cohort(seed + k)
        blocks.append(block)
        total += len(block)
        k += 1
    cohort = pd.concat(blocks, ignore_index=True).iloc[:n].copy()
    cohort["patient_id"] = [f"HCC-{i + 1:06d}" for i in range(n)]
    cohort = add_second_laboratory(add_scanners(cohort, seed=seed), seed=seed)
    return without_truth(cohort)


def units_toml() -> str:
    """The demo's clinical and evaluator [[unit]] tables with the clinical models' scores only."""
    evaluators = EVALUATOR_UNITS.replace(ALL_SCORES, CLINICAL_ONLY_SCORES).replace(
        CLINICAL_SCORES, CLINICAL_ONLY_SCORES
    )
    return CLINICAL_UNITS + evaluators


def write_study(folder: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write cohort.csv and study.toml of the clinical-only study at ``n`` patients."""
    folder.mkdir(parents=True, exist_ok=True)
    table = cohort_table(n, seed)
    table.to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    text = study_toml(seed, units_toml())
    text = text.replace('[images]\nmanifest = "images/manifest.csv"\n', "")
    n_train = int((table["set"] == "train").sum())
    flow = (
        f'[[cohort.flow]]\nlabel = "Synthetic cohort"\nn = {n}\n\n'
        f'[[cohort.flow]]\nlabel = "Analysed ({n_train} train, {n - n_train} test)"\nn = {n}\n'
    )
    head, _, rest = text.partition("\n[[cohort.flow]]")
    units = rest[rest.index("\n[[unit]]") :]
    spec = folder / "study.toml"
    spec.write_text(head + "\n" + flow + units, encoding="utf-8")
    return spec


def _status() -> dict[str, int]:
    """VmRSS and VmHWM of this process, bytes."""
    out: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


class UnitTracer:
    """Per-unit wall time and peak RSS (kernel high-water mark reset before each unit)."""

    def __init__(self, profile: str | None = None) -> None:
        self.units: dict[str, dict[str, Any]] = {}
        self._start = 0.0
        self._cpu = 0.0
        self._rss0 = 0
        self._profile = profile
        self._profiler: cProfile.Profile | None = None

    @hookimpl
    def remarkit_before_unit(self, unit_id: str, unit_name: str) -> None:
        Path("/proc/self/clear_refs").write_text("5")
        self._rss0 = _status()["VmRSS"]
        self._cpu = time.process_time()
        if unit_id == self._profile:
            self._profiler = cProfile.Profile()
            self._profiler.enable()
        self._start = time.perf_counter()

    @hookimpl
    def remarkit_after_unit(
        self, unit_id: str, unit_name: str, status: str, seconds: float, result: Any
    ) -> None:
        wall = time.perf_counter() - self._start
        cpu = time.process_time() - self._cpu
        peak = _status()["VmHWM"]
        if self._profiler is not None:
            self._profiler.disable()
            stats = pstats.Stats(self._profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(45)
            self._profiler = None
        self.units[unit_id] = {
            "name": unit_name,
            "status": status,
            "seconds": wall,
            "cpu": cpu,
            "peak_rss": peak,
            "rss_before": self._rss0,
        }


def run_once(n: int, report: bool, profile: str | None) -> dict[str, Any]:
    """Write and run the study at ``n`` patients in this process; return the measurements."""
    from remarkit.engine.api import prepare, run_prepared
    from remarkit.engine.executor import SerialExecutor
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.engine.results import results_document
    from remarkit.report.compile import compile_report

    tracer = UnitTracer(profile)
    with tempfile.TemporaryDirectory(prefix="bench-cohort-") as tmp:
        folder = Path(tmp)
        spec = write_study(folder / "study", n)
        start = time.perf_counter()
        plugins = make_plugin_manager(extra_plugins=[("bench-tracer", tracer)])
        prepared = prepare(spec, plugins)
        prepare_s = time.perf_counter() - start
        compile_s: list[float] = []

        def finalize(staging: Path, results: Any) -> None:
            if not report:
                return
            t0 = time.perf_counter()
            compile_report(staging, results_document(results), plugins=plugins)
            compile_s.append(time.perf_counter() - t0)

        run_prepared(
            prepared,
            folder / "report",
            cache_dir=folder / "cache",
            executor=SerialExecutor(),
            finalize=finalize,
        )
        total = time.perf_counter() - start
    return {
        "n": n,
        "total": total,
        "prepare": prepare_s,
        "compile": compile_s[0] if compile_s else None,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "units": tracer.units,
    }


def _child(n: int, report: bool, profile: str | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n)]
    if not report:
        cmd.append("--no-report")
    if profile:
        cmd += ["--profile", profile]
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median(values: list[float]) -> float:
    return statistics.median(values)


def summarise(runs: dict[int, list[dict[str, Any]]]) -> None:
    """Print the per-unit table and the totals (medians over runs) and the scaling ratios."""
    sizes = sorted(runs)
    ids = list(runs[sizes[-1]][0]["units"])
    gb = 1024**3
    head = "".join(f"{f'{n:,} s':>12}{'peak GB':>9}" for n in sizes)
    print(f"\n{'unit':<24}{head}")

    def med(n: int, uid: str, key: str) -> float:
        return _median([r["units"][uid][key] for r in runs[n] if uid in r["units"]])

    for uid in ids:
        cells = "".join(
            f"{med(n, uid, 'seconds'):>12.2f}{med(n, uid, 'peak_rss') / gb:>9.2f}" for n in sizes
        )
        print(f"{uid:<24}{cells}")
    print(f"\n{'unit CPU seconds':<24}" + "".join(f"{f'{n:,}':>12}" for n in sizes))
    for uid in ids:
        print(f"{uid:<24}" + "".join(f"{med(n, uid, 'cpu'):>12.2f}" for n in sizes))
    for label, key in (("prepare (load+validate)", "prepare"), ("report compile", "compile")):
        vals = [[r[key] for r in runs[n] if r[key] is not None] for n in sizes]
        print(f"{label:<24}" + "".join(f"{_median(v) if v else 0:>12.2f}{'':>9}" for v in vals))
    totals = [_median([r["total"] for r in runs[n]]) for n in sizes]
    peaks = [_median([r["peak_rss"] for r in runs[n]]) / gb for n in sizes]
    print(
        f"{'TOTAL':<24}"
        + "".join(f"{t:>12.2f}{p:>9.2f}" for t, p in zip(totals, peaks, strict=False))
    )
    base = sizes[0]
    print(f"\nscaling, time per patient relative to {base:,} patients:")
    for n in sizes[1:]:
        ratio = (totals[sizes.index(n)] / n) / (totals[0] / base)
        print(f"  {n:,}: {ratio:.3f} x per patient")
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        print(
            f"\nper-unit time ratio {b:,} / {a:,} patients (patients x{b / a:g}; quadratic would be x{(b / a) ** 2:g}):"
        )
        worst = 0.0
        for uid in ids:
            ta, tb = med(a, uid, "seconds"), med(b, uid, "seconds")
            ratio = tb / ta if ta > 0 else float("nan")
            worst = max(worst, ratio)
            print(f"  {uid:<24}{ta:>9.2f} s -> {tb:>8.2f} s  ratio {ratio:6.2f}")
        print(f"  largest ratio {worst:.2f} ({'ok' if worst <= 1.5 * b / a else 'SUPERLINEAR'})")
    n = sizes[-1]
    print(
        f"\n{n:,} patients: {totals[-1]:.1f} s (goal < {GOAL_SECONDS:g} s), "
        f"peak {peaks[-1]:.2f} GB (goal < {GOAL_GB:g} GB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[203, 5000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="skip the HTML/PDF compile")
    parser.add_argument("--profile", help="cProfile this unit id (largest size, one run)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_once(args.child, not args.no_report, args.profile)))
        return 0
    if args.profile:
        _child(max(args.sizes), False, args.profile)
        return 0
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in args.sizes}
    for i in range(args.runs):
        for n in args.sizes:
            result = _child(n, not args.no_report, None)
            runs[n].append(result)
            print(
                f"run {i + 1}: {n:,} patients {result['total']:.1f} s, "
                f"peak {result['peak_rss'] / 1024**3:.2f} GB",
                flush=True,
            )
    summarise(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
