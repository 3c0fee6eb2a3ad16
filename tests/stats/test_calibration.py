"""Hosmer-Lemeshow, Spiegelhalter's Z, val.prob calibration and R's lowess against R.

Reference values: tests/reference/evaluation_stats.R (base R, rms 6.5) -> evaluation_*.csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._lowess import lowess
from remarkit.stats._quantile_bins import quantile_groups, r_quantile7, r_seq_probs
from remarkit.stats.calibration import calibration, hosmer_lemeshow, spiegelhalter_z

REF = Path(__file__).resolve().parents[1] / "reference"
RTOL = 1e-9
RTOL_FIT = 1e-6
DATASETS = ["main", "ties"]


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


def _data(name: str) -> pd.DataFrame:
    return _csv(f"evaluation_data_{name}.csv")


def _expected(dataset: str, statistic: str) -> float:
    exp = _csv("evaluation_expected.csv")
    row = exp[(exp["dataset"] == dataset) & (exp["statistic"] == statistic)]
    assert len(row) == 1, (dataset, statistic)
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("groups", [10, 5])
def test_hosmer_lemeshow_matches_r_formula(dataset: str, groups: int) -> None:
    d = _data(dataset)
    res = hosmer_lemeshow(d["y"], d["p"], groups=groups)
    assert_allclose(res.chi_square, _expected(dataset, f"hl_chisq_g{groups}"), rtol=RTOL)
    assert_allclose(res.p_value, _expected(dataset, f"hl_p_g{groups}"), rtol=RTOL)
    assert res.df == int(_expected(dataset, f"hl_df_g{groups}"))
    ref = _csv("evaluation_hl_groups.csv")
    ref = ref[(ref["dataset"] == dataset) & (ref["groups"] == groups)]
    assert res.table["group"].tolist() == ref["group"].tolist()
    assert_array_equal(res.table[["lower", "upper"]].to_numpy(), ref[["lower", "upper"]].to_numpy())
    assert res.table["n"].tolist() == ref["n"].tolist()
    assert res.table["observed_events"].tolist() == ref["observed"].tolist()
    assert_allclose(res.table["expected_events"], ref["expected"], rtol=RTOL)
    assert_array_equal(res.table["observed_nonevents"], ref["n"] - ref["observed"])


def test_hosmer_lemeshow_drops_empty_groups() -> None:
    d = _data("ties")  # six distinct p values: decile breaks leave group 2 empty
    res = hosmer_lemeshow(d["y"], d["p"])
    assert 2 not in res.table["group"].tolist()
    assert res.df == len(res.table) - 2
    assert int(res.table["n"].sum()) == len(d)


@pytest.mark.parametrize("dataset", DATASETS)
def test_spiegelhalter_matches_val_prob(dataset: str) -> None:
    d = _data(dataset)
    res = spiegelhalter_z(d["y"], d["p"])
    assert_allclose(res.z, _expected(dataset, "valprob_S:z"), rtol=RTOL)
    assert_allclose(res.p_value, _expected(dataset, "valprob_S:p"), rtol=RTOL)
    assert res.n == len(d)


@pytest.mark.parametrize("dataset", DATASETS)
def test_calibration_matches_val_prob(dataset: str) -> None:
    d = _data(dataset)
    res = calibration(d["y"], d["p"])
    # logistic recalibration is an iterative fit (rms::lrm.fit): 1e-6
    assert_allclose(res.intercept, _expected(dataset, "valprob_Intercept"), rtol=RTOL_FIT)
    assert_allclose(res.slope, _expected(dataset, "valprob_Slope"), rtol=RTOL_FIT)
    assert_allclose(res.calibration_in_the_large, _expected(dataset, "citl"), rtol=RTOL_FIT)
    assert_allclose(res.brier, _expected(dataset, "valprob_Brier"), rtol=RTOL)
    assert_allclose(
        [res.emax, res.e90, res.eavg],
        [
            _expected(dataset, "valprob_Emax"),
            _expected(dataset, "valprob_E90"),
            _expected(dataset, "valprob_Eavg"),
        ],
        rtol=RTOL,
    )
    ref = _csv("evaluation_lowess.csv")
    ref = ref[ref["case"] == f"{dataset}_valprob"]
    assert_array_equal(res.curve["predicted"].to_numpy(), ref["sorted_x"].to_numpy())
    assert_allclose(res.curve["observed"], ref["fit"], rtol=RTOL)


@pytest.mark.parametrize("dataset", DATASETS)
def test_calibration_bins_match_binom_test(dataset: str) -> None:
    d = _data(dataset)
    bins = calibration(d["y"], d["p"]).bins
    ref = _csv("evaluation_calibration_bins.csv")
    ref = ref[ref["dataset"] == dataset]
    assert bins["n"].tolist() == ref["n"].tolist()
    assert_allclose(bins["mean_predicted"], ref["mean_predicted"], rtol=RTOL)
    assert_allclose(bins["observed"], ref["observed"], rtol=RTOL)
    assert_allclose(bins["observed_lower"], ref["lower"], rtol=RTOL, atol=1e-300)
    assert_allclose(bins["observed_upper"], ref["upper"], rtol=RTOL)


@pytest.mark.parametrize(
    ("case", "f", "iterations"),
    [
        ("main_valprob", 2 / 3, 0),
        ("ties_valprob", 2 / 3, 0),
        ("sine_iter3", 2 / 3, 3),
        ("sine_f03_iter0", 0.3, 0),
        ("ties_f01_iter2", 0.1, 2),
        ("five_f1_iter1", 1.0, 1),
    ],
)
def test_lowess_matches_r(case: str, f: float, iterations: int) -> None:
    ref = _csv("evaluation_lowess.csv")
    ref = ref[ref["case"] == case]
    xs, fit = lowess(ref["x"].to_numpy(), ref["y"].to_numpy(), f=f, iterations=iterations)
    assert_array_equal(xs, ref["sorted_x"].to_numpy())
    assert_allclose(fit, ref["fit"].to_numpy(), rtol=RTOL, atol=1e-14)


def test_lowess_edge_cases() -> None:
    xs, fit = lowess(np.array([3.0]), np.array([1.5]))
    assert xs.tolist() == [3.0] and fit.tolist() == [1.5]
    xs, fit = lowess(np.array([2.0, 1.0, 3.0]), np.array([2.0, 1.0, 3.0]), f=1.0)
    assert_allclose(fit, [1.0, 2.0, 3.0], rtol=1e-12)  # a line is reproduced exactly
    with pytest.raises(StatisticsError, match="f must be"):
        lowess(np.array([1.0, 2.0]), np.array([1.0, 2.0]), f=0.0)
    with pytest.raises(StatisticsError, match="length"):
        lowess(np.array([1.0, 2.0]), np.array([1.0]))


def test_r_quantile_helpers() -> None:
    assert r_seq_probs(10)[3] == 0.30000000000000004  # seq(0, 1, 0.1)[4] in R
    assert r_seq_probs(49)[-1] == 1.0
    x = np.array([0.3, 0.1, 0.2, 0.2, 0.9])
    assert_allclose(
        r_quantile7(x, np.array([0.0, 0.25, 0.5, 0.9, 1.0])), [0.1, 0.2, 0.2, 0.66, 0.9]
    )
    breaks, codes = quantile_groups(x, 2)
    assert breaks.tolist() == [0.1, 0.2, 0.9]
    assert codes.tolist() == [1, 0, 0, 0, 1]  # right-closed, lowest included


def test_separation_gives_nan_slope_with_warning() -> None:
    y = [0, 0, 0, 1, 1, 1]
    p = [0.1, 0.2, 0.3, 0.6, 0.7, 0.8]
    with pytest.warns(RemarkitWarning, match="separation"):
        res = calibration(y, p)
    assert np.isnan(res.intercept) and np.isnan(res.slope)
    assert np.isfinite(res.calibration_in_the_large)
    assert_allclose(res.brier, np.mean((np.array(p) - np.array(y)) ** 2), rtol=1e-12)


@pytest.mark.parametrize(
    ("p", "match"),
    [
        ([0.0, 0.2, 0.5, 0.7], "strictly between 0 and 1"),
        ([0.1, 0.2, 1.0, 0.7], "strictly between 0 and 1"),
        ([0.1, -0.2, 0.5, 0.7], "strictly between 0 and 1"),
        ([0.1, np.nan, 0.5, 0.7], "missing or infinite"),
        ([0.1, 0.5, 0.7], "length"),
    ],
)
def test_bad_probabilities_raise(p: list[float], match: str) -> None:
    y = [0, 1, 0, 1]
    for func in (hosmer_lemeshow, spiegelhalter_z, calibration):
        with pytest.raises(StatisticsError, match=match):
            func(y, p)


def test_degenerate_inputs_raise() -> None:
    with pytest.raises(StatisticsError, match=r"every p equals 0\.5"):
        spiegelhalter_z([0, 1, 1], [0.5, 0.5, 0.5])
    with pytest.raises(StatisticsError, match="p is constant"):
        calibration([0, 1, 1], [0.3, 0.3, 0.3])
    with pytest.raises(StatisticsError, match="p is constant"):
        hosmer_lemeshow([0, 1, 1], [0.3, 0.3, 0.3])
    with pytest.raises(StatisticsError, match="one outcome class"):
        calibration([0, 0, 0], [0.3, 0.4, 0.5])
    with pytest.raises(StatisticsError, match="at least 3 non-empty groups"):
        hosmer_lemeshow([0, 1, 1, 0], [0.2, 0.2, 0.8, 0.8])
    with pytest.raises(StatisticsError, match="groups must be an integer"):
        hosmer_lemeshow([0, 1, 1, 0], [0.2, 0.3, 0.8, 0.9], groups=1)
    with pytest.raises(StatisticsError, match="only 0 and 1"):
        spiegelhalter_z([0, 2, 1], [0.2, 0.3, 0.4])
