"""Fixtures for engine tests: a small study folder and a plugin manager with the test units."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from tests.plugins import engine_units

SPEC = """\
[study]
title = "Engine test study"
seed = 7

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.outcome]
column = "response"
positive = "yes"

[cohort.survival]
time = "months"
event = "dead"

[cohort.variables.age]
type = "continuous"

[cohort.variables.marker]
type = "continuous"

[cohort.variables.stage]
type = "categorical"
levels = ["I", "II", "III"]
reference = "I"

[[cohort.flow]]
label = "enrolled"
n = 45

[[cohort.flow]]
label = "no images"
excluded = 5
"""

UNITS = """
[[unit]]
id = "std"
use = "test_standardise"
column = "marker"

[[unit]]
id = "count"
use = "test_count"
column = "std.z"
threshold = 0.5
"""


def cohort_frame(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """A small cohort with every column the test spec names."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "pid": [f"P{i:02d}" for i in range(n)],
            "set": ["train"] * (n - 12) + ["test"] * 12,
            "response": ["yes", "no"] * (n // 2),
            "months": rng.uniform(1, 40, n).round(2),
            "dead": rng.integers(0, 2, n),
            "age": rng.integers(30, 80, n),
            "marker": rng.normal(10, 3, n).round(3),
            "stage": rng.choice(["I", "II", "III"], n),
        }
    )


StudyFactory = Callable[..., Path]


@pytest.fixture
def make_study(tmp_path: Path) -> StudyFactory:
    """Write a study folder; ``spec``/``units``/``frame``/``csv_text`` override the defaults."""

    def factory(
        *,
        spec: str = SPEC,
        units: str = UNITS,
        frame: pd.DataFrame | None = None,
        csv_text: str | None = None,
        folder: str = "study",
    ) -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        if csv_text is not None:
            (root / "cohort.csv").write_text(csv_text, encoding="utf-8")
        else:
            (frame if frame is not None else cohort_frame()).to_csv(
                root / "cohort.csv", index=False
            )
        path = root / "study.toml"
        path.write_text(spec + units, encoding="utf-8")
        return path

    return factory


@pytest.fixture
def plugins() -> Plugins:
    """A fresh plugin manager with the built-ins and the engine test units."""
    return make_plugin_manager(entry_points=[], extra_plugins=[("engine_units", engine_units)])
