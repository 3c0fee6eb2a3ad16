"""A study with the demo's synthetic genomics (36 patients) and a runner for the radiogenomics units.

The cohort is the demo's; its ``score`` column is a logistic function of the predictors the demo
plants the genomic signal from, so the units find the planted associations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from remarkit.demo.cohort import make_cohort
from remarkit.demo.genomics import GENOMICS_TOML, write_genomics
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputErrors

SEED = 2025

SPEC = """\
[study]
title = "Radiogenomics test study"
seed = 7

[cohort]
table = "cohort.csv"
id = "patient_id"

[cohort.split]
column = "set"

[cohort.outcome]
column = "response"
positive = "DCB"

[cohort.variables.score]
type = "continuous"
label = "Model score"

[cohort.variables.platelets]
type = "continuous"
label = "PLT"
"""


def demo_cohort() -> pd.DataFrame:
    """The demo cohort with a ``score`` column (missing for one genomic patient if asked)."""
    frame = make_cohort(SEED)
    afp0 = frame["afp_baseline"].to_numpy(float)
    decline = 1 - frame["afp_1month"].to_numpy(float) / afp0
    lp = (
        1.05 * ((afp0 >= 7) & (decline >= 0.6))
        + 0.55 * (afp0 < 7)
        - 0.006 * (frame["platelets"].to_numpy(float) - 220)
        + 1.0 * (frame["dilated_vasculature"].to_numpy() == "Yes")
    )
    frame["score"] = np.round(expit(lp - 1.0), 6)
    return frame


Runner = Callable[..., dict[str, Any]]


_CACHE: dict[tuple[str, str], dict[str, Any]] = {}


@pytest.fixture
def run_study(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """Run ``units`` on the demo cohort + genomics; return {unit id: results.json record}.

    ``genomics`` replaces the [genomics] section; ``edit(root)`` may change files before the run;
    ``cohort`` replaces the cohort table. Runs of the unchanged data are shared by the tests of
    a session (results are read-only) unless ``fresh``.
    """

    def run(
        units: str,
        *,
        genomics: str = GENOMICS_TOML,
        edit: Callable[[Path], None] | None = None,
        cohort: pd.DataFrame | None = None,
        fresh: bool = False,
    ) -> dict[str, Any]:
        key = (units, genomics)
        shared = edit is None and cohort is None and not fresh
        if shared and key in _CACHE:
            return _CACHE[key]
        root = tmp_path_factory.mktemp("study")
        frame = demo_cohort() if cohort is None else cohort
        frame.to_csv(root / "cohort.csv", index=False)
        write_genomics(root, demo_cohort(), SEED)
        if edit is not None:
            edit(root)
        (root / "study.toml").write_text(SPEC + genomics + units, encoding="utf-8")
        prepared = prepare(root / "study.toml", make_plugin_manager(entry_points=[]))
        run_prepared(prepared, root / "out", use_cache=False)
        data = json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))
        out: dict[str, Any] = {u["id"]: u for u in data["units"]}
        out["__root__"] = root
        if shared:
            _CACHE[key] = out
        return out

    return run


def ok(record: dict[str, Any]) -> dict[str, Any]:
    """The result of a unit that must have succeeded (shows the error otherwise)."""
    assert record["status"] == "ok", record["error"]
    result: dict[str, Any] = record["result"]
    return result


def failed(record: dict[str, Any]) -> str:
    """The one-line error of a unit that must have failed."""
    assert record["status"] == "failed", "the unit should have failed"
    message = str(record["error"])
    return message


def refused(run: Callable[[], object]) -> str:
    """The one error of a study refused before any unit ran: `prepare` reads every [genomics]
    file, so a broken one stops the run with exit code 2 (issue 16), not a failed unit."""
    with pytest.raises(InputErrors) as info:
        run()
    (error,) = info.value.errors
    return error.format()


def genomic_patients(root: Path) -> list[str]:
    """Patient ids of the MAF's samples (the demo's 36 genomic patients)."""
    maf = pd.read_csv(root / "genomics" / "mutations.maf", sep="\t")
    return sorted({s[:7] for s in maf["Tumor_Sample_Barcode"]})
