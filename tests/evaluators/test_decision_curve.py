"""decision_curve: net benefit equals remarkit.stats (dcurves) on the chosen population."""

from __future__ import annotations

import numpy as np
import pytest

from remarkit.errors import InputErrors
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import decision_curve
from tests.evaluators.conftest import Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "dca"
use = "decision_curve"
scores = [{column = "prob_a"}, {column = "prob_b"}]
table_thresholds = [0.25, 0.5]
"""


@pytest.mark.parametrize("population", ["test", "train", "all"])
def test_net_benefit_equals_stats(run_study: Runner, population: str) -> None:
    units = UNITS + f'population = "{population}"\n'
    result = ok(run_study(units)["dca"])
    frame = evaluator_frame()
    mask = (
        np.ones(len(frame), bool)
        if population == "all"
        else (frame["set"] == population).to_numpy()
    )
    y = (frame["response"] == "yes").to_numpy(int)[mask]
    grid = np.round(np.arange(1, 100) / 100, 10)
    assert result["thresholds"] == grid.tolist()
    assert (result["n"], result["events"]) == (int(mask.sum()), int(y.sum()))
    for model, column in zip(result["models"], ["prob_a", "prob_b"], strict=True):
        p = frame[column].to_numpy(float)[mask]
        want = decision_curve(y, p, thresholds=grid).table
        assert model["net_benefit"] == want["net_benefit"].tolist()
        assert result["treat_all"] == want["net_benefit_all"].tolist()
        at = decision_curve(y, p, thresholds=[0.25, 0.5]).table
        assert model["table_net_benefit"] == at["net_benefit"].tolist()
        assert model["table_avoided"] == at["interventions_avoided"].tolist()
        better = (want["net_benefit"] > want["net_benefit_all"]) & (want["net_benefit"] > 0)
        for lo, hi in model["beneficial"]:
            inside = (grid >= lo - 1e-12) & (grid <= hi + 1e-12)
            assert better[inside].all()
        covered = sum(round((hi - lo) * 100) + 1 for lo, hi in model["beneficial"])
        assert covered == int(better.sum())


def test_scores_that_are_not_risks_are_rejected(run_study: Runner) -> None:
    record = run_study(UNITS.replace("prob_b", "score_a"))["dca"]
    assert record["status"] == "failed"
    assert "column 'score_a' is not a predicted probability" in record["error"]


def test_bad_grid_is_rejected_at_validation(run_study: Runner) -> None:
    with pytest.raises(InputErrors, match="threshold_min must be below threshold_max"):
        run_study(UNITS + "threshold_min = 0.6\nthreshold_max = 0.5\n")


def test_fragment(run_study: Runner) -> None:
    records = run_study(UNITS)
    html = str(render_unit(make_environment(), records["dca"], ReportState(records["__out__"])))
    assert "Table 1." in html and "Figure 1." in html
    assert "Treat all" in html and "dcurves" in html
