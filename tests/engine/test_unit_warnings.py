"""Warnings raised inside a unit go into its result's warnings, not to stderr (issue 16, 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.conftest import StudyFactory


@pytest.fixture(autouse=True)
def _units(test_plugin_installed: str) -> None:
    """Every test here runs with the engine test units installed."""


def test_library_warnings_are_recorded_in_the_result(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    spec = make_study(units='\n[[unit]]\nid = "w"\nuse = "test_warns"\n')
    out = tmp_path / "out"
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(repo)])}
    env.pop("PYTHONWARNINGS", None)
    command = [sys.executable, "-m", "remarkit.cli.main", "run", str(spec), "--out", str(out)]
    done = subprocess.run(
        [*command, "--no-cache"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    recorded = data["units"][0]["result"]["warnings"]
    assert recorded[0] == "recorded by the unit"
    assert len(recorded) == 4, recorded
    assert any(w.startswith("UserWarning: ") and "5000" in w for w in recorded)
    assert any(w.startswith("RuntimeWarning: ") and "divide by zero" in w for w in recorded)
    assert "UserWarning: a unit's own warning" in recorded
    # deprecations are about the software (and fire on first import only): never recorded
    assert not any("Deprecation" in w for w in recorded)
