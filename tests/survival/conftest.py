"""Survival cohorts (synthetic, and GBSG when /work/shared/data is present) and a unit harness."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.load import load_study
from remarkit.engine.validate import load_cohort
from tests.clinical.conftest import Harness
from tests.shared_data import BREAST

GBSG = BREAST / "gbsg.csv"

SPEC = """\
[study]
title = "Survival unit tests"
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
time = "os"
event = "death"
unit = "months"
label = "Overall survival"

[cohort.endpoints.pfs]
time = "pfs"
event = "progression"
unit = "months"
label = "Progression-free survival"
"""

VARIABLES: dict[str, str] = {
    "marker": 'type = "continuous"\nlabel = "Marker"\nunit = "ng/ml"',
    "age": 'type = "continuous"\nlabel = "Age"\nunit = "years"',
    "stage": 'type = "categorical"\nlabel = "Stage"\nlevels = ["I", "II", "III"]\nreference = "I"',
    "sex": 'type = "categorical"\nlabel = "Sex"\nlevels = ["F", "M"]',
}


def survival_frame(n: int = 240, seed: int = 3) -> pd.DataFrame:
    """Patients whose hazard rises with the marker (log scale), age and stage; some missing."""
    rng = np.random.default_rng(seed)
    marker = np.exp(rng.normal(3.0, 1.0, n)).round(2)
    age = rng.normal(60, 9, n).round()
    stage = rng.choice(["I", "II", "III"], n, p=[0.35, 0.4, 0.25])
    sex = rng.choice(["F", "M"], n)
    lp = (
        0.5 * np.log(marker)
        + 0.03 * (age - 60)
        + np.select([stage == "II", stage == "III"], [0.4, 0.9], 0.0)
    )
    os_time = rng.exponential(40 * np.exp(-lp + 1.5))
    censor = rng.uniform(5, 80, n)
    os = np.minimum(os_time, censor).round(1).clip(0.1, None)
    death = (os_time <= censor).astype(int)
    pfs = (os * rng.uniform(0.3, 1.0, n)).round(1).clip(0.1, None)
    progression = np.where(death == 1, 1, (rng.random(n) < 0.4).astype(int))
    frame = pd.DataFrame(
        {
            "pid": [f"S{i:03d}" for i in range(n)],
            "set": np.where(np.arange(n) % 3 == 2, "test", "train"),
            "response": np.where(rng.random(n) < 0.4, "yes", "no"),
            "marker": marker,
            "age": age,
            "stage": stage,
            "sex": sex,
            "os": os,
            "death": death,
            "pfs": pfs,
            "progression": progression,
        }
    )
    frame["marker"] = frame["marker"].astype(object)
    frame.loc[[4, 17, 33], "marker"] = "NA"
    frame["pfs"] = frame["pfs"].astype(object)
    frame.loc[[8, 9], "pfs"] = "NA"
    return frame


def spec_text(variables: Mapping[str, str], head: str = SPEC) -> str:
    """The test study.toml with ``variables`` declared."""
    parts = [head]
    for name, body in variables.items():
        parts.append(f"\n[cohort.variables.{name}]\n{body}\n")
    return "".join(parts)


SurvivalHarness = Callable[..., Harness]


@pytest.fixture
def surv_harness(tmp_path: Path) -> SurvivalHarness:
    """Build a Harness from a frame (default :func:`survival_frame`), variables and spec head."""
    counter = iter(range(1000))

    def factory(
        frame: pd.DataFrame | None = None,
        variables: Mapping[str, str] | None = None,
        head: str = SPEC,
    ) -> Harness:
        root = tmp_path / f"study{next(counter)}"
        root.mkdir()
        (survival_frame() if frame is None else frame).to_csv(root / "cohort.csv", index=False)
        (root / "study.toml").write_text(spec_text(variables or VARIABLES, head), "utf-8")
        study = load_study(root / "study.toml")
        return Harness(study=study, cohort=load_cohort(study), out=root / "out")

    return factory
