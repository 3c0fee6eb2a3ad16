"""A synthetic study whose cohort variables serve as scores, and a runner for evaluator units."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputErrors

SPEC = """\
[study]
title = "Evaluator test study"
seed = 11

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.outcome]
column = "response"
positive = "yes"
label = "Response"

[cohort.survival]
time = "months"
event = "dead"

[cohort.variables.score_a]
type = "continuous"
label = "Score A"

[cohort.variables.score_b]
type = "continuous"
label = "Score B"

[cohort.variables.prob_a]
type = "continuous"
label = "Model A probability"

[cohort.variables.prob_b]
type = "continuous"
label = "Model B probability"

[cohort.variables.age]
type = "continuous"
label = "Age"

[cohort.variables.marker]
type = "continuous"

[cohort.variables.stage]
type = "categorical"
levels = ["I", "II"]

[cohort.variables.regimen]
type = "categorical"
label = "Regimen"
levels = ["R1", "R2", "R3"]

[cohort.variables.resection]
type = "categorical"
label = "Resection"
levels = ["No", "Yes"]

[cohort.variables.grade]
type = "categorical"
label = "Grade"
levels = ["G1", "G2", "G3"]
"""


def evaluator_frame(n: int = 240, n_test: int = 80, seed: int = 5) -> pd.DataFrame:
    """Patients with an outcome, two informative scores, two probabilities and survival."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.45
    latent = rng.normal(0, 1, n) + 1.2 * y
    score_a = latent.round(3)
    score_b = (0.6 * latent + 0.8 * rng.normal(0, 1, n)).round(1)
    prob_a = expit(-0.3 + 1.1 * latent).round(4).clip(0.0001, 0.9999)
    prob_b = expit(-0.1 + 0.6 * latent + 0.5 * rng.normal(0, 1, n)).round(4).clip(0.0001, 0.9999)
    hazard = np.where(latent > 0.6, 0.02, 0.06)
    death = rng.exponential(1 / hazard)
    follow = rng.uniform(6, 48, n)
    regimen = rng.choice(["R1", "R2", "R3"], n, p=[0.55, 0.38, 0.07])
    resection = np.where(y, np.where(rng.random(n) < 0.3 + 0.3 * (latent > 1), "Yes", "No"), "")
    grade = np.where(latent > 1.2, "G3", np.where(latent > 0.2, "G2", "G1"))
    return pd.DataFrame(
        {
            "pid": [f"P{i:03d}" for i in range(n)],
            "set": ["train"] * (n - n_test) + ["test"] * n_test,
            "response": np.where(y, "yes", "no"),
            "months": np.minimum(death, follow).round(2).clip(0.1, None),
            "dead": (death < follow).astype(int),
            "score_a": score_a,
            "score_b": score_b,
            "prob_a": prob_a,
            "prob_b": prob_b,
            "age": rng.integers(30, 80, n),
            "marker": rng.normal(10, 3, n).round(3),
            "stage": rng.choice(["I", "II"], n),
            "regimen": regimen,
            "resection": resection,
            "grade": grade,
        }
    )


Runner = Callable[..., dict[str, Any]]


@pytest.fixture
def run_study(tmp_path: Path) -> Runner:
    """Run ``units`` (TOML text) on ``frame``; return {unit id: its results.json record}."""
    counter = iter(range(1000))

    def run(units: str, frame: pd.DataFrame | None = None, spec: str = SPEC) -> dict[str, Any]:
        root = tmp_path / f"study{next(counter)}"
        root.mkdir()
        (evaluator_frame() if frame is None else frame).to_csv(root / "cohort.csv", index=False)
        path = root / "study.toml"
        path.write_text(spec + units, encoding="utf-8")
        prepared = prepare(path, make_plugin_manager(entry_points=[]))
        run_prepared(prepared, root / "out", use_cache=False)
        data = json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))
        out = {u["id"]: u for u in data["units"]}
        out["__out__"] = root / "out"
        return out

    return run


def ok(record: dict[str, Any]) -> dict[str, Any]:
    """The result of a unit that must have succeeded (shows the error otherwise)."""
    assert record["status"] == "ok", record["error"]
    result: dict[str, Any] = record["result"]
    return result


__all__ = ["SPEC", "InputErrors", "Runner", "evaluator_frame", "ok"]
