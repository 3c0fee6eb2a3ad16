"""Fixtures for report tests: a study run with test units (tables, figures, a failure)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.report.compile import CompiledReport, compile_report
from tests.engine.conftest import SPEC, cohort_frame
from tests.plugins import engine_units, report_units

NARRATIVE = """
[study.narrative]
patients = "Consecutive adults with the disease."
treatment = "Standard care."
"""

UNITS = """
[[unit]]
id = "std"
use = "test_standardise"
column = "marker"

[[unit]]
id = "groups"
use = "test_report_groups"
column = "age"

[[unit]]
id = "count"
use = "test_count"
column = "std.z"
threshold = 0.5

[[unit]]
id = "boom"
use = "test_fail"

[[unit]]
id = "after"
use = "test_fail"
after = ["boom"]
"""

STUDY_HEADER = '[study]\ntitle = "Engine test study"\nseed = 7\n'


@dataclass(frozen=True)
class ReportRun:
    """A compiled report: its folder, results.json as a dict, the HTML text."""

    out: Path
    results: dict[str, Any]
    compiled: CompiledReport

    @property
    def html(self) -> str:
        return (self.out / "report.html").read_text(encoding="utf-8")


def report_plugins() -> Plugins:
    """Built-ins plus the engine and report test units."""
    return make_plugin_manager(
        entry_points=[],
        extra_plugins=[("engine_units", engine_units), ("report_units", report_units)],
    )


def write_study(
    root: Path,
    *,
    study_extra: str = NARRATIVE,
    units: str = UNITS,
    spec_tail: str = "",
    frame: pd.DataFrame | None = None,
) -> Path:
    """Write a study folder (the engine tests' spec plus narrative and units)."""
    root.mkdir(parents=True, exist_ok=True)
    (frame if frame is not None else cohort_frame()).to_csv(root / "cohort.csv", index=False)
    spec = SPEC.replace(STUDY_HEADER, STUDY_HEADER + study_extra, 1) + spec_tail + units
    path = root / "study.toml"
    path.write_text(spec, encoding="utf-8")
    return path


def run_report(spec: Path, out: Path, *, use_cache: bool = False, **kwargs: Any) -> ReportRun:
    """Run a study with the report test plugins and compile its report."""
    plugins = report_plugins()
    prepared = prepare(spec, plugins)
    compiled: list[CompiledReport] = []

    def finalize(staging: Path, results: Any) -> None:
        compiled.append(
            compile_report(staging, results.model_dump(mode="json"), plugins=plugins, **kwargs)
        )

    run_prepared(prepared, out, use_cache=use_cache, finalize=finalize)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return ReportRun(out, results, compiled[0])


@pytest.fixture(scope="session")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    """One compiled report shared by the read-only tests."""
    root = tmp_path_factory.mktemp("report")
    spec = write_study(root / "study")
    return run_report(spec, root / "out")
