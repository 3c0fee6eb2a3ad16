"""discrimination: numbers equal remarkit.stats on the raw data; threshold frozen on train; bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import auc_ci, diagnostic_metrics, youden_threshold
from tests.evaluators.conftest import Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a", label = "Score A model"}, {column = "score_b"}]
"""


def test_numbers_equal_stats_on_raw_data(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["perf"])
    frame = evaluator_frame()
    y = (frame["response"] == "yes").to_numpy(int)
    train = (frame["set"] == "train").to_numpy()
    for block, column in zip(result["scores"], ["score_a", "score_b"], strict=True):
        s = frame[column].to_numpy(float)
        best = youden_threshold(y[train], s[train])
        assert block["threshold"]["value"] == best.threshold
        assert block["threshold"]["tied"] == best.tied_thresholds
        for split, mask in (("train", train), ("test", ~train)):
            auc = auc_ci(y[mask], s[mask])
            got = block[split]
            assert (got["auc"], got["auc_lower"], got["auc_upper"]) == (
                auc.auc,
                auc.lower,
                auc.upper,
            )
            metrics = diagnostic_metrics(y[mask], (s[mask] >= best.threshold).astype(int))
            for name in ("sensitivity", "specificity", "ppv", "npv", "accuracy"):
                want = getattr(metrics, name)
                assert got[name]["estimate"] == want.estimate
                assert (got[name]["lower"], got[name]["upper"]) == (want.lower, want.upper)
            assert (got["tp"], got["fp"], got["tn"], got["fn"]) == (
                metrics.tp,
                metrics.fp,
                metrics.tn,
                metrics.fn,
            )
    assert result["scores"][0]["label"] == "Score A model"
    assert result["scores"][1]["label"] == "Score B"  # the cohort label
    assert result["warnings"] == []


def test_threshold_is_fixed_on_train_only(run_study: Runner) -> None:
    frame = evaluator_frame()
    changed = frame.copy()
    test = changed["set"] == "test"
    changed.loc[test, "score_a"] = changed.loc[test, "score_a"] * 3 + 1
    base = ok(run_study(UNITS, frame)["perf"])["scores"][0]
    moved = ok(run_study(UNITS, changed)["perf"])["scores"][0]
    assert moved["threshold"] == base["threshold"]
    assert moved["train"] == base["train"]
    assert moved["test"]["tp"] + moved["test"]["fp"] != base["test"]["tp"] + base["test"]["fp"]


def test_lower_direction_mirrors_higher(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame["score_b"] = -frame["score_a"]
    units = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a"}, {column = "score_b", direction = "lower"}]
"""
    higher, lower = ok(run_study(units, frame)["perf"])["scores"]
    assert lower["threshold"]["value"] == pytest.approx(-higher["threshold"]["value"])
    for split in ("train", "test"):
        for key in ("auc", "auc_lower", "auc_upper", "tp", "fp", "tn", "fn"):
            assert lower[split][key] == pytest.approx(higher[split][key], rel=1e-12)


def test_missing_scores_are_dropped_with_named_warning(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame.loc[[3, 7, 200], "score_b"] = np.nan
    result = ok(run_study(UNITS, frame)["perf"])
    a, b = result["scores"]
    assert a["excluded"] == [] and a["train"]["n"] + a["test"]["n"] == len(frame)
    assert b["excluded"] == ["P003", "P007", "P200"]
    assert b["train"]["n"] == a["train"]["n"] - 2 and b["test"]["n"] == a["test"]["n"] - 1
    assert any(
        "Score B: 3 patient(s) with a missing 'score_b' left out (P003, P007, P200)" in w
        for w in result["warnings"]
    )


def test_constant_training_score_is_a_clear_error(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame.loc[frame["set"] == "train", "score_b"] = 2.5
    record = run_study(UNITS, frame)["perf"]
    assert record["status"] == "failed"
    assert (
        "Score B: the score is constant on the training set (every value is 2.5)"
        in (record["error"])
    )


def test_class_missing_after_dropping_nan_is_a_clear_error(run_study: Runner) -> None:
    frame = evaluator_frame()
    cases = (frame["set"] == "test") & (frame["response"] == "yes")
    frame.loc[cases, "score_b"] = np.nan
    record = run_study(UNITS, frame)["perf"]
    assert record["status"] == "failed"
    assert "Score B, test set: no patients with the outcome" in record["error"]


def test_given_threshold_outside_train_range_is_an_error(run_study: Runner) -> None:
    units = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a", threshold = 99.0}]
"""
    record = run_study(units)["perf"]
    assert record["status"] == "failed"
    assert "threshold 99 lies outside the training scores' range" in record["error"]


def test_threshold_outside_test_range_is_a_named_warning(run_study: Runner) -> None:
    frame = evaluator_frame()
    test = frame["set"] == "test"
    frame.loc[test, "score_a"] = frame.loc[test, "score_a"] - 20
    result = ok(run_study(UNITS, frame)["perf"])
    block = result["scores"][0]
    assert block["test"]["tp"] + block["test"]["fp"] == 0
    assert block["test"]["ppv"]["estimate"] is None
    assert any(
        "lies outside the Score A model, test set scores" in w
        and "every patient there is predicted negative" in w
        for w in result["warnings"]
    )
    assert any("zero denominator: ppv is undefined" in w for w in result["warnings"])


def test_categorical_score_column_is_rejected(run_study: Runner) -> None:
    units = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "stage"}]
