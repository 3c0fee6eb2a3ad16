"""Rubin's rules against R mice::pool on the same imputed data (tests/reference/mice_pool.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import cox_regression, logistic_regression, pool_rubin

REF = Path(__file__).resolve().parent.parent / "reference"
FITTED = 1e-6
COMPLETED = pd.read_csv(REF / "mice_completed.csv")
POOLED = pd.read_csv(REF / "mice_pool.csv")
PREDICTORS = ["marker", "node", "grade", "age"]
R_NAMES = {"node[1]": "node1", "grade[G2]": "gradeG2", "grade[G3]": "gradeG3"}


def _imputed_sets() -> list[pd.DataFrame]:
    sets = []
    for _, frame in COMPLETED.groupby("imp", sort=True):
        data = frame.reset_index(drop=True).copy()
        data["node"] = pd.Categorical(data["node"].astype(str), categories=["0", "1"])
        data["grade"] = pd.Categorical(data["grade"], categories=["G1", "G2", "G3"])
        sets.append(data)
    return sets


def _fits(model: str) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Estimates and variances (m x terms) of every completed data set, and mice's dfcom."""
    coefs, variances = [], []
    for data in _imputed_sets():
        if model == "glm":
            table = logistic_regression(data, "response", PREDICTORS).table
            dfcom = len(data) - len(table)
        else:
            table = cox_regression(data, "time", "status", PREDICTORS).table
            dfcom = int(data["status"].sum()) - len(table)
        names = [R_NAMES.get(t, t) for t in table["term"]]
        coefs.append(pd.Series(table["coef"].to_numpy(), index=names))
        variances.append(pd.Series(table["se"].to_numpy() ** 2, index=names))
    return pd.DataFrame(coefs), pd.DataFrame(variances), float(dfcom)


@pytest.mark.parametrize("model", ["glm", "coxph"])
def test_pool_matches_mice(model: str) -> None:
    est, var, dfcom = _fits(model)
    exp = POOLED[POOLED.model == model].reset_index(drop=True)
    assert (exp.dfcom == dfcom).all()
    res = pool_rubin(est, var, df_complete=dfcom, level=0.95)
    got = res.table
    assert res.m == 5 and list(got.term) == list(exp.term)
    pairs = [
        ("estimate", "estimate"),
        ("se", "std_error"),
        ("statistic", "statistic"),
        ("ubar", "ubar"),
        ("b", "b"),
        ("t", "t"),
        ("df", "df"),
        ("riv", "riv"),
        ("lambda", "lambda"),
        ("fmi", "fmi"),
        ("p_value", "p_value"),
        ("lower", "lower"),
        ("upper", "upper"),
    ]
    for ours, theirs in pairs:
        assert_allclose(got[ours], exp[theirs], rtol=FITTED, err_msg=ours)


def test_infinite_dfcom_is_rubins_df() -> None:
    q = np.array([[1.0, 2.0], [1.2, 2.0001], [0.9, 1.9999]])
    u = np.array([[0.04, 0.01], [0.05, 0.01], [0.045, 0.01]])
    res = pool_rubin(q, u, terms=["a", "b"]).table
    b = q.var(axis=0, ddof=1)
    t = u.mean(axis=0) + (1 + 1 / 3) * b
    lam = np.maximum((1 + 1 / 3) * b / t, 1e-4)
    assert_allclose(res["df"], 2 / lam**2, rtol=1e-12)
    assert list(res.term) == ["a", "b"]
    assert (res["fmi"] > 0).all() and (res["fmi"] < 1).all()


def test_identical_imputations_have_no_between_variance() -> None:
    res = pool_rubin([0.5, 0.5, 0.5], [0.01, 0.01, 0.01], df_complete=100).table
    assert res["b"].iloc[0] == 0.0
    assert_allclose(res["t"].iloc[0], 0.01, rtol=1e-12)
    assert list(res.term) == ["theta1"]


@pytest.mark.parametrize(
    ("q", "u", "kwargs", "message"),
    [
        ([1.0], [0.1], {}, "at least 2"),
        ([[1.0, 2.0], [1.1, 2.1]], [0.1, 0.1], {}, "differ in shape"),
        ([1.0, 1.1], [0.1, -0.1], {}, "negative"),
        ([1.0, np.nan], [0.1, 0.1], {}, "missing or infinite"),
        ([1.0, 1.1], [0.1, 0.1], {"df_complete": 0}, "df_complete"),
        ([1.0, 1.1], [0.1, 0.1], {"terms": ["a", "b"]}, "term names"),
        ([1.0, 1.1], [0.1, 0.1], {"level": 1.5}, "level"),
    ],
)
def test_bad_input(q: object, u: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        pool_rubin(q, u, **kwargs)
