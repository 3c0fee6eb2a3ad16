"""A small synthetic clinical cohort and a harness that runs one unit on it directly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from remarkit import Unit, UnitContext, UnitResult
from remarkit.engine.cohort import Cohort
from remarkit.engine.executor import SerialExecutor
from remarkit.engine.load import load_study
from remarkit.engine.spec import Study
from remarkit.engine.validate import load_cohort

SPEC = """\
[study]
title = "Clinical unit tests"
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
"""

VARIABLES: dict[str, str] = {
    "afp0": 'type = "continuous"\nlabel = "AFP baseline"\nunit = "ng/ml"',
    "afp1": 'type = "continuous"\nlabel = "AFP follow-up"\nunit = "ng/ml"',
    "age": 'type = "continuous"\nlabel = "Age"\nunit = "years"',
    "platelets": 'type = "continuous"\nlabel = "Platelets"',
    "bmi": 'type = "continuous"\nlabel = "BMI"\nsummary = "mean"',
    "stage": 'type = "categorical"\nlabel = "Stage"\nlevels = ["I", "II", "III"]\nreference = "I"',
    "vessel": 'type = "categorical"\nlabel = "Dilated vessels"\nlevels = ["No", "Yes"]',
    "sex": 'type = "categorical"\nlabel = "Sex"\nlevels = ["F", "M"]',
}


def clinical_frame(n: int = 160, seed: int = 5) -> pd.DataFrame:
    """Patients with an AFP decline, platelets and vessels carrying signal for the outcome."""
    rng = np.random.default_rng(seed)
    afp0 = np.exp(rng.normal(4.5, 2.0, n)).round(2).clip(1.0, None)
    decline = np.where(rng.random(n) < 0.6, rng.uniform(40, 95, n), rng.uniform(-40, 45, n))
    afp1 = (afp0 * (1 - decline / 100)).round(2)
    platelets = rng.normal(200, 70, n).round()
    vessel = rng.random(n) < 0.5
    stage = rng.choice(["I", "II", "III"], n, p=[0.3, 0.4, 0.3])
    lp = 0.03 * (decline - 30) * (afp0 >= 7) - 0.01 * (platelets - 200) + 1.0 * vessel
    response = rng.random(n) < 1 / (1 + np.exp(-lp))
    return pd.DataFrame(
        {
            "pid": [f"P{i:03d}" for i in range(n)],
            "set": np.where(np.arange(n) % 4 == 3, "test", "train"),
            "response": np.where(response, "yes", "no"),
            "afp0": afp0,
            "afp1": afp1,
            "age": rng.normal(55, 10, n).round(),
            "platelets": platelets,
            "bmi": rng.normal(23, 3, n).round(1),
            "stage": stage,
            "vessel": np.where(vessel, "Yes", "No"),
            "sex": rng.choice(["F", "M"], n, p=[0.2, 0.8]),
        }
    )


def spec_text(variables: Mapping[str, str]) -> str:
    """The test study.toml with ``variables`` declared."""
    parts = [SPEC]
    for name, body in variables.items():
        parts.append(f"\n[cohort.variables.{name}]\n{body}\n")
    return "".join(parts)


@dataclass
class Harness:
    """A loaded study and cohort; ``run`` executes a unit with upstream columns merged in."""

    study: Study
    cohort: Cohort
    out: Path
    results: dict[str, UnitResult] = field(default_factory=dict)

    def run(
        self,
        unit_cls: type[Unit[Any, Any]],
        params: Mapping[str, Any],
        *,
        unit_id: str,
        upstream: tuple[str, ...] = (),
    ) -> Any:
        """Validate ``params``, run the unit, remember its result under ``unit_id``."""
        validated = unit_cls.Params.model_validate(dict(params))
        cohort = self.cohort
        for dep in upstream:
            cohort = cohort.with_derived(dep, self.results[dep].columns)
        ctx = UnitContext(
            unit_id=unit_id,
            study=self.study,
            cohort=cohort,
            upstream={d: self.results[d] for d in upstream},
            seed=self.study.study.seed,
            executor=SerialExecutor(),
            out_root=self.out,
        )
        result = unit_cls().run(ctx, validated)
        assert isinstance(result, unit_cls.Result)
        self.results[unit_id] = result
        return result


HarnessFactory = Callable[..., Harness]


@pytest.fixture
def harness(tmp_path: Path) -> HarnessFactory:
    """Build a :class:`Harness` from a frame (default :func:`clinical_frame`) and variables."""
    counter = iter(range(1000))

    def factory(
        frame: pd.DataFrame | None = None, variables: Mapping[str, str] | None = None
    ) -> Harness:
        root = tmp_path / f"study{next(counter)}"
        root.mkdir()
        (clinical_frame() if frame is None else frame).to_csv(root / "cohort.csv", index=False)
        (root / "study.toml").write_text(spec_text(variables or VARIABLES), encoding="utf-8")
        study = load_study(root / "study.toml")
        return Harness(study=study, cohort=load_cohort(study), out=root / "out")

    return factory
