"""Predicted survival and calibration of a frozen Cox model against survfit / coxph."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import cox_predict_survival, cox_regression, survival_calibration
from tests.stats._models_ref import FITTED, SPECS, TIME, dataset, ref

PRED = ref("predict")
VPRED = ref("valid_pred")
GROUPS = ref("calib_groups")
SLOPE = ref("calib_slope")
ROWS = [1, 2, 3, 10, 50]  # R's 1-based rows in survival_models.R


@pytest.mark.parametrize(
    ("ds", "model", "ties"),
    [(ds, m, t) for ds in SPECS for m in ("full", "strat") for t in ("efron", "breslow")],
)
def test_in_sample_predictions_match_survfit(ds: str, model: str, ties: str) -> None:
    data = dataset(ds)
    predictors, strata = SPECS[ds][model]
    fit = cox_regression(data, TIME[ds], "status", predictors, ties=ties, strata=strata)
    exp = PRED[(PRED.dataset == ds) & (PRED.model == model) & (PRED.ties == ties)]
    horizons = sorted(set(exp.time))
    res = cox_predict_survival(fit, data.iloc[[r - 1 for r in ROWS]], horizons).table
    assert_allclose(res.surv, exp.surv, rtol=FITTED)


def _train_valid() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = dataset("synthetic")
    return data.iloc[:250], data.iloc[250:].reset_index(drop=True)


@pytest.mark.parametrize("model", ["full", "strat"])
def test_frozen_model_on_validation_rows(model: str) -> None:
    train, valid = _train_valid()
    predictors, strata = SPECS["synthetic"][model]
    fit = cox_regression(train, "time", "status", predictors, strata=strata)
    res = cox_predict_survival(fit, valid.drop(columns=["time", "status"]), [10.0]).table
    exp = VPRED[VPRED.model == model]
    assert_allclose(res.surv, exp.surv, rtol=FITTED)
    if model == "full":
        assert_allclose(res.lp, exp.lp, rtol=FITTED, atol=1e-9)
    else:  # predict.coxph centres a stratified model's lp within strata: a shift per stratum
        shift = (res.lp.to_numpy() - exp.lp.to_numpy()).round(6)
        assert valid.groupby(shift).centre.nunique().max() == 1


@pytest.mark.parametrize("model", ["full", "strat"])
def test_calibration_matches_r(model: str) -> None:
    train, valid = _train_valid()
    predictors, strata = SPECS["synthetic"][model]
    fit = cox_regression(train, "time", "status", predictors, strata=strata)
    res = survival_calibration(fit, valid, "time", "status", 10.0, groups=5)
    exp = GROUPS[GROUPS.model == model].reset_index(drop=True)
    assert list(res.groups.n) == list(exp.n)
    for col in ("predicted", "observed", "observed_lower", "observed_upper"):
        assert_allclose(res.groups[col], exp[col], rtol=FITTED)
    sl = SLOPE[SLOPE.model == model].iloc[0]
    ours = [res.slope, res.slope_se, res.slope_lower, res.slope_upper]
    assert_allclose(ours, [sl.slope, sl.se, sl.lower, sl.upper], rtol=FITTED)


def test_new_levels_and_strata_are_refused() -> None:
    train, valid = _train_valid()
    fit = cox_regression(train, "time", "status", ["x1", "grp"], strata=["centre"])
    with pytest.raises(StatisticsError, match="level\\(s\\) 'z' the model was not fitted with"):
        cox_predict_survival(fit, valid.assign(grp="z"), [5.0])
    with pytest.raises(StatisticsError, match="stratum 'centre=east' is not one"):
        cox_predict_survival(fit, valid.assign(centre="east"), [5.0])
    with pytest.raises(StatisticsError, match="no column"):
        cox_predict_survival(fit, valid.drop(columns="x1"), [5.0])
    with pytest.raises(StatisticsError, match="times must be finite"):
        cox_predict_survival(fit, valid, [np.inf])
    with pytest.raises(StatisticsError, match="horizon must be a positive"):
        survival_calibration(fit, valid, "time", "status", -1.0)


def test_survival_is_one_at_time_zero_and_decreasing() -> None:
    train, valid = _train_valid()
    fit = cox_regression(train, "time", "status", ["x1", "x2"])
    tab = cox_predict_survival(fit, valid.iloc[:3], [0.0, 5.0, 10.0, 1000.0]).table
    surv = tab.surv.to_numpy().reshape(3, 4)
    assert (surv[:, 0] == 1.0).all()
    assert (np.diff(surv, axis=1) <= 0).all()
