"""survival_discrimination: Harrell's C per set against R survival::concordance."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from remarkit import InputError
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.plugins.survival.survival_discrimination import SurvivalDiscrimination
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.survival.conftest import GBSG, SurvivalHarness, survival_frame
from tests.survival.test_reference_r import ADJUST, GBSG_SPEC, GBSG_VARIABLES, REFERENCE


def test_gbsg_c_of_lp_and_marker_matches_r(surv_harness: SurvivalHarness) -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    expected = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    h.run(
        MultivariableCox,
        {"marker": "pgr", "adjust": ADJUST, "population": "all", "scale": {"pgr": "iqr"}},
        unit_id="m",
    )
    params = {
        "scores": [{"column": "m.lp"}, {"column": "pgr", "higher": "better"}],
        "sets": ["all", "test"],
    }
    result = h.run(SurvivalDiscrimination, params, unit_id="c", upstream=("m",))
    for score, name in zip(result.scores, ["lp", "pgr"], strict=True):
        assert [r.set for r in score.rows] == ["all", "test"]
        for row in score.rows:
            want = expected[(expected.model == f"c_{row.set}") & (expected.term == name)]
            want = want.set_index("key")["value"].astype(float)
            assert row.c_index == pytest.approx(want["c"], rel=1e-9)
            assert row.se == pytest.approx(want["se"], rel=1e-6)
    assert result.scores[0].rows[0].n == 686
    assert result.scores[0].rows[1].set_name == "Test set"
    html = re.sub(
        r"data:[^\"]+",
        "",
        str(
            render_unit(
                make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
            )
        ),
    )
    assert "Harrell&#39;s C for Recurrence-free survival" in html
    assert "higher = longer survival" in html


def test_missing_scores_are_counted_and_errors(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(
        SurvivalDiscrimination, {"scores": [{"column": "marker"}], "sets": ["train"]}, unit_id="c"
    )
    row = result.scores[0].rows[0]
    assert (row.n, row.excluded) == (158, 2)
    with pytest.raises(InputError, match="score 'stage' is categorical"):
        h.run(SurvivalDiscrimination, {"scores": [{"column": "stage"}]}, unit_id="c")
    frame = survival_frame()
    frame["progression"] = 0
    quiet = surv_harness(frame).run(
        SurvivalDiscrimination,
        {"scores": [{"column": "age"}], "endpoint": "pfs", "sets": ["all"]},
        unit_id="c",
    )
    assert quiet.scores[0].rows == []
    assert quiet.warnings == ["Age, whole cohort: no events among the 238 patients; C not computed"]
