"""A small trained study with a logistic integrator (module-scoped: fitted once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.testing.runs import UnitRun, run_unit
from remarkit.testing.study import write_synthetic_study

TRAIN_UNITS = [
    {
        "id": "afp",
        "use": "marker_response",
        "baseline": "afp_baseline",
        "follow_up": "afp_1month",
        "normal_limit": 7.0,
        "bootstrap": 100,
    },
    {"id": "clin", "use": "logistic_model", "variables": ["platelets", "dilated_vasculature"]},
    {
        "id": "integ",
        "use": "logistic_integrator",
        "title": "Integrated model",
        "variables": ["clin.linear_predictor", "afp.response", "platelets"],
        "labels": {"clin.linear_predictor": "Clinical signature"},
    },
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> UnitRun:
    """The training run (80 synthetic patients), its output folder holding the frozen model."""
    root = tmp_path_factory.mktemp("integrator")
    spec = write_synthetic_study(root / "train", units=TRAIN_UNITS, patients=80)
    return run_unit(spec, "integ", out_dir=root / "train_out")


def external_study(
    folder: Path, units: list[dict[str, object]], *, seed: int = 99, patients: int = 60
) -> Path:
    """A second synthetic cohort (another seed) with the given units."""
    return write_synthetic_study(folder, units=units, patients=patients, seed=seed)
