"""Benchmark of the command line's start-up: the commands a user types, against the import floor.

Run: python benchmarks/bench_cli.py
Times, as subprocesses, ``remarkit --help``, ``remarkit plugins`` and ``remarkit validate`` of the
demo's clinical study (the cohort.csv and study.toml ``remarkit demo`` writes, with its clinical
units and without the [images] table, so no CT is read), and in the same run the baseline
``python -c "import pandas, pydantic"`` (what any verb that reads a study must import) and a bare
``python -c pass``. The runs are interleaved (one of each per round, 5 rounds) so that the machine's
load falls on all alike; prints the median of each, its ratio to the baseline and the goal
(``--help`` under 0.3 s, ``plugins`` and ``validate`` under 1.5 s), with the load average.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from remarkit.demo import DEFAULT_SEED, demo_table
from remarkit.demo.spec import study_toml
from remarkit.demo.units_clinical import CLINICAL_UNITS

ROUNDS = 5
GOALS = {"remarkit --help": 0.3, "remarkit plugins": 1.5, "remarkit validate": 1.5}


def remarkit_command() -> list[str]:
    """The ``remarkit`` console script beside this interpreter (else on the PATH)."""
    beside = shutil.which("remarkit", path=str(Path(sys.executable).parent))
    found = beside or shutil.which("remarkit")
    if found is None:
        raise SystemExit("the remarkit command is not installed (pip install -e .)")
    return [found]


def write_clinical_study(folder: Path) -> Path:
    """The demo's cohort.csv and study.toml with the clinical units and no [images] table."""
    demo_table(DEFAULT_SEED).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    text = re.sub(r"\n\[images\]\n(?:[^\n\[]+\n)*", "\n", study_toml(DEFAULT_SEED, CLINICAL_UNITS))
    spec = folder / "study.toml"
    spec.write_text(text, encoding="utf-8")
    return spec


def timed(argv: list[str]) -> float:
    """Wall time of one run; the command must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def main() -> None:
    """Time every command ROUNDS times, interleaved, and print the medians."""
    remarkit = remarkit_command()
    with tempfile.TemporaryDirectory() as tmp:
        spec = write_clinical_study(Path(tmp))
        commands = {
            'python -c "pass"': [sys.executable, "-c", "pass"],
            'python -c "import pandas, pydantic"': [
                sys.executable,
                "-c",
                "import pandas, pydantic",
            ],
            "remarkit --help": [*remarkit, "--help"],
            "remarkit plugins": [*remarkit, "plugins"],
            "remarkit validate": [*remarkit, "validate", str(spec)],
        }
        for argv in commands.values():  # warm the file cache
            timed(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, argv in commands.items():
                times[name].append(timed(argv))
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"CLI start-up, median of {ROUNDS} interleaved runs (load average {load}):")
    floor = statistics.median(times['python -c "import pandas, pydantic"'])
    for name, values in times.items():
        median = statistics.median(values)
        goal = GOALS.get(name)
        verdict = (
            "" if goal is None else f"  goal < {goal:g} s: {'met' if median < goal else 'NOT met'}"
        )
        print(
            f"  {name:<38} {median:6.3f} s  {median / floor:5.2f}x the pandas+pydantic floor{verdict}"
        )


if __name__ == "__main__":
    main()
