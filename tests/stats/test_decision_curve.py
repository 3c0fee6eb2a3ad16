"""Net benefit and decision curves against dcurves' formula computed in base R."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from remarkit.errors import StatisticsError
from remarkit.stats.decision_curve import DEFAULT_THRESHOLDS, decision_curve, net_benefit

REF = Path(__file__).resolve().parent.parent / "reference"
CLOSED_FORM = 1e-9
BIN = pd.read_csv(REF / "survival_binary_data.csv", float_precision="round_trip")
DCA = pd.read_csv(REF / "survival_dca.csv", float_precision="round_trip")
COLUMNS = ["tp_rate", "fp_rate", "net_benefit", "net_benefit_all", "interventions_avoided"]


@pytest.mark.parametrize("model", ["p_model", "p_coarse"])
def test_decision_curve_matches_r(model: str) -> None:
    exp = DCA[DCA.model == model].reset_index(drop=True)
    res = decision_curve(BIN.y, BIN[model], thresholds=exp.threshold)
    t = res.table
    assert_array_equal(t.threshold, exp.threshold)
    for col in COLUMNS:
        # net benefit crosses 0, so allow an absolute error at the level of rounding too
        assert_allclose(t[col], exp[col], rtol=CLOSED_FORM, atol=1e-13)
    assert_array_equal(t.net_benefit_none, 0.0)
    assert (res.n, res.events) == (len(BIN), int(BIN.y.sum()))
    assert res.prevalence == pytest.approx(BIN.y.mean(), rel=1e-15)


def test_coarse_risks_hit_thresholds_exactly() -> None:
    # the p_coarse comparison above only tests ">=" if some risks equal a threshold
    thresholds = DCA.threshold.unique()
    assert np.isin(BIN.p_coarse, thresholds).sum() > 0


def test_net_benefit_matches_decision_curve() -> None:
    exp = DCA[DCA.model == "p_model"].reset_index(drop=True)
    nb = net_benefit(BIN.y, BIN.p_model, exp.threshold)
    assert_allclose(nb.table.net_benefit, exp.net_benefit, rtol=CLOSED_FORM, atol=1e-13)
    assert list(nb.table.columns) == ["threshold", "tp_rate", "fp_rate", "net_benefit"]


def test_treat_if_risk_equals_threshold() -> None:
    y = [1, 0, 1, 0]
    p = [0.2, 0.2, 0.1, 0.05]
    nb = net_benefit(y, p, [0.2]).table.iloc[0]
    assert nb.tp_rate == 0.25
    assert nb.fp_rate == 0.25
    assert nb.net_benefit == pytest.approx(0.25 - 0.25 * 0.25, rel=1e-15)


def test_default_thresholds_and_zero() -> None:
    res = decision_curve(BIN.y, BIN.p_model)
    assert_allclose(res.table.threshold, np.arange(1, 100) / 100)
    assert len(DEFAULT_THRESHOLDS) == 99
    at_zero = decision_curve(BIN.y, BIN.p_model, thresholds=[0.0]).table.iloc[0]
    assert at_zero.net_benefit == pytest.approx(BIN.y.mean())
    assert at_zero.net_benefit_all == pytest.approx(BIN.y.mean())
    assert np.isnan(at_zero.interventions_avoided)


@pytest.mark.parametrize(
    ("y", "p", "thresholds", "message"),
    [
        ([1, 0, 2], [0.1, 0.2, 0.3], [0.1], "y must contain only 0 and 1"),
        ([1, 0, np.nan], [0.1, 0.2, 0.3], [0.1], "y contains 1 missing"),
        ([1, 1, 1], [0.1, 0.2, 0.3], [0.1], "single class"),
        ([1, 0, 1], [0.1, np.nan, 0.3], [0.1], "p contains 1 missing"),
        ([1, 0, 1], [0.1, 1.2, 0.3], [0.1], "between 0 and 1"),
        ([1, 0, 1], [0.1, 0.2], [0.1], "p has length 2"),
        ([1, 0, 1], [0.1, 0.2, 0.3], [1.0], r"thresholds must lie in \[0, 1\)"),
        ([1, 0, 1], [0.1, 0.2, 0.3], [-0.1], r"thresholds must lie in \[0, 1\)"),
    ],
)
def test_bad_input(y: list[float], p: list[float], thresholds: list[float], message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        net_benefit(y, p, thresholds)
    with pytest.raises(StatisticsError, match=message):
        decision_curve(y, p, thresholds=thresholds)
