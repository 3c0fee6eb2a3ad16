"""The demo end to end, cold: data generation, every unit, HTML + PDF, as a user types it.

Run: python benchmarks/bench_demo.py [--executors "local:1,local:2,dask:2"] [--runs 1]
Each executor runs ``remarkit demo --no-cache --out DIR`` in a fresh subprocess ``--runs`` times
(a cold demo takes minutes, so the default is one run each; medians when more); the first entry
is the baseline, and every other one prints its ratio (baseline time / its time: > 1 is faster)
and whether its results.json equals the baseline's apart from timings. The machine's load
(``os.getloadavg``) is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: results.json fields that legitimately differ between runs: each unit's wall time and cache flag.
TIMING_KEYS = {"execution"}


def strip_timings(node: Any) -> Any:
    """results.json without timing fields (recursively)."""
    if isinstance(node, dict):
        return {k: strip_timings(v) for k, v in node.items() if k not in TIMING_KEYS}
    if isinstance(node, list):
        return [strip_timings(v) for v in node]
    return node


def run_demo(executor: str, jobs: int, out: Path) -> float:
    """Wall seconds of one cold ``remarkit demo`` into ``out``."""
    remarkit = Path(sys.executable).with_name("remarkit")
    command = [str(remarkit), "demo", "--no-cache", "--out", str(out)]
    command += ["--jobs", str(jobs)]
    if executor != "local":
        command += ["--executor", executor]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executors", default="local:1,dask:2", help="EXECUTOR:JOBS,...")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    baseline: tuple[float, Any] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for entry in args.executors.split(","):
            executor, _, jobs = entry.partition(":")
            times, results = [], None
            for i in range(args.runs):
                out = Path(tmp) / f"{executor.replace('/', '_')}-{jobs}-{i}"
                times.append(run_demo(executor, int(jobs or 1), out))
                text = (out / "results.json").read_text(encoding="utf-8").replace(str(out), "OUT")
                results = strip_timings(json.loads(text))
            median = statistics.median(times)
            line = f"demo cold, {entry}: median of {args.runs} = {median:.1f} s"
            if baseline is None:
                baseline = (median, results)
                print(line + " (baseline)")
            else:
                same = "identical" if results == baseline[1] else "DIFFERENT"
                print(f"{line}; ratio {baseline[0] / median:.2f}x; results.json {same}")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
