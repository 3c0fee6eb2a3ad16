"""ROC curve, AUC + DeLong CI, paired DeLong test and Youden threshold against R's pROC.

Reference values: tests/reference/evaluation_stats.R (pROC 1.18) -> evaluation_*.csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats.roc import auc_ci, delong_test, roc_curve, youden_threshold

REF = Path(__file__).resolve().parents[1] / "reference"
RTOL = 1e-9
DATASETS = ["main", "ties", "alternating", "adjacent"]
DIRECTIONS = [("<", "lt"), (">", "gt")]
SCORES = ["score_a", "score_b"]


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


def _data(name: str) -> pd.DataFrame:
    return _csv(f"evaluation_data_{name}.csv")


def _expected(dataset: str, statistic: str) -> float:
    exp = _csv("evaluation_expected.csv")
    row = exp[(exp["dataset"] == dataset) & (exp["statistic"] == statistic)]
    assert len(row) == 1, (dataset, statistic)
    return float(row["value"].iloc[0])


def _naive_delong(cases: np.ndarray, controls: np.ndarray) -> tuple[float, float]:
    """Direct O(m n) DeLong: psi over every case-control pair."""
    psi = (cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])
    auc = psi.mean()
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = v10.var(ddof=1) / cases.size + v01.var(ddof=1) / controls.size
    return float(auc), float(var)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("direction", "tag"), DIRECTIONS)
@pytest.mark.parametrize("score", SCORES)
def test_auc_ci_matches_proc(dataset: str, direction: str, tag: str, score: str) -> None:
    d = _data(dataset)
    key = f"{score}_{tag}"
    res = auc_ci(d["y"], d[score], direction=direction)
    res90 = auc_ci(d["y"], d[score], direction=direction, level=0.9)
    assert_allclose(res.auc, _expected(dataset, f"auc_{key}"), rtol=RTOL)
    assert_allclose(
        [res.lower, res.upper, res90.lower, res90.upper],
        [
            _expected(dataset, f"auc_lower_{key}"),
            _expected(dataset, f"auc_upper_{key}"),
            _expected(dataset, f"auc_lower90_{key}"),
            _expected(dataset, f"auc_upper90_{key}"),
        ],
        rtol=RTOL,
        atol=1e-15,
    )
    assert (res.n_cases, res.n_controls) == (int(d["y"].sum()), int((d["y"] == 0).sum()))
    assert res.direction == direction
    assert 0.0 <= res.lower <= res.auc <= res.upper <= 1.0


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("direction", "tag"), DIRECTIONS)
@pytest.mark.parametrize("score", SCORES)
def test_roc_curve_matches_proc(dataset: str, direction: str, tag: str, score: str) -> None:
    d = _data(dataset)
    ref = _csv("evaluation_roc_curves.csv")
    ref = ref[(ref["dataset"] == dataset) & (ref["score"] == score) & (ref["direction"] == tag)]
    table = roc_curve(d["y"], d[score], direction=direction).table
    # thresholds are compared exactly: pROC's midpoints, +-inf and its adjacent-double fix
    assert_array_equal(table["threshold"].to_numpy(), ref["threshold"].to_numpy())
    assert_allclose(table["sensitivity"], ref["sensitivity"], rtol=RTOL)
    assert_allclose(table["specificity"], ref["specificity"], rtol=RTOL)
    assert_array_equal(table["tp"] + table["fn"], int(d["y"].sum()))
    assert_array_equal(table["tn"] + table["fp"], int((d["y"] == 0).sum()))


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("direction", "tag"), DIRECTIONS)
@pytest.mark.parametrize("score", SCORES)
def test_youden_matches_proc_coords_best(
    dataset: str, direction: str, tag: str, score: str
) -> None:
    d = _data(dataset)
    ref = _csv("evaluation_youden.csv")
    ref = ref[(ref["dataset"] == dataset) & (ref["score"] == score) & (ref["direction"] == tag)]
    res = youden_threshold(d["y"], d[score], direction=direction)
    cols = ["threshold", "sensitivity", "specificity", "tp", "fp", "tn", "fn"]
    assert len(res.optima) == len(ref)
    assert_allclose(res.optima[cols].to_numpy(float), ref[cols].to_numpy(float), rtol=RTOL)
    assert res.tied_thresholds == ref["threshold"].tolist()
    first = ref.iloc[0]
    assert res.threshold == first["threshold"]
    assert (res.tp, res.fp, res.tn, res.fn) == tuple(int(first[c]) for c in cols[3:])
    assert_allclose(res.youden, first["sensitivity"] + first["specificity"] - 1.0, rtol=RTOL)


def test_youden_tie_break_takes_highest_sensitivity() -> None:
    d = _data("alternating")
    res = youden_threshold(d["y"], d["score_a"])
    assert len(res.tied_thresholds) == 4
    assert res.sensitivity == res.optima["sensitivity"].max()
    assert res.threshold == min(res.tied_thresholds)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("direction", "tag"), DIRECTIONS)
@pytest.mark.parametrize(("level", "suffix"), [(0.95, ""), (0.9, "_90")])
def test_delong_test_matches_roc_test(
    dataset: str, direction: str, tag: str, level: float, suffix: str
) -> None:
    d = _data(dataset)
    if dataset == "alternating":
        # the two scores' placement differences are constant: zero variance, pROC's Z is +-Inf
        with pytest.warns(RemarkitWarning, match="degenerate DeLong test"):
            res = delong_test(d["y"], d["score_a"], d["score_b"], level=level, direction=direction)
        assert res.se == 0.0
    else:
        res = delong_test(d["y"], d["score_a"], d["score_b"], level=level, direction=direction)
    key = f"{tag}{suffix}"
    assert_allclose(res.z, _expected(dataset, f"delong_z_{key}"), rtol=RTOL)
    assert_allclose(res.p_value, _expected(dataset, f"delong_p_{key}"), rtol=RTOL)
    assert_allclose(
        [res.lower, res.upper],
        [_expected(dataset, f"delong_lower_{key}"), _expected(dataset, f"delong_upper_{key}")],
        rtol=RTOL,
    )
    assert_allclose(res.auc_a, _expected(dataset, f"auc_score_a_{tag}"), rtol=RTOL)
    assert_allclose(res.auc_b, _expected(dataset, f"auc_score_b_{tag}"), rtol=RTOL)
    assert_allclose(res.difference, res.auc_a - res.auc_b, rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_delong_equals_naive_quadratic(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 300)
    score = np.round(rng.normal(size=300) + 0.8 * y, 1)  # many ties
    res = auc_ci(y, score)
    auc, var = _naive_delong(score[y == 1], score[y == 0])
    assert_allclose(res.auc, auc, rtol=1e-12)
    assert_allclose(res.se**2, var, rtol=1e-10)


def test_direction_reverses_auc() -> None:
    d = _data("main")
    lt = auc_ci(d["y"], d["score_a"], direction="<")
    gt = auc_ci(d["y"], d["score_a"], direction=">")
    assert_allclose(gt.auc, 1.0 - lt.auc, rtol=1e-12)
    assert_allclose(gt.se, lt.se, rtol=1e-12)


def test_identical_scores_give_zero_z_with_warning() -> None:
    d = _data("main")
    with pytest.warns(RemarkitWarning, match="degenerate DeLong test"):
        res = delong_test(d["y"], d["score_a"], d["score_a"])
    assert res.z == 0.0
    assert res.p_value == 1.0
    assert res.difference == 0.0


def test_constant_score_gives_half_with_warning() -> None:
    y = [0, 1, 0, 1, 1]
    with pytest.warns(RemarkitWarning, match="constant score"):
        res = auc_ci(y, [2.0] * 5)
    assert res.auc == 0.5
    assert res.lower == res.upper == 0.5
    with pytest.warns(RemarkitWarning, match="constant score"):
        best = youden_threshold(y, [2.0] * 5)
    assert best.youden == 0.0
    assert best.tied_thresholds == [-np.inf, np.inf]


def test_single_case_gives_nan_ci_with_warning() -> None:
    with pytest.warns(RemarkitWarning, match="too few observations"):
        res = auc_ci([0, 0, 1, 0], [0.1, 0.4, 0.35, 0.8])
    assert_allclose(res.auc, 1.0 / 3.0, rtol=1e-12)
    assert np.isnan(res.lower) and np.isnan(res.upper) and np.isnan(res.se)
    with pytest.raises(StatisticsError, match="at least two cases"):
        delong_test([0, 0, 1, 0], [0.1, 0.4, 0.35, 0.8], [1, 2, 3, 4])


@pytest.mark.parametrize(
    ("y", "score", "match"),
    [
        ([0, 1, 0, 1], [0.1, np.nan, 0.3, 0.4], "missing or infinite"),
        ([0, 1, 0, 1], [0.1, np.inf, 0.3, 0.4], "missing or infinite"),
        ([0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4], "no cases"),
        ([1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4], "no controls"),
        ([0, 1, 2, 1], [0.1, 0.2, 0.3, 0.4], "only 0 and 1"),
        ([0, 1, np.nan, 1], [0.1, 0.2, 0.3, 0.4], "missing value"),
        ([0, 1, 0], [0.1, 0.2, 0.3, 0.4], "length"),
        ([0, 1, 0, 1], ["a", "b", "c", "d"], "numeric"),
        ([], [], "empty"),
    ],
)
def test_bad_input_raises(y: list[float], score: list[object], match: str) -> None:
    for func in (auc_ci, youden_threshold, roc_curve):
        with pytest.raises(StatisticsError, match=match):
            func(y, score)


def test_bad_options_raise() -> None:
    y, s = [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4]
    with pytest.raises(StatisticsError, match="direction"):
        auc_ci(y, s, direction="auto")
    with pytest.raises(StatisticsError, match="level"):
        auc_ci(y, s, level=1.5)
    with pytest.raises(StatisticsError, match="score_b"):
        delong_test(y, s, [0.1, np.nan, 0.2, 0.3])


def test_results_are_frozen() -> None:
    res = auc_ci([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="frozen"):
        res.auc = 0.9
