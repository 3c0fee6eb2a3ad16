"""survival_calibration: a frozen multivariable_cox model's calibration against R survival."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit import InputError
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.plugins.survival.survival_calibration import SurvivalCalibration
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.survival.conftest import GBSG, SurvivalHarness, survival_frame
from tests.survival.test_reference_r import GBSG_SPEC, GBSG_VARIABLES, REFERENCE

COX = {"marker": "pgr", "adjust": ["age", "size", "nodes", "grade"], "horizons": [1826]}


def test_gbsg_test_set_matches_r(surv_harness: SurvivalHarness) -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    h.run(MultivariableCox, COX, unit_id="cox")
    params = {"lp": "cox.lp", "survival": "cox.surv_1826", "horizon": 1826}
    result = h.run(SurvivalCalibration, params, unit_id="cal", upstream=("cox",))
    [test] = result.sets
    exp = pd.read_csv(REFERENCE / "survival_calibration_groups.csv")
    assert [g.n for g in test.groups] == list(exp.n)
    assert [g.events for g in test.groups] == list(exp.events)
    for col in ("predicted", "observed", "observed_lower", "observed_upper"):
        assert_allclose([getattr(g, col) for g in test.groups], exp[col], rtol=1e-6)
    sl = pd.read_csv(REFERENCE / "survival_calibration_slope.csv").iloc[0]
    ours = [test.slope, test.slope_se, test.slope_lower, test.slope_upper]
    assert_allclose(ours, [sl.slope, sl.se, sl.lower, sl.upper], rtol=1e-6)
    assert (test.set_name, test.n, test.events, test.excluded) == ("Test set", 229, 103, 0)
    assert len(result.figures) == 1
    html = re.sub(
        r"data:[^\"]+",
        "",
        str(
            render_unit(
                make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
            )
        ),
    )
    assert "Calibration of predicted Recurrence-free survival at 1826 days" in html
    assert "Calibration slope of the linear predictor" in html
    text = SurvivalCalibration().methods(result, SurvivalCalibration.Params(**params))
    assert "at 1826 days" in text and "5 groups" in text


def test_errors_and_sets_without_events(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    h.run(MultivariableCox, {"marker": "marker", "adjust": ["age"], "horizons": [24]}, unit_id="m")
    good = {"lp": "m.lp", "survival": "m.surv_24", "horizon": 24, "sets": ["train", "test"]}
    result = h.run(SurvivalCalibration, good, unit_id="c", upstream=("m",))
    assert [s.set for s in result.sets] == ["train", "test"]
    assert all(len(s.groups) == 5 for s in result.sets)
    assert result.sets[0].excluded == 2  # missing marker
    with pytest.raises(InputError, match="holds survival at 24, not at the horizon 36"):
        h.run(SurvivalCalibration, {**good, "horizon": 36}, unit_id="c", upstream=("m",))
    with pytest.raises(InputError, match="unknown column"):
        h.run(SurvivalCalibration, {**good, "lp": "m.nope"}, unit_id="c", upstream=("m",))
    with pytest.raises(InputError, match="column 'stage' is categorical"):
        h.run(SurvivalCalibration, {**good, "lp": "stage"}, unit_id="c", upstream=("m",))
    frame = survival_frame()
    frame["death"] = 0
    quiet = surv_harness(frame).run(
        SurvivalCalibration,
        {"lp": "age", "survival": "marker", "horizon": 24, "sets": ["all"]},
        unit_id="c",
    )
    assert quiet.sets == [] and quiet.figures == []
    assert quiet.warnings == ["Whole cohort: no events among the 237 patients; skipped"]
