"""deep_score passes remarkit.testing.check_unit (determinism, no leakage, apply, ...)."""

from __future__ import annotations

from pathlib import Path

from remarkit.engine.plugin_manager import Plugins
from remarkit.testing.conformance import CHECKS, check_unit
from tests.deep_learning.conftest import FAST
from tests.deep_learning.phantoms import write_study


def test_deep_score_conforms(tmp_path: Path, deep_plugins: Plugins) -> None:
    write_study(tmp_path / "study", FAST, n=30, n_test=8, seed=3)
    report = check_unit(
        tmp_path / "study" / "study.toml", "a_cnn", work_dir=tmp_path / "work", plugins=deep_plugins
    )
    report.raise_for_problems()
    assert set(report.passed) == set(CHECKS)