"""
    record = run_study(units)["perf"]
    assert record["status"] == "failed"
    assert "column 'stage' is categorical; a score must be a continuous column" in (record["error"])


def test_subgroups_reuse_the_training_threshold(run_study: Runner) -> None:
    frame = evaluator_frame()
    # regimen R3 in the test set: controls only, so that cell cannot be evaluated
    r3_test = (frame["set"] == "test") & (frame["regimen"] == "R3")
    frame.loc[r3_test, "response"] = "no"
    frame.loc[0, "regimen"] = ""
    units = UNITS.replace('use = "discrimination"', 'use = "discrimination"\nsubgroup = "regimen"')
    result = ok(run_study(units, frame)["perf"])
    cells = result["subgroups"]
    assert len(cells) == 3 * 2 * 2
    y = (frame["response"] == "yes").to_numpy(int)
    for cell in cells:
        mask = ((frame["regimen"] == cell["level"]) & (frame["set"] == cell["split"])).to_numpy()
        assert cell["n"] == int(mask.sum())
        block = next(b for b in result["scores"] if b["column"] == cell["column"])
        if cell["level"] == "R3" and cell["split"] == "test":
            assert cell["performance"] is None
            continue
        perf = cell["performance"]
        s = frame[cell["column"]].to_numpy(float)[mask]
        assert perf["threshold"] == block["threshold"]["value"]
        assert perf["auc"] == auc_ci(y[mask], s).auc
    assert any(
        "not evaluated: Score A model, Regimen = R3, test set: no patients with the outcome" in w
        for w in result["warnings"]
    )
    assert (
        "Regimen: 1 patient(s) with a missing 'regimen' are in no subgroup (P000)"
        in (result["warnings"])
    )
    assert sum(c["n"] for c in cells) == 2 * (len(frame) - 1)
    assert [f["name"] for f in result["figures"]] == ["roc", "roc_subgroups"]


def test_fragment_renders_table3_layout(run_study: Runner) -> None:
    records = run_study(UNITS)
    out: Path = records["__out__"]
    html = str(render_unit(make_environment(), records["perf"], ReportState(out)))
    assert "Table 1." in html and "Figure 1." in html
    assert html.count("Train set") == 2 and html.count("Test set") == 2
    assert "Clopper-Pearson" in html and "DeLong" in html
    auc = records["perf"]["result"]["scores"][0]["test"]["auc"]
    assert f"{auc:.2f} (" in html


def test_results_are_deterministic(run_study: Runner) -> None:
    first = run_study(UNITS)
    second = run_study(UNITS)
    assert json.dumps(first["perf"]["result"]) == json.dumps(second["perf"]["result"])
    svg = "units/perf/roc.svg"
    assert (first["__out__"] / svg).read_bytes() == (second["__out__"] / svg).read_bytes()
