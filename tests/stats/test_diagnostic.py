"""Diagnostic metrics with Clopper-Pearson CIs against R's binom.test.

Reference values: tests/reference/evaluation_stats.R -> evaluation_*.csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats.diagnostic import diagnostic_metrics

REF = Path(__file__).resolve().parents[1] / "reference"
RTOL = 1e-9
METRICS = ["sensitivity", "specificity", "ppv", "npv", "accuracy"]


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


def _expected(dataset: str) -> dict[str, float]:
    exp = _csv("evaluation_expected.csv")
    exp = exp[exp["dataset"] == dataset]
    return dict(zip(exp["statistic"], exp["value"], strict=True))


@pytest.mark.parametrize("dataset", ["main", "ties", "alternating", "adjacent"])
@pytest.mark.parametrize(("level", "suffix"), [(0.95, ""), (0.9, "90")])
def test_metrics_match_binom_test(dataset: str, level: float, suffix: str) -> None:
    d = _csv(f"evaluation_data_{dataset}.csv")
    exp = _expected(dataset)
    res = diagnostic_metrics(d["y"], d["pred"], level=level)
    assert (res.tp, res.fp, res.tn, res.fn) == tuple(int(exp[k]) for k in ("tp", "fp", "tn", "fn"))
    for name in METRICS:
        prop = getattr(res, name)
        assert_allclose(prop.estimate, exp[f"{name}_estimate"], rtol=RTOL)
        assert_allclose(
            [prop.lower, prop.upper],
            [exp[f"{name}_lower{suffix}"], exp[f"{name}_upper{suffix}"]],
            rtol=RTOL,
            atol=1e-300,
        )


def test_counts_and_frame() -> None:
    y = [1, 1, 1, 0, 0, 0, 0, 1]
    pred = [1, 1, 0, 0, 0, 1, 0, 1]
    res = diagnostic_metrics(y, pred)
    assert (res.tp, res.fp, res.tn, res.fn) == (3, 1, 3, 1)
    frame = res.to_frame()
    assert frame["metric"].tolist() == METRICS
    assert frame["successes"].tolist() == [3, 3, 3, 3, 6]
    assert frame["total"].tolist() == [4, 4, 4, 4, 8]
    assert_allclose(frame["estimate"], [0.75, 0.75, 0.75, 0.75, 0.75])


def test_extreme_counts_use_closed_bounds() -> None:
    res = diagnostic_metrics([1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0])
    assert res.sensitivity.estimate == 1.0
    assert res.sensitivity.upper == 1.0
    # binom.test(3, 3)$conf.int[1] = 0.025^(1/3); binom.test(1, 1)$conf.int[1] = 0.025
    assert_allclose(res.sensitivity.lower, 0.025 ** (1.0 / 3.0), rtol=1e-12)
    assert_allclose(res.npv.lower, 0.025, rtol=1e-12)
    res = diagnostic_metrics([1, 0, 0, 1], [0, 1, 1, 1])
    assert res.specificity.estimate == 0.0
    assert res.specificity.lower == 0.0
    assert_allclose(res.specificity.upper, 1.0 - 0.025**0.5, rtol=1e-12)


def test_zero_denominator_gives_nan_and_named_warning() -> None:
    with pytest.warns(RemarkitWarning, match="zero denominator: ppv"):
        res = diagnostic_metrics([1, 0, 1, 0], [0, 0, 0, 0])
    assert np.isnan(res.ppv.estimate) and np.isnan(res.ppv.lower) and np.isnan(res.ppv.upper)
    assert res.ppv.total == 0
    assert res.npv.estimate == 0.5
    with pytest.warns(RemarkitWarning, match="zero denominator: sensitivity"):
        res = diagnostic_metrics([0, 0, 0], [0, 1, 0])
    assert np.isnan(res.sensitivity.estimate)
    assert_allclose(res.specificity.estimate, 2.0 / 3.0)


@pytest.mark.parametrize(
    ("y", "pred", "match"),
    [
        ([0, 1, 1], [0, 1, 2], "predicted must contain only 0 and 1"),
        ([0, 1, 1], [0, 1, 0.5], "predicted must contain only 0 and 1"),
        ([0, 1, 1], [0, np.nan, 1], "predicted contains 1 missing"),
        ([0, 1, np.nan], [0, 1, 1], "y contains 1 missing"),
        ([0, 1, 1], [0, 1], "length"),
        ([], [], "empty"),
    ],
)
def test_bad_input_raises(y: list[float], pred: list[float], match: str) -> None:
    with pytest.raises(StatisticsError, match=match):
        diagnostic_metrics(y, pred)


def test_bad_level_raises() -> None:
    with pytest.raises(StatisticsError, match="level"):
        diagnostic_metrics([0, 1], [0, 1], level=0.0)


def test_boolean_predictions_accepted() -> None:
    res = diagnostic_metrics(np.array([True, False, True]), np.array([True, True, False]))
    assert (res.tp, res.fp, res.tn, res.fn) == (1, 1, 0, 1)
