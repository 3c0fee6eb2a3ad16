"""Fixtures shared by the radiomics tests: the test study and one training run of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.executor import LocalExecutor, SerialExecutor
from tests.radiomics.study import write_study


def run_study(spec: Path, out: Path, *, jobs: int = 1, cache: bool = False) -> dict[str, Any]:
    """Run ``spec`` into ``out`` (serial or ``jobs`` workers); return results.json."""
    executor = SerialExecutor() if jobs == 1 else LocalExecutor(jobs)
    prepared = prepare(spec)
    run_prepared(
        prepared,
        out,
        use_cache=cache,
        cache_dir=out.parent / f"{out.name}-cache",
        executor=executor,
    )
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class TrainingRun:
    """The test study run once: its output folder and results.json."""

    spec: Path
    out: Path
    data: dict[str, Any]


@pytest.fixture(scope="session")
def radiomics_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The written study (shared, never modified: tests copy it before changing files)."""
    pytest.importorskip("radiomics")
    return write_study(tmp_path_factory.mktemp("radiomics") / "study")


@pytest.fixture(scope="session")
def radiomics_run(radiomics_study: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainingRun:
    """One serial, uncached run of the study (never modified: tests copy what they change)."""
    out = tmp_path_factory.mktemp("first") / "out"
    return TrainingRun(radiomics_study, out, run_study(radiomics_study, out))
