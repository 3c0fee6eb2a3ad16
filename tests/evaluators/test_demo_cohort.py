"""The evaluator units at the demo cohort's size, with cohort variables as scores."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit

from remarkit.demo import DEFAULT_SEED, demo_table, make_cohort
from remarkit.demo.spec import study_toml
from remarkit.demo.units_evaluators import EVALUATOR_UNITS
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager

SCORES = """[
  {column = "platelets", label = "Platelet count", direction = "lower"},
  {column = "plt_risk", label = "Platelet risk"},
  {column = "creatinine", label = "Creatinine"},
]"""
RISKS = """[
  {column = "plt_risk", label = "Platelet risk"},
  {column = "afp_risk", label = "AFP decline risk"},
]"""

UNITS = f"""
[[unit]]
id = "performance"
use = "discrimination"
subgroup = "regimen"
scores = {SCORES}

[[unit]]
id = "auc_comparison"
use = "model_comparison"
scores = {RISKS}

[[unit]]
id = "calibration"
use = "calibration"
scores = {RISKS}

[[unit]]
id = "survival_by_model"
use = "survival_stratification"
scores = {RISKS}

[[unit]]
id = "scores_by_resection"
use = "group_comparison"
group = "resection"
subset = [{{outcome = "positive"}}]
scores = {RISKS}

[[unit]]
id = "scores_by_pcr"
use = "group_comparison"
group = "pcr"
subset = [{{column = "resection", levels = ["Yes"]}}]
scores = {RISKS}

[[unit]]
id = "scores_by_mrecist"
use = "group_comparison"
group = "mrecist"
scores = {RISKS}

[[unit]]
id = "decision_curves"
use = "decision_curve"
scores = {RISKS}

[[unit]]
id = "internal_validation"
use = "internal_validation"
n_boot = 50
models = [{{label = "PLT + vasculature", predictors = ["platelets", "dilated_vasculature"]}}]
"""

EXTRA_VARIABLES = """
[cohort.variables.plt_risk]
type = "continuous"
label = "Platelet risk"

[cohort.variables.afp_risk]
type = "continuous"
label = "AFP decline risk"
"""


def _demo_study(folder: Path, units: str) -> Path:
    """The demo cohort plus two risk columns, with ``units`` (and no image section)."""
    frame = demo_table(DEFAULT_SEED)
    frame["plt_risk"] = expit(1.2 - (frame["platelets"] - 220) / 90).round(4)
    decline = 1 - frame["afp_1month"] / frame["afp_baseline"]
    frame["afp_risk"] = expit(-0.2 + 2.0 * decline.clip(-1, 1)).round(4)
    folder.mkdir(parents=True)
    frame.to_csv(folder / "cohort.csv", index=False)
    text = re.sub(r"\n\[images\]\n[^\[]*", "\n", study_toml(DEFAULT_SEED, units))
    spec = folder / "study.toml"
    spec.write_text(text + EXTRA_VARIABLES, encoding="utf-8")
    return spec


def _run(tmp_path: Path, units: str) -> dict[str, Any]:
    spec = _demo_study(tmp_path / "study", units)
    run_prepared(
        prepare(spec, make_plugin_manager(entry_points=[])), tmp_path / "out", use_cache=False
    )
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    return {u["id"]: u for u in data["units"]}


def test_every_evaluator_runs_on_the_demo_cohort(tmp_path: Path) -> None:
    records = _run(tmp_path, UNITS)
    for uid, record in records.items():
        assert record["status"] == "ok", f"{uid}: {record['error']}"
        assert record["methods"]
    perf = records["performance"]["result"]
    assert [s["train"]["n"] for s in perf["scores"]] == [153, 153, 153 - _missing_train(perf)]
    creatinine = perf["scores"][2]
    assert len(creatinine["excluded"]) == 3
    assert any(
        "Creatinine: 3 patient(s) with a missing 'creatinine' left out" in w
        for w in perf["warnings"]
    )
    # platelets (lower = DCB) and its decreasing risk transform rank patients identically
    plt, risk = perf["scores"][0], perf["scores"][1]
    for split in ("train", "test"):
        assert np.isclose(plt[split]["auc"], risk[split]["auc"], rtol=1e-12)
        assert plt[split]["tp"] == risk[split]["tp"]
    assert {c["level"] for c in perf["subgroups"]} == {
        "ICIs + interventional",
        "ICIs + antiangiogenic",
        "ICIs + antiangiogenic + interventional",
    }
    resection = records["scores_by_resection"]["result"]
    assert resection["n"] == 128  # the demo's DCB patients
    assert resection["scores"][0]["test"] == "mann_whitney"
    pcr = records["scores_by_pcr"]["result"]
    resected = int((make_cohort(DEFAULT_SEED)["resection"] == "Yes").sum())
    assert pcr["n"] == resected and pcr["subset"] == "patients with Sequential resection = Yes"
    mrecist = records["scores_by_mrecist"]["result"]
    assert mrecist["scores"][0]["test"] == "kruskal_wallis"
    assert [g["level"] for g in mrecist["scores"][0]["groups"]] == ["CR", "PR", "SD", "PD"]
    surv = records["survival_by_model"]["result"]
    assert surv["positive_label"] == surv["negative_label"] == ""  # not given: named per score
    # the scores here are cohort columns (not a unit's output): groups named by threshold
    first = surv["scores"][0]
    t = f"{first['threshold']['value']:.4g}"
    assert first["positive_label"] == f"{first['label']} ≥ {t}"
    assert first["negative_label"] == f"{first['label']} < {t}"
    assert sum(p["n"] for p in surv["scores"][0]["populations"][1:]) == 203


def _missing_train(perf: dict[str, Any]) -> int:
    excluded = set(perf["scores"][2]["excluded"])
    frame = make_cohort(DEFAULT_SEED)
    return int(frame[frame["patient_id"].isin(excluded)]["set"].eq("train").sum())


def test_demo_unit_tables_parse_and_plan() -> None:
    assert len(EVALUATOR_UNITS) == 9
    used = {unit["use"] for unit in EVALUATOR_UNITS}
    for name in (
        "discrimination",
        "model_comparison",
        "calibration",
        "survival_stratification",
        "group_comparison",
        "decision_curve",
        "internal_validation",
    ):
        assert name in used
