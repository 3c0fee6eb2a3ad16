"""survival_stratification: KM, log-rank, Cox and follow-up equal remarkit.stats; edge cases."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import InputErrors
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import (
    cox_regression,
    kaplan_meier,
    logrank_test,
    median_follow_up,
    survival_at,
    youden_threshold,
)
from tests.evaluators.conftest import Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "score_a", label = "A"}]
positive_label = "Predicted responder"
negative_label = "Predicted non-responder"
risk_times = [0, 12, 24, 36]
"""


def _groups(frame: pd.DataFrame) -> np.ndarray:
    y = (frame["response"] == "yes").to_numpy(int)
    train = (frame["set"] == "train").to_numpy()
    s = frame["score_a"].to_numpy(float)
    t = youden_threshold(y[train], s[train]).threshold
    return np.where(s >= t, "Predicted responder", "Predicted non-responder")


def test_numbers_equal_stats_on_raw_data(run_study: Runner) -> None:
    frame = evaluator_frame()
    result = ok(run_study(UNITS)["surv"])
    assert result["risk_times"] == [0.0, 12.0, 24.0, 36.0]
    groups = _groups(frame)
    score = result["scores"][0]
    assert [p["population"] for p in score["populations"]] == ["all", "train", "test"]
    for pop in score["populations"]:
        mask = (
            np.ones(len(frame), bool)
            if pop["population"] == "all"
            else (frame["set"] == pop["population"]).to_numpy()
        )
        t = frame["months"].to_numpy(float)[mask]
        e = frame["dead"].to_numpy(int)[mask]
        g = groups[mask]
        fu = median_follow_up(t, e)
        assert (pop["follow_up"], pop["follow_up_lower"], pop["follow_up_upper"]) == (
            fu.median,
            fu.lower,
            fu.upper,
        )
        lr = logrank_test(t, e, g)
        assert (pop["logrank_chi_square"], pop["logrank_p_value"]) == (lr.chisq, lr.p_value)
        data = pd.DataFrame(
            {
                "time": t,
                "event": e,
                "group": pd.Categorical(
                    g, categories=["Predicted responder", "Predicted non-responder"]
                ),
            }
        )
        cox = cox_regression(data, "time", "event", ["group"]).table.iloc[0]
        assert (pop["hr"], pop["hr_lower"], pop["hr_upper"], pop["hr_p_value"]) == (
            cox["hr"],
            cox["lower"],
            cox["upper"],
            cox["p_value"],
        )
        for group in pop["groups"]:
            sel = g == group["label"]
            km = kaplan_meier(t[sel], e[sel])
            want_median = None if np.isnan(km.median) else km.median
            assert group["median"] == want_median
            assert (group["n"], group["events"]) == (km.n, km.events)
            at = survival_at(km, [0, 12, 24, 36]).table["n_risk"].tolist()
            assert group["at_risk"] == at


def test_threshold_splitting_everyone_one_way_in_a_split_warns(run_study: Runner) -> None:
    frame = evaluator_frame()
    test = frame["set"] == "test"
    frame.loc[test, "score_a"] = frame.loc[test, "score_a"] + 50
    result = ok(run_study(UNITS, frame)["surv"])
    test_pop = result["scores"][0]["populations"][2]
    assert [g["label"] for g in test_pop["groups"]] == ["Predicted responder"]
    assert test_pop["logrank_p_value"] is None and test_pop["hr"] is None
    assert any(
        "A, test set: no patient is in the group 'Predicted non-responder'" in w
        for w in result["warnings"]
    )


def test_missing_survival_and_scores_are_dropped_with_named_warnings(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame["months"] = frame["months"].astype(object)
    frame.loc[4, "months"] = ""
    frame.loc[9, "score_a"] = np.nan
    result = ok(run_study(UNITS, frame)["surv"])
    everyone = result["scores"][0]["populations"][0]
    assert everyone["n"] == len(frame) - 2
    assert result["scores"][0]["excluded"] == ["P009"]
    assert any(
        "Survival: 1 patient(s) with a missing 'months' left out (P004)" in w
        for w in result["warnings"]
    )
    assert any(
        "A: 1 patient(s) with a missing 'score_a' left out (P009)" in w for w in result["warnings"]
    )


def test_hr_reference_can_be_the_negative_group(run_study: Runner) -> None:
    base = ok(run_study(UNITS)["surv"])["scores"][0]["populations"][0]
    flipped = ok(run_study(UNITS + 'hr_reference = "negative"\n')["surv"])
    row = flipped["scores"][0]["populations"][0]
    assert flipped["hr_reference"] == "Predicted non-responder"
    assert row["hr"] * base["hr"] == pytest.approx(1.0, rel=1e-9)


def test_fragment_and_figure(run_study: Runner) -> None:
    records = run_study(UNITS)
    out = records["__out__"]
    assert (out / "units" / "surv" / "km_1.svg").exists()
    html = str(render_unit(make_environment(), records["surv"], ReportState(out)))
    assert "Table 1." in html and "Figure 1." in html
    assert "reverse Kaplan-Meier" in html and "quantile.survfit" in html
    assert "Whole cohort" in html and "Test set" in html


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("months", -1.0, "negative survival time of endpoint 'survival' in row 5"),
        ("dead", 2, "event values ['2'] in row 5"),
    ],
)
def test_bad_survival_data_is_rejected_before_running(
    run_study: Runner, column: str, value: float, message: str
) -> None:
    frame = evaluator_frame()
    frame.loc[3, column] = value
    with pytest.raises(InputErrors, match=re.escape(message)):
        run_study(UNITS, frame)
