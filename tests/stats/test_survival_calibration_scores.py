"""survival_calibration_scores (calibration from lp + predicted survival) against R survival."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import cox_predict_survival, cox_regression, survival_calibration_scores
from tests.shared_data import BREAST
from tests.stats._models_ref import FITTED, dataset, ref

REFERENCE = Path(__file__).parents[1] / "reference"
GBSG = BREAST / "gbsg.csv"


def test_synthetic_scores_match_r() -> None:
    """R's own lp and S(10) of the frozen 'full' model give R's groups and slope."""
    valid = dataset("synthetic").iloc[250:].reset_index(drop=True)
    pred = ref("valid_pred")
    pred = pred[pred.model == "full"].reset_index(drop=True)
    res = survival_calibration_scores(valid.time, valid.status, pred.lp, pred.surv, 10.0)
    groups = ref("calib_groups")
    exp = groups[groups.model == "full"].reset_index(drop=True)
    assert list(res.groups.n) == list(exp.n)
    for col in ("predicted", "observed", "observed_lower", "observed_upper"):
        assert_allclose(res.groups[col], exp[col], rtol=1e-9)
    slope = ref("calib_slope")
    sl = slope[slope.model == "full"].iloc[0]
    ours = [res.slope, res.slope_se, res.slope_lower, res.slope_upper]
    assert_allclose(ours, [sl.slope, sl.se, sl.lower, sl.upper], rtol=FITTED)
    assert (res.n, res.events) == (150, int(valid.status.sum()))


def gbsg_frozen() -> pd.DataFrame:
    """GBSG test rows (0, 3, 6, ...) with the lp and S(1826) of a model fitted on the others."""
    g = pd.read_csv(GBSG)
    g["grade"] = g["grade"].astype(str)
    test = np.arange(len(g)) % 3 == 0
    predictors = ["pgr", "age", "size", "nodes", "grade"]
    fit = cox_regression(g[~test], "rfstime", "status", predictors)
    valid = g[test].reset_index(drop=True)
    pred = cox_predict_survival(fit, valid[predictors], [1826.0]).table
    return valid.assign(lp=pred.lp.to_numpy(), surv=pred.surv.to_numpy())


def test_gbsg_matches_r() -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    v = gbsg_frozen()
    res = survival_calibration_scores(v.rfstime, v.status, v.lp, v.surv, 1826)
    exp = pd.read_csv(REFERENCE / "survival_calibration_groups.csv")
    assert list(res.groups.n) == list(exp.n)
    assert list(res.groups.events) == list(exp.events)
    for col in ("predicted", "observed", "observed_lower", "observed_upper"):
        assert_allclose(res.groups[col], exp[col], rtol=FITTED)
    sl = pd.read_csv(REFERENCE / "survival_calibration_slope.csv").iloc[0]
    ours = [res.slope, res.slope_se, res.slope_lower, res.slope_upper]
    assert_allclose(ours, [sl.slope, sl.se, sl.lower, sl.upper], rtol=FITTED)
    assert (res.n, res.events) == (sl.n, sl.events)


def test_bad_scores_are_refused() -> None:
    t, e = [1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1]
    lp, s = [0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.7, 0.6]
    with pytest.raises(StatisticsError, match="same length"):
        survival_calibration_scores(t, e, lp[:3], s, 2.0, groups=2)
    with pytest.raises(StatisticsError, match="surv must lie in"):
        survival_calibration_scores(t, e, lp, [0.9, 0.8, 0.7, 1.5], 2.0, groups=2)
    with pytest.raises(StatisticsError, match="finite"):
        survival_calibration_scores(t, e, [0.1, np.nan, 0.3, 0.4], s, 2.0, groups=2)
    with pytest.raises(StatisticsError, match="horizon must be a positive"):
        survival_calibration_scores(t, e, lp, s, 0.0, groups=2)
