"""The REMARK profile lists every analysis with the set, endpoint, n and events it actually used.

A study with a binary outcome and two time-to-event endpoints (tests/survival's cohort) runs
built-in units fitted on the training set, evaluated per set and analysing survival; each
profile row must equal the numbers in the unit's own result tables, and those equal counts
taken straight from the cohort table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.report.profile import AnalysisRow, build_profile
from tests.survival.conftest import SPEC, VARIABLES, spec_text, survival_frame

UNITS = """
[[unit]]
id = "table1"
use = "baseline_table"
by = "outcome"
subset = "train"
variables = ["age", "stage"]

[[unit]]
id = "uni"
use = "univariable_logistic"
variables = ["marker", "age"]

[[unit]]
id = "model"
use = "logistic_model"
variables = ["age", "stage"]

[[unit]]
id = "auc"
use = "discrimination"
scores = [{ column = "marker" }]

[[unit]]
id = "km"
use = "survival_stratification"
scores = [{ column = "marker" }]
populations = ["all", "test"]

[[unit]]
id = "cox_pfs"
use = "univariable_cox"
endpoint = "pfs"
variables = ["marker", "age"]
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], pd.DataFrame]:
    root = tmp_path_factory.mktemp("profile")
    frame = survival_frame()
    frame.to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(spec_text(VARIABLES, SPEC) + UNITS, encoding="utf-8")
    run_prepared(prepare(root / "study.toml"), root / "out", use_cache=False)
    results = json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))
    bad = [(u["id"], u["error"]) for u in results["units"] if u["status"] != "ok"]
    assert not bad
    return results, frame


def _rows(results: dict[str, Any], unit_id: str) -> list[AnalysisRow]:
    return [a for a in build_profile(results).analyses if a.unit_id == unit_id]


def _result(results: dict[str, Any], unit_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(u for u in results["units"] if u["id"] == unit_id)["result"]
    return found


def _cohort(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.copy()
    data["marker"] = pd.to_numeric(data["marker"], errors="coerce")
    data["pfs"] = pd.to_numeric(data["pfs"], errors="coerce")
    data["y"] = (data["response"] == "yes").astype(int)
    return data


def test_every_analysis_declares_its_population(run: tuple[dict[str, Any], pd.DataFrame]) -> None:
    results, _ = run
    for row in build_profile(results).analyses:
        assert row.counts_from == "analysis", row
        assert row.sets and row.n is not None, row


def test_survival_analysis_counts_deaths_not_the_binary_outcome(
    run: tuple[dict[str, Any], pd.DataFrame],
) -> None:
    results, frame = run
    data = _cohort(frame)
    rows = _rows(results, "km")
    populations = _result(results, "km")["scores"][0]["populations"]
    assert [(r.sets, r.n, r.events) for r in rows] == [
        ({"all": "Whole cohort", "test": "Test set"}[p["population"]], p["n"], p["events"])
        for p in populations
    ]
    assert {r.endpoint for r in rows} == {"Overall survival (death)"}
    scored = data[data["marker"].notna()]
    test = scored[scored["set"] == "test"]
    assert (rows[0].n, rows[0].events) == (len(scored), int(scored["death"].sum()))
    assert (rows[1].n, rows[1].events) == (len(test), int(test["death"].sum()))
    assert rows[0].events != int(scored["y"].sum())  # not the binary outcome's events


def test_training_set_fits_list_training_counts(run: tuple[dict[str, Any], pd.DataFrame]) -> None:
    results, frame = run
    data = _cohort(frame)
    train = data[data["set"] == "train"]
    (model,) = _rows(results, "model")
    result = _result(results, "model")
    assert (model.sets, model.endpoint, model.analysis) == (
        "Training set",
        "response = yes",
        "model fit",
    )
    assert (model.n, model.events) == (result["n"], result["events"])
    assert (model.n, model.events) == (len(train), int(train["y"].sum()))
    # univariable models: the marker misses values, so its model has fewer patients than age's
    uni = _rows(results, "uni")
    fits = {v["variable"]: (v["n"], v["events"]) for v in _result(results, "uni")["variables"]}
    assert sorted((r.n, r.events) for r in uni) == sorted(fits.values())
    with_marker = train[train["marker"].notna()]
    assert fits["marker"] == (len(with_marker), int(with_marker["y"].sum()))
    assert {r.analysis for r in uni} == {"Marker", "Age"}
    (table,) = _rows(results, "table1")
    groups = _result(results, "table1")["groups"]
    assert (table.n, table.events) == (groups[0]["n"] + groups[1]["n"], groups[0]["n"])


def test_evaluator_rows_per_set(run: tuple[dict[str, Any], pd.DataFrame]) -> None:
    results, _ = run
    score = _result(results, "auc")["scores"][0]
    rows = _rows(results, "auc")
    assert [(r.code[-1], r.sets, r.n, r.events) for r in rows] == [
        ("a", "Training set", score["train"]["n"], score["train"]["n_cases"]),
        ("b", "Test set", score["test"]["n"], score["test"]["n_cases"]),
    ]


def test_second_endpoint_and_patients_table(run: tuple[dict[str, Any], pd.DataFrame]) -> None:
    results, frame = run
    data = _cohort(frame)
    rows = _rows(results, "cox_pfs")
    models = _result(results, "cox_pfs")["models"]
    assert sorted((r.n, r.events) for r in rows) == sorted((m["n"], m["events"]) for m in models)
    assert {(r.sets, r.endpoint) for r in rows} == {
        ("Training set", "Progression-free survival (progression)")
    }
    patients = {row.label: row for row in build_profile(results).patients}
    deaths = patients["Overall survival: events (death = 1)"]
    train = data[data["set"] == "train"]
    assert deaths.n == int(data["death"].sum())
    assert deaths.remark == (
        f"{int(train['death'].sum())} of {len(train)} training, "
        f"{int(data['death'].sum() - train['death'].sum())} of {len(data) - len(train)} test"
    )
    with_pfs = data[data["pfs"].notna()]
    assert patients["Progression-free survival: events (progression = 1)"].n == int(
        with_pfs["progression"].sum()
    )
    assert patients["Progression-free survival: time or event missing"].n == 2


def test_profile_table_in_the_report(
    run: tuple[dict[str, Any], pd.DataFrame], tmp_path: Path
) -> None:
    from remarkit.report.render import ReportState
    from remarkit.report.templates import make_environment

    results, _ = run
    env = make_environment(None, [])
    html = env.get_template("report/checklists.html").render(
        checklists=[],
        profile=build_profile(results),
        cohort=results["cohort"],
        report=ReportState(tmp_path),
    )
    assert '<th scope="col">Endpoint</th>' in html
    assert "km (survival_stratification): Marker" not in html  # one score: no analysis name
    assert "Overall survival (death)" in html and "Training set" in html
