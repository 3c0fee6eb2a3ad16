"""Benchmark of the report compiler: HTML + PDF of the full demo report from cached results.

Run: python benchmarks/bench_report.py [--out DIR] [--runs 3] [--extra-units 20]
Runs the demo once into DIR (default: a temporary folder; a second call reuses its cache), then
compiles report.html and report.pdf from its results.json ``--runs`` times and prints the median
wall time (goal < 20 s) with the report's size. It then adds ``--extra-units`` synthetic units
(each with a two-row table of values and two SVG figures, rendered by the generic fragment) and
times that larger report too, so the figure stays meaningful while the demo has few units.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from pypdf import PdfReader

from remarkit.cli.main import main
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.report.compile import compile_report
from remarkit.report.figures import new_figure

GOAL_SECONDS = 20.0


def synthetic_units(out: Path, count: int) -> list[dict[str, Any]]:
    """Unit records with figures on disk, shaped as the runner writes them."""
    units = []
    for i in range(count):
        folder = out / "units" / f"bench{i}"
        folder.mkdir(parents=True, exist_ok=True)
        figures = []
        for name in ("curve", "bars"):
            fig, ax = new_figure(5, 4)
            x = np.linspace(0, 1, 200)
            if name == "curve":
                ax.plot(x, x ** (1 + i % 5), label="model")
                ax.plot([0, 1], [0, 1], linestyle="--")
            else:
                ax.bar(range(10), np.sin(np.arange(10) + i) + 1.5)
            path = folder / f"{name}.svg"
            fig.savefig(path, format="svg", metadata={"Date": None})
            plt.close(fig)
            figures.append(
                {
                    "name": name,
                    "path": path.relative_to(out).as_posix(),
                    "caption": f"Synthetic {name} of unit {i}",
                }
            )
        units.append(
            {
                "id": f"bench{i}",
                "name": "bench_unit",
                "version": "1.0",
                "family": "evaluator",
                "section": ("performance", "calibration", "survival", "models")[i % 4],
                "source": "bench",
                "params": {"column": "age", "threshold": i},
                "status": "ok",
                "error": None,
                "depends_on": [],
                "remark_items": [15, 18],
                "result": {
                    "kind": "bench_unit",
                    "figures": figures,
                    "columns": [],
                    "warnings": [],
                    "auc": 0.7 + i / 1000,
                    "n": 203,
                    "events": 128,
                    "p": 0.0123,
                },
                "result_sha256": "0" * 64,
                "methods": f"Synthetic unit {i} (numpy).",
                "citations": [],
                "cache_key": "0" * 64,
                "inputs": [],
                "execution": {"seconds": 0.1, "cache_hit": True},
            }
        )
    return units


def time_compile(out: Path, results: dict[str, Any], plugins: Plugins, runs: int) -> str:
    """Median compile time of ``runs`` HTML + PDF compiles, with the report's size."""
    times = []
    compiled = None
    for _ in range(runs):
        start = time.perf_counter()
        compiled = compile_report(out, results, plugins=plugins)
        times.append(time.perf_counter() - start)
    assert compiled is not None and compiled.pdf is not None
    median = statistics.median(times)
    pages = len(PdfReader(compiled.pdf).pages)
    html_kb = compiled.html.stat().st_size / 1024
    if median >= GOAL_SECONDS:
        raise SystemExit(f"report compile took {median:.2f} s, over the {GOAL_SECONDS:.0f} s goal")
    return (
        f"median {median:.2f} s over {runs} runs (goal < {GOAL_SECONDS:.0f} s): "
        f"{len(results['units'])} units, {compiled.tables} tables, {compiled.figures} figures, "
        f"{pages} PDF pages, HTML {html_kb:.0f} KiB"
    )


def run(out: Path, runs: int, extra: int) -> None:
    """Run the demo into ``out`` (cached after the first time) and time the report compile."""
    with contextlib.redirect_stdout(io.StringIO()):
        main(["demo", "--out", str(out)])
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    plugins = make_plugin_manager()
    print(
        "demo report (HTML + PDF) from cached results:", time_compile(out, results, plugins, runs)
    )
    if extra:
        larger = {**results, "units": results["units"] + synthetic_units(out, extra)}
        print(f"demo + {extra} synthetic units:", time_compile(out, larger, plugins, runs))


def cli() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="demo folder (default: temporary)")
    parser.add_argument("--runs", type=int, default=3, help="timed compiles (median reported)")
    parser.add_argument("--extra-units", type=int, default=20, help="synthetic units to add")
    args = parser.parse_args()
    if args.out:
        run(Path(args.out), args.runs, args.extra_units)
        return
    with tempfile.TemporaryDirectory(prefix="remarkit-bench-report-") as tmp:
        run(Path(tmp) / "demo", args.runs, args.extra_units)


if __name__ == "__main__":
    cli()
