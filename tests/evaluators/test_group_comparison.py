"""group_comparison: tests equal remarkit.stats group tests within the subset; bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import InputErrors
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats.group_tests import kruskal_wallis, mann_whitney, t_test
from tests.evaluators.conftest import SPEC, Runner, evaluator_frame, ok

RESECTION = """
[[unit]]
id = "res"
use = "group_comparison"
group = "resection"
subset = [{outcome = "positive"}]
scores = [{column = "score_a"}, {column = "prob_a", label = "Risk A"}]
"""

GRADE = """
[[unit]]
id = "grade"
use = "group_comparison"
group = "grade"
scores = [{column = "score_b"}]
"""


def test_mann_whitney_within_the_outcome_subset(run_study: Runner) -> None:
    result = ok(run_study(RESECTION)["res"])
    frame = evaluator_frame()
    dcb = frame[frame["response"] == "yes"]
    assert result["subset"] == "patients with Response"
    assert result["n"] == len(dcb)
    for row, column in zip(result["scores"], ["score_a", "prob_a"], strict=True):
        group = pd.Categorical(dcb["resection"], categories=["No", "Yes"])
        want = mann_whitney(dcb[column].to_numpy(), group)
        assert row["test"] == "mann_whitney"
        assert (row["statistic"], row["p_value"], row["method"]) == (
            want.statistic,
            want.p_value,
            want.method,
        )
        assert [g["level"] for g in row["groups"]] == ["No", "Yes"]
        yes = dcb.loc[dcb["resection"] == "Yes", column].to_numpy()
        assert row["groups"][1]["median"] == float(np.median(yes))
        assert row["groups"][1]["q1"] == float(np.quantile(yes, 0.25))
    assert [f["name"] for f in result["figures"]] == ["violins"]


def test_column_subset_and_kruskal_wallis(run_study: Runner) -> None:
    units = GRADE + 'subset = [{column = "regimen", levels = ["R1", "R2"]}]\n'
    result = ok(run_study(units)["grade"])
    frame = evaluator_frame()
    part = frame[frame["regimen"].isin(["R1", "R2"])]
    want = kruskal_wallis(
        part["score_b"].to_numpy(), pd.Categorical(part["grade"], categories=["G1", "G2", "G3"])
    )
    row = result["scores"][0]
    assert result["subset"] == "patients with Regimen = R1 or R2"
    assert (row["test"], row["statistic"], row["df"], row["p_value"]) == (
        "kruskal_wallis",
        want.statistic,
        float(want.df),
        want.p_value,
    )


def test_welch_t_test_on_request_in_a_split(run_study: Runner) -> None:
    units = RESECTION + 'test = "t_test"\npopulation = "train"\n'
    result = ok(run_study(units)["res"])
    frame = evaluator_frame()
    part = frame[(frame["response"] == "yes") & (frame["set"] == "train")]
    want = t_test(part["score_a"].to_numpy(), pd.Categorical(part["resection"]))
    row = result["scores"][0]
    assert (row["statistic"], row["df"], row["p_value"]) == (want.statistic, want.df, want.p_value)
    assert result["subset"] == "patients with Response in the training set"


def test_empty_levels_are_reported_and_two_group_tests_need_two(run_study: Runner) -> None:
    frame = evaluator_frame()
    units = GRADE + 'subset = [{column = "grade", levels = ["G1", "G2"]}]\n'
    result = ok(run_study(units, frame)["grade"])
    assert result["empty_levels"] == ["G3"]
    assert result["scores"][0]["test"] == "mann_whitney"
    record = run_study(GRADE + 'test = "mann_whitney"\n', frame)["grade"]
    assert record["status"] == "failed"
    assert "the Mann-Whitney U test compares two groups, not 3" in record["error"]


def test_a_single_group_is_a_clear_error(run_study: Runner) -> None:
    units = GRADE + 'subset = [{column = "grade", levels = ["G2"]}]\n'
    record = run_study(units)["grade"]
    assert record["status"] == "failed"
    assert "Grade: 1 group(s) with patients among patients with Grade = G2" in record["error"]


def test_missing_scores_and_unknown_levels(run_study: Runner) -> None:
    frame = evaluator_frame()
    first_dcb = frame.index[frame["response"] == "yes"][0]
    frame.loc[first_dcb, "score_a"] = np.nan
    result = ok(run_study(RESECTION, frame)["res"])
    assert result["scores"][0]["excluded"] == [frame.loc[first_dcb, "pid"]]
    assert sum(g["n"] for g in result["scores"][0]["groups"]) == result["n"] - 1
    assert any("missing 'score_a' left out" in w for w in result["warnings"])
    record = run_study(GRADE + 'subset = [{column = "grade", levels = ["G9"]}]\n')["grade"]
    assert record["status"] == "failed"
    assert "subset: ['G9'] are not levels of 'grade'" in record["error"]


def test_exact_request_with_ties_falls_back_with_a_named_warning(run_study: Runner) -> None:
    units = RESECTION.replace('{column = "score_a"}, ', "") + "exact = true\n"
    frame = evaluator_frame()
    frame["prob_a"] = frame["prob_a"].round(1)
    result = ok(run_study(units, frame)["res"])
    assert "normal approximation" in result["scores"][0]["method"]
    assert any("cannot compute an exact p-value with ties" in w for w in result["warnings"])


@pytest.mark.parametrize(
    ("subset", "message"),
    [
        ('[{outcome = "positive", column = "grade", levels = ["G1"]}]', "either 'outcome' or"),
        ('[{column = "grade"}]', "needs both 'column' and a non-empty 'levels'"),
    ],
)
def test_bad_subset_filters_are_rejected(run_study: Runner, subset: str, message: str) -> None:
    with pytest.raises(InputErrors, match=message):
        run_study(GRADE + f"subset = {subset}\n")


def test_fragment(run_study: Runner) -> None:
    records = run_study(RESECTION)
    html = str(render_unit(make_environment(), records["res"], ReportState(records["__out__"])))
    assert "Table 1." in html and "Figure 1." in html
    assert "Mann-Whitney U test" in html and "continuity correction" in html


OUTCOME_VARIABLE = '\n[cohort.variables.response]\ntype = "categorical"\nlevels = ["no", "yes"]\n'
BY_OUTCOME = """
[[unit]]
id = "by_outcome"
use = "group_comparison"
group = "response"
scores = [{column = "score_a"}]
"""


def test_grouping_by_the_outcome_is_refused_by_default(run_study: Runner) -> None:
    record = run_study(BY_OUTCOME, spec=SPEC + OUTCOME_VARIABLE)["by_outcome"]
    assert record["status"] == "failed"
    assert "group = 'response' is the binary outcome" in record["error"]
    assert "outcome_groups = true" in record["error"]


def test_grouping_by_the_outcome_on_request_is_labelled(run_study: Runner) -> None:
    units = BY_OUTCOME + "outcome_groups = true\n"
    out = run_study(units, spec=SPEC + OUTCOME_VARIABLE)
    result = ok(out["by_outcome"])
    assert result["by_outcome"] == "the binary outcome"
    frame = evaluator_frame()
    want = mann_whitney(
        frame["score_a"].to_numpy(), pd.Categorical(frame["response"], categories=["no", "yes"])
    )
    assert result["scores"][0]["p_value"] == want.p_value
    assert "The groups are the binary outcome itself." in result["figures"][0]["caption"]
    html = str(render_unit(make_environment(), out["by_outcome"], ReportState(out["__out__"])))
    assert "the binary outcome itself (a measure of discrimination)" in html
    assert not ok(run_study(GRADE)["grade"]).get("by_outcome")
