"""CLINICAL_UNITS run through the engine on the demo cohort: what results.json must hold."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from remarkit.cli.main import main
from remarkit.demo import demo_table
from remarkit.demo.spec import study_toml
from remarkit.demo.units_clinical import CLINICAL_UNITS
from remarkit.engine.plugin_manager import make_plugin_manager


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo_clinical")
    demo_table(2025).to_csv(root / "cohort.csv", index=False, lineterminator="\n")
    # the clinical units need no images: drop the [images] table the demo adds for the scorers
    text = re.sub(r"\n\[images\]\n(?:[^\n\[]+\n)*", "\n", study_toml(2025, CLINICAL_UNITS))
    (root / "study.toml").write_text(text, encoding="utf-8")
    folder = root / "out"
    assert main(["run", str(root / "study.toml"), "--out", str(folder), "--no-cache"]) == 0
    return folder


@pytest.fixture(scope="module")
def results(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


def _unit(results: dict[str, Any], uid: str) -> dict[str, Any]:
    unit: dict[str, Any] = next(u for u in results["units"] if u["id"] == uid)
    assert unit["status"] == "ok", unit["error"]
    return unit


def test_units_are_registered() -> None:
    names = set(make_plugin_manager(entry_points=[]).units().units)
    expected = {"marker_response", "baseline_table", "univariable_logistic"}
    assert expected | {"multivariable_logistic", "logistic_model"} <= names


def test_results_hold_threshold_tables_vif_and_predictions(results: dict[str, Any]) -> None:
    afp = _unit(results, "afp")["result"]
    assert afp["youden_threshold"] is not None and afp["threshold"] == 60.0
    assert afp["bootstrap_lower"] < afp["youden_threshold"] < afp["bootstrap_upper"]
    table1 = _unit(results, "table1")["result"]
    assert [g["n"] for g in table1["groups"]] == [153, 50]
    assert any(r["variable"] == "afp.response" for r in table1["rows"])
    creatinine = next(r for r in table1["rows"] if r["variable"] == "creatinine")
    assert creatinine["total"]["missing"] == 3
    multi = _unit(results, "multivariable")["result"]
    assert multi["selection"] == "univariable" and multi["univariable"]
    assert {"afp.response", "dilated_vasculature"} <= set(multi["selected"])
    assert len(multi["vif"]) == len(multi["selected"])
    for uid in ("clinical_afp", "clinical_no_afp"):
        unit = _unit(results, uid)
        probability = next(c for c in unit["result"]["columns"] if c["name"] == "probability")
        assert len(probability["values"]) == 203
        assert all(0 < p < 1 for p in probability["values"])
        assert unit["result"]["coefficients"][0]["term"] == "(Intercept)"
    assert _unit(results, "clinical_afp")["depends_on"] == ["afp"]


def test_methods_and_report_fragments(results: dict[str, Any]) -> None:
    for uid in ("afp", "table1", "univariable", "multivariable", "clinical_afp"):
        methods = _unit(results, uid)["methods"]
        assert "training set" in methods or "Patient characteristics" in methods
        assert "(methods text unavailable" not in methods


def test_report_contains_the_tables(out: Path) -> None:
    html = (out / "report.html").read_text(encoding="utf-8")
    for caption in (
        "AFP response: decline threshold fitted on the training set",
        "Baseline characteristics by data set",
        "Univariable and multivariable logistic regression for Durable clinical benefit",
        "generalised variance inflation factors",
        "Clinical model with AFP response: logistic model",
    ):
        assert caption in html
