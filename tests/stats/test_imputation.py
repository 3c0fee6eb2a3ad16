"""Properties of the chained-equations imputation engine (remarkit.modeling.imputation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import StatisticsError
from remarkit.modeling.imputation import impute_chained
from remarkit.stats import logistic_regression, pool_rubin


def _simulated(n: int, seed: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """x1 (continuous), node (binary), grade (3 levels), outcome y; MAR missingness."""
    rng = np.random.default_rng(seed)
    age = rng.normal(0, 1, n)
    x1 = 0.6 * age + rng.normal(0, 0.8, n)
    node = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.8 * x1)))).astype(int)
    grade = rng.choice(3, n, p=[0.3, 0.4, 0.3])
    truth = {"x1": 0.8, "node[1]": 0.7, "grade[G3]": 0.9, "age": 0.3}
    lp = -0.5 + 0.8 * x1 + 0.7 * node + 0.4 * (grade == 1) + 0.9 * (grade == 2) + 0.3 * age
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-lp))).astype(float)
    # MAR: missingness depends on the observed outcome and age only
    miss_x1 = rng.uniform(size=n) < 1 / (1 + np.exp(-(-1.4 + 1.2 * y + 0.8 * age)))
    miss_node = rng.uniform(size=n) < 1 / (1 + np.exp(-(-2.0 + 1.0 * y)))
    miss_grade = rng.uniform(size=n) < 0.1
    data = pd.DataFrame(
        {
            "x1": np.where(miss_x1, np.nan, x1),
            "node": pd.Categorical.from_codes(
                np.where(miss_node, -1, node).tolist(), dtype=pd.CategoricalDtype(["0", "1"])
            ),
            "grade": pd.Categorical.from_codes(
                np.where(miss_grade, -1, grade).tolist(),
                dtype=pd.CategoricalDtype(["G1", "G2", "G3"]),
            ),
            "age": age,
            "y": y,
        }
    )
    return data, truth


DATA, TRUTH = _simulated(300, 11)


def test_same_seed_same_imputations_other_seed_differs() -> None:
    a = impute_chained(DATA, m=3, iterations=3, rng=np.random.default_rng(5))
    b = impute_chained(DATA, m=3, iterations=3, rng=np.random.default_rng(5))
    c = impute_chained(DATA, m=3, iterations=3, rng=np.random.default_rng(6))
    for x, y in zip(a.datasets, b.datasets, strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert not a.datasets[0].equals(c.datasets[0])
    assert not a.datasets[0].equals(a.datasets[1])  # the chains differ


def test_complete_observed_untouched_and_methods() -> None:
    res = impute_chained(DATA, m=4, iterations=2, rng=np.random.default_rng(1))
    assert res.m == 4 and res.iterations == 2
    assert res.methods == {"x1": "pmm", "node": "logreg", "grade": "polyreg"}
    assert res.n_missing == {c: int(DATA[c].isna().sum()) for c in ["x1", "node", "grade"]}
    assert min(res.n_missing.values()) > 0
    for done in res.datasets:
        assert not done.isna().any().any()
        assert list(done.columns) == list(DATA.columns)
        for col in DATA.columns:
            seen = DATA[col].notna()
            pd.testing.assert_series_equal(done[col][seen], DATA[col][seen])
            assert done[col].dtype == DATA[col].dtype
        # predictive mean matching draws observed values only
        imputed = done["x1"][DATA["x1"].isna()]
        assert imputed.isin(set(DATA["x1"].dropna())).all()
        assert set(done["grade"].astype(str)) <= {"G1", "G2", "G3"}


def test_recovers_known_coefficients_under_mar() -> None:
    data, truth = _simulated(1500, 3)
    predictors = ["x1", "node", "grade", "age"]
    res = impute_chained(data, m=10, iterations=5, rng=np.random.default_rng(2024))
    est, var = [], []
    for done in res.datasets:
        table = logistic_regression(done, "y", predictors).table.set_index("term")
        est.append(table["coef"])
        var.append(table["se"] ** 2)
    pooled = pool_rubin(pd.DataFrame(est), pd.DataFrame(var), df_complete=1500 - 6).table
    pooled = pooled.set_index("term")
    for term, value in truth.items():
        row = pooled.loc[term]
        assert abs(row["estimate"] - value) < 3 * row["se"], term
        assert 0 < row["fmi"] < 1
    # the outcome-dependent missingness gives x1 a real fraction of missing information
    assert pooled.loc["x1", "fmi"] > 0.05


def test_rejects_bad_settings_and_empty_columns() -> None:
    with pytest.raises(StatisticsError, match="at least 1"):
        impute_chained(DATA, m=0, iterations=2, rng=np.random.default_rng(1))
    empty = DATA.assign(x1=np.nan)
    with pytest.raises(StatisticsError, match="'x1' has no observed value"):
        impute_chained(empty, m=2, iterations=2, rng=np.random.default_rng(1))


def test_nothing_missing_returns_copies() -> None:
    full = DATA.dropna()
    res = impute_chained(full, m=2, iterations=2, rng=np.random.default_rng(1))
    assert res.methods == {} and res.n_missing == {}
    pd.testing.assert_frame_equal(res.datasets[0], full)


def test_pmm_takes_donors_with_the_nearest_predicted_means() -> None:
    """A column the others predict almost exactly gets values from its nearest neighbours."""
    rng = np.random.default_rng(8)
    x = np.sort(rng.uniform(0, 100, 600))
    y = 2 * x + rng.normal(0, 0.01, x.size)
    missing = rng.random(x.size) < 0.1
    data = pd.DataFrame({"x": x, "y": np.where(missing, np.nan, y)})
    res = impute_chained(data, m=3, iterations=2, rng=np.random.default_rng(9))
    observed = y[~missing]
    # the 5th nearest observed value of each missing row's (almost exact) predicted mean
    fifth = np.sort(np.abs(observed[None, :] - 2 * x[missing][:, None]), axis=1)[:, 4]
    for done in res.datasets:
        error = np.abs(done["y"].to_numpy()[missing] - 2 * x[missing])
        assert (error <= fifth + 0.05).all()
        assert done["y"][missing].isin(set(observed)).all()
