"""Cross-fitted (out-of-fold) scores: no leakage of a patient's own outcome, determinism, and
the published columns (remarkit.modeling.crossfit, crossfit_logistic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit.modeling import training
from remarkit.modeling.crossfit import crossfit_folds, oof_column, oof_name, out_of_fold
from remarkit.modeling.crossfit_logistic import frame_out_of_fold
from remarkit.stats import logistic_regression


def _frame(seed: int = 3, n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    group = rng.choice(["a", "b"], n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x + (group == "b"))))).astype(float)
    return pd.DataFrame(
        {
            "x": x,
            "group": pd.Categorical(group, categories=["a", "b"]),
            training.OUTCOME: y,
        },
        index=[f"P{i}" for i in range(n)],
    )


def _oof(data: pd.DataFrame, folds: np.ndarray) -> pd.Series:
    frame = training.TrainFrame(data=data, dropped=[], references={})
    return frame_out_of_fold(frame, ["x", "group"], {"group": ["a", "b"]}, folds).lp


def test_folds_are_stratified_seeded_and_deterministic() -> None:
    y = np.array([0, 1] * 25 + [1] * 10)
    folds = crossfit_folds(y, 5, seed=7)
    assert np.array_equal(folds, crossfit_folds(y, 5, seed=7))
    assert not np.array_equal(folds, crossfit_folds(y, 5, seed=8))
    for k in range(5):
        assert int(y[folds == k].sum()) == 7 and int((folds == k).sum()) == 12


def test_out_of_fold_score_does_not_depend_on_own_outcome() -> None:
    data = _frame()
    folds = crossfit_folds(data[training.OUTCOME].to_numpy(dtype=int), 5, seed=1)
    before = _oof(data, folds)
    held = folds == 2
    flipped = data.copy()
    flipped.loc[held, training.OUTCOME] = 1.0 - flipped.loc[held, training.OUTCOME]
    after = _oof(flipped, folds)
    # every patient of fold 2 keeps its score when its own (and its fold's) outcomes change ...
    assert np.array_equal(before[held].to_numpy(), after[held].to_numpy())
    # ... while the other folds, whose refits saw fold 2, move (the test can fail)
    assert not np.allclose(before[~held].to_numpy(), after[~held].to_numpy())


def test_out_of_fold_equals_explicit_refits() -> None:
    data = _frame()
    folds = crossfit_folds(data[training.OUTCOME].to_numpy(dtype=int), 4, seed=5)
    lp = _oof(data, folds)
    for k in range(4):
        fit = logistic_regression(data[folds != k], training.OUTCOME, ["x", "group"])
        coef = fit.table.set_index("term")["coef"]
        rows = data[folds == k]
        expected = (
            coef["(Intercept)"]
            + coef["x"] * rows["x"]
            + coef["group[b]"] * (rows["group"] == "b").astype(float)
        )
        assert lp[folds == k].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)


def test_out_of_fold_helper_and_column() -> None:
    folds = np.array([0, 1, 0, 1])
    seen: list[tuple[list[int], list[int]]] = []

    def fit_predict(fit_rows: np.ndarray, held_out: np.ndarray) -> np.ndarray:
        seen.append((fit_rows.tolist(), held_out.tolist()))
        return held_out.astype(float) * 10

    assert out_of_fold(folds, fit_predict).tolist() == [0.0, 10.0, 20.0, 30.0]
    assert seen == [([1, 3], [0, 2]), ([0, 2], [1, 3])]
    column = oof_column("score", "Score", ["a", "b", "c"], {"a": 0.2, "c": 0.4})
    assert column.name == "score_oof" == oof_name("score")
    assert column.values == [0.2, None, 0.4]
    assert column.label == "Score (out-of-fold, training set)"
