"""Bootstrap optimism correction against rms::validate (apparent values) and by its properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal

from remarkit.errors import StatisticsError
from remarkit.stats._design import build_design
from remarkit.stats.validation import _fit_logistic, bootstrap_optimism

REF = Path(__file__).resolve().parent.parent / "reference"
FITTED = 1e-6
BIN = pd.read_csv(REF / "survival_binary_data.csv", float_precision="round_trip")
VALIDATE = pd.read_csv(REF / "survival_validate.csv", float_precision="round_trip")
COEF = pd.read_csv(REF / "survival_lrm_coef.csv", float_precision="round_trip")
MODELS = {
    "small": ["marker", "stage"],
    "noisy": ["marker", "stage", "noise1", "noise2", "noise3", "noise4", "noise5"],
}


@pytest.mark.parametrize("model", list(MODELS))
def test_apparent_matches_validate_index_orig(model: str) -> None:
    res = bootstrap_optimism(BIN, "y", MODELS[model], n_boot=5)
    exp = VALIDATE[VALIDATE.model == model].set_index("index").index_orig
    expected = [exp["Dxy"] / 2 + 0.5, exp["Intercept"], exp["Slope"], exp["B"]]
    assert list(res.table["index"]) == [
        "auc",
        "calibration_intercept",
        "calibration_slope",
        "brier",
    ]
    assert_allclose(res.table.apparent, expected, rtol=FITTED, atol=1e-12)


@pytest.mark.parametrize("model", list(MODELS))
def test_logistic_fit_matches_lrm(model: str) -> None:
    design = build_design(BIN, MODELS[model])
    y = BIN.y.to_numpy(dtype=np.int64)
    coef = _fit_logistic(y, np.column_stack((np.ones(len(y)), design.x)))
    assert coef is not None
    assert_allclose(coef, COEF[COEF.model == model].coef, rtol=FITTED)


def test_reproducible_under_seed() -> None:
    a = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=40, seed=11)
    b = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=40, seed=11)
    c = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=40, seed=12)
    assert_frame_equal(a.table, b.table)
    assert_frame_equal(a.replicates, b.replicates)
    assert not np.allclose(a.table.optimism, c.table.optimism)
    assert_array_equal(a.table.apparent, c.table.apparent)


def test_more_samples_extend_the_same_stream() -> None:
    short = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=30, seed=5)
    long = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=60, seed=5)
    assert (short.n_boot, long.n_boot) == (30, 60)
    assert_frame_equal(short.replicates, long.replicates.iloc[:30])
    assert not np.allclose(short.table.test, long.table.test)
    ok = ~long.replicates.failed
    assert_allclose(long.table.test.iloc[0], long.replicates.auc_test[ok].mean(), rtol=1e-12)


def test_optimism_is_sensible_for_an_overfitted_model() -> None:
    small = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=200, seed=0)
    noisy = bootstrap_optimism(BIN, "y", MODELS["noisy"], n_boot=200, seed=0)
    for res in (small, noisy):
        t = res.table.set_index("index")
        assert t.loc["auc", "optimism"] > 0
        assert t.loc["calibration_slope", "optimism"] > 0  # test slope < 1: shrinkage needed
        assert t.loc["brier", "optimism"] < 0  # the Brier score is worse (higher) on new data
        assert_allclose(t.corrected, t.apparent - t.optimism, rtol=1e-12)
        assert_array_equal(
            t.loc[["calibration_intercept", "calibration_slope"], "training"], [0, 1]
        )
        assert res.n_failed == 0 and res.n_successful == 200
    # five noise predictors: more optimism than the model without them
    opt = [r.table.set_index("index").loc["auc", "optimism"] for r in (small, noisy)]
    assert opt[1] > opt[0]


def test_failed_refits_are_counted() -> None:
    rare = BIN.copy()
    rare["site"] = np.where(np.arange(len(rare)) < 3, "rare", "common")
    res = bootstrap_optimism(rare, "y", ["marker", "site"], n_boot=100, seed=3)
    # a sample without any of the 3 'rare' subjects has a zero dummy column: the refit fails
    assert res.n_failed > 0
    assert res.n_failed + res.n_successful == 100
    assert res.replicates.failed.sum() == res.n_failed
    assert res.replicates.loc[res.replicates.failed, "auc_test"].isna().all()
    assert np.isfinite(res.table.corrected).all()


def test_categorical_reference_keyword() -> None:
    a = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=3)
    b = bootstrap_optimism(BIN, "y", MODELS["small"], n_boot=3, reference={"stage": "III"})
    assert b.terms == ["marker", "stage[I]", "stage[II]"]
    assert_allclose(a.table.apparent, b.table.apparent, rtol=1e-9)


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        ({"y": 2}, {}, "only 0 and 1"),
        ({"y": np.nan}, {}, "'y' contains 1 missing"),
        ({"marker": np.nan}, {}, "'marker' contains 1 missing"),
        ({}, {"n_boot": 0}, "n_boot must be a positive integer"),
        ({}, {"n_boot": 2.5}, "n_boot must be a positive integer"),
        ({}, {"predictors": ["nope"]}, "no column"),
        ({}, {"predictors": ["y"]}, "outcome cannot also be a predictor"),
    ],
)
def test_bad_input(change: dict[str, float], kwargs: dict[str, object], message: str) -> None:
    data = BIN.copy()
    for col, value in change.items():
        data.loc[0, col] = value
    args: dict[str, object] = {"predictors": MODELS["small"], **kwargs}
    with pytest.raises(StatisticsError, match=message):
        bootstrap_optimism(data, "y", **args)


def test_single_class_and_separation_are_errors() -> None:
    data = BIN.assign(y=1)
    with pytest.raises(StatisticsError, match="single class"):
        bootstrap_optimism(data, "y", ["marker"], n_boot=2)
    separated = BIN.assign(y=(BIN.marker > 0).astype(int))
    with pytest.raises(StatisticsError, match="cannot be fitted"):
        bootstrap_optimism(separated, "y", ["marker"], n_boot=2)
