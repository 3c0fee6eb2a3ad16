"""Fixtures for the export tests: the small report study of tests/report, exported once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from remarkit.export.run import export_report
from tests.report.conftest import run_report, write_study


@dataclass(frozen=True)
class Exported:
    """A compiled report and its export folder."""

    report: Path
    folder: Path

    @property
    def results(self) -> dict[str, Any]:
        return dict(json.loads((self.report / "results.json").read_text(encoding="utf-8")))

    @property
    def manifest(self) -> dict[str, Any]:
        return dict(json.loads((self.folder / "export.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def small_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compiled report (HTML and PDF) of the engine test study with the report test units."""
    root = tmp_path_factory.mktemp("export-report")
    spec = write_study(root / "study")
    return run_report(spec, root / "report").out


@pytest.fixture(scope="session")
def exported(small_report: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The small report exported once for the read-only tests."""
    folder = tmp_path_factory.mktemp("export") / "submission"
    export_report(small_report, folder)
    return Exported(small_report, folder)
