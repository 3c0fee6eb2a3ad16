"""Benchmark of the report compiler: HTML + PDF of the full demo report from cached results.

Run: python benchmarks/bench_report.py [--out DIR] [--runs 3] [--extra-units 20]
Runs the demo once into DIR (default: a temporary folder; a second call reuses its cache), then
compiles report.html and report.pdf from its results.json ``--runs`` times, alternating with the
baseline (the previous automatic layout of the provenance, checklist and profile tables, through
a user print.css), and prints both medians, their ratio and the goal (< 10 s) with the report's
size and the load. It then adds ``--extra-units`` synthetic units (each with a two-row table of
values and two SVG figures, rendered by the generic fragment) and times that larger report too.
Last, the size of the waterfall figure for 200 and 50,000 patients (dense panels rasterised).
The figures themselves are drawn when units run, so the baseline compiles the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
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

GOAL_SECONDS = 10.0
#: The baseline: the tables the print rules now lay out with fixed widths, laid out automatically.
BASELINE_CSS = "table.provenance, table.checklist, table.profile { table-layout: auto; }\n"


def baseline_templates(folder: Path) -> Path:
    """A user template folder whose print.css restores the automatic table layout."""
    from remarkit.report.templates import make_environment

    env = make_environment(None, [])
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, "print.css")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "print.css").write_text(source + BASELINE_CSS, encoding="utf-8")
    return folder


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


def time_compile(
    out: Path, results: dict[str, Any], plugins: Plugins, runs: int, baseline: Path
) -> str:
    """Medians of ``runs`` HTML + PDF compiles, new and baseline alternating, with the size."""
    times: dict[str, list[float]] = {"new": [], "baseline": []}
    compiled = None
    for _ in range(runs):
        for kind, templates in (("baseline", baseline), ("new", None)):
            start = time.perf_counter()
            compiled = compile_report(out, results, plugins=plugins, templates_dir=templates)
            times[kind].append(time.perf_counter() - start)
    assert compiled is not None and compiled.pdf is not None
    new, old = (statistics.median(times[k]) for k in ("new", "baseline"))
    pages = len(PdfReader(compiled.pdf).pages)
    html_kb = compiled.html.stat().st_size / 1024
    verdict = "met" if new < GOAL_SECONDS else "NOT met"
    return (
        f"median {new:.2f} s (baseline {old:.2f} s, {old / new:.2f}x) over {runs} runs, "
        f"goal < {GOAL_SECONDS:.0f} s {verdict}: {len(results['units'])} units, "
        f"{compiled.tables} tables, {compiled.figures} figures, {pages} PDF pages, "
        f"HTML {html_kb:.0f} KiB"
    )


def figure_sizes(folder: Path) -> str:
    """Bytes of the waterfall of 200 and of 50,000 patients as saved by the units."""
    from remarkit.report.figures import save_svg
    from remarkit.report.plots.marker import WaterfallPanel, decline_waterfall

    rng = np.random.default_rng(0)
    sizes = []
    for n in (200, 50_000):
        panel = WaterfallPanel("Training set", rng.normal(20, 40, n), rng.integers(0, 2, n))
        fig = decline_waterfall(
            [panel],
            threshold=30.0,
            threshold_label="cut-off",
            outcome_labels=("no", "yes"),
            ylabel="Decline (%)",
        )
        path = save_svg(fig, folder / f"waterfall_{n}.svg", salt="bench")
        sizes.append(f"{n} patients {path.stat().st_size / 1024:.0f} KiB")
    return ", ".join(sizes)


def run(out: Path, runs: int, extra: int) -> None:
    """Run the demo into ``out`` (cached after the first time) and time the report compile."""
    with contextlib.redirect_stdout(io.StringIO()):
        main(["demo", "--out", str(out)])
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    plugins = make_plugin_manager()
    baseline = baseline_templates(out.parent / f"{out.name}-baseline-templates")
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} on {os.cpu_count()} cores")
    print(
        "demo report (HTML + PDF) from cached results:",
        time_compile(out, results, plugins, runs, baseline),
    )
    if extra:
        larger = {**results, "units": results["units"] + synthetic_units(out, extra)}
        print(
            f"demo + {extra} synthetic units:", time_compile(out, larger, plugins, runs, baseline)
        )
    print("waterfall figure:", figure_sizes(out.parent))


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
