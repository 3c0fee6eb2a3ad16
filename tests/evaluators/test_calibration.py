"""calibration: val.prob statistics, Hosmer-Lemeshow and Spiegelhalter equal remarkit.stats."""

from __future__ import annotations

import numpy as np

from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import calibration, hosmer_lemeshow, spiegelhalter_z
from tests.evaluators.conftest import Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "cal"
use = "calibration"
scores = [{column = "prob_a"}, {column = "prob_b", label = "Model B"}]
"""


def test_statistics_equal_stats_on_raw_data(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["cal"])
    frame = evaluator_frame()
    y = (frame["response"] == "yes").to_numpy(int)
    for model, column in zip(result["models"], ["prob_a", "prob_b"], strict=True):
        assert [s["split"] for s in model["sets"]] == ["train", "test"]
        for row in model["sets"]:
            mask = (frame["set"] == row["split"]).to_numpy()
            p = frame[column].to_numpy(float)[mask]
            cal = calibration(y[mask], p)
            hl = hosmer_lemeshow(y[mask], p, groups=10)
            sz = spiegelhalter_z(y[mask], p)
            assert (row["intercept"], row["slope"], row["brier"], row["emax"]) == (
                cal.intercept,
                cal.slope,
                cal.brier,
                cal.emax,
            )
            assert (row["hl_chi_square"], row["hl_df"], row["hl_p_value"]) == (
                hl.chi_square,
                hl.df,
                hl.p_value,
            )
            assert (row["spiegelhalter_z"], row["spiegelhalter_p_value"]) == (sz.z, sz.p_value)
            assert [b["observed"] for b in row["bins"]] == cal.bins["observed"].tolist()
            assert sum(b["n"] for b in row["bins"]) == row["n"] == int(mask.sum())
    assert [f["name"] for f in result["figures"]] == ["calibration_1", "calibration_2"]


def test_column_outside_unit_interval_is_named(run_study: Runner) -> None:
    units = UNITS.replace('{column = "prob_a"}', '{column = "score_a"}')
    record = run_study(units)["cal"]
    assert record["status"] == "failed"
    assert "column 'score_a' is not a predicted probability" in record["error"]
    assert "lie outside (0, 1)" in record["error"]


def test_exact_zero_probability_is_rejected(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame.loc[5, "prob_a"] = 0.0
    record = run_study(UNITS, frame)["cal"]
    assert record["status"] == "failed"
    assert "1 value(s) lie outside (0, 1)" in record["error"]


def test_too_few_distinct_probabilities_skip_hosmer_lemeshow_with_warning(
    run_study: Runner,
) -> None:
    frame = evaluator_frame()
    test = frame["set"] == "test"
    # two distinct risks in the test set: HL has only two non-empty groups
    frame.loc[test, "prob_b"] = np.where(frame.loc[test, "score_a"] > 0.5, 0.7, 0.3)
    result = ok(run_study(UNITS, frame)["cal"])
    test_row = result["models"][1]["sets"][1]
    assert test_row["hl_p_value"] is None and test_row["hl_df"] is None
    assert test_row["spiegelhalter_z"] is not None
    assert any(
        "Hosmer-Lemeshow not computed: Model B, test set: Hosmer-Lemeshow needs at least 3" in w
        for w in result["warnings"]
    )


def test_fragment(run_study: Runner) -> None:
    records = run_study(UNITS)
    html = str(render_unit(make_environment(), records["cal"], ReportState(records["__out__"])))
    assert "Table 1." in html and "Figure 2." in html
    assert "Hosmer-Lemeshow" in html and "Spiegelhalter" in html
