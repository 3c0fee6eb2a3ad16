"""Invariants of public statistics on generated data: estimates and p-values in range, every CI
holding its estimate. Only StatisticsError (documented for degenerate data) may escape; a
RemarkitWarning (documented, e.g. too few cases for a CI) is allowed, any other warning fails."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np
from hypothesis import event, example, given
from hypothesis import strategies as st

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats import (
    auc_ci,
    chi_square,
    cohen_kappa,
    fisher_exact,
    icc,
    kaplan_meier,
    kruskal_wallis,
    logrank_test,
    mann_whitney,
    roc_curve,
    t_test,
)
from tests.fuzz._settings import fuzz

T = TypeVar("T")
TOL = 1e-12

#: Measured values: finite, with ties (small integers) and wide magnitudes both drawn.
_number = st.one_of(
    st.integers(-3, 3).map(float),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)
#: Any value the table reader accepts (|x| <= 1e300).
_huge = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@contextmanager
def _documented_only() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", RemarkitWarning)
        yield


def _call(fn: Callable[[], T]) -> T | None:
    """``fn()``; None when it raised the documented StatisticsError."""
    with _documented_only():
        try:
            result = fn()
        except StatisticsError:
            event("documented StatisticsError")
            return None
    event(f"{type(result).__name__} computed")
    return result


def _in_unit(value: float) -> bool:
    return -TOL <= value <= 1.0 + TOL


def _holds(lower: float, estimate: float, upper: float) -> bool:
    if any(math.isnan(v) for v in (lower, estimate, upper)):
        return True  # an undefined interval (documented NaN)
    scale = max(1.0, abs(estimate))
    return lower - TOL * scale <= estimate <= upper + TOL * scale


@st.composite
def labelled_scores(draw: st.DrawFn) -> tuple[list[int], list[float]]:
    n = draw(st.integers(2, 40))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    score = draw(st.lists(_number, min_size=n, max_size=n))
    return y, score


@fuzz(200)
@given(data=labelled_scores(), direction=st.sampled_from(["<", ">"]))
def test_auc_and_roc_in_unit_interval(data: tuple[list[int], list[float]], direction: str) -> None:
    y, score = data
    result = _call(lambda: auc_ci(y, score, direction=direction))
    if result is not None:
        assert _in_unit(result.auc) and _holds(result.lower, result.auc, result.upper)
        assert math.isnan(result.lower) or (_in_unit(result.lower) and _in_unit(result.upper))
    curve = _call(lambda: roc_curve(y, score, direction=direction))
    if curve is not None:
        table = curve.table
        assert table[["sensitivity", "specificity"]].apply(lambda c: c.between(0, 1)).all().all()


@st.composite
def two_groups(draw: st.DrawFn) -> tuple[list[float], list[str]]:
    n = draw(st.integers(2, 40))
    x = draw(st.lists(st.one_of(_number, _huge), min_size=n, max_size=n))
    group = draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))
    return x, group


@fuzz(200)
@given(data=two_groups(), exact=st.booleans(), equal_var=st.booleans())
@example(
    data=([0.0, 0.0, 0.0, 0.0, 2.3e77], ["a", "a", "a", "b", "b"]), exact=False, equal_var=False
)
@example(data=([0.0, 1e300, 0.0, -1e300], ["a", "a", "b", "b"]), exact=False, equal_var=True)
def test_group_test_p_values_in_unit_interval(
    data: tuple[list[float], list[str]], exact: bool, equal_var: bool
) -> None:
    x, group = data
    for result in (
        _call(lambda: mann_whitney(x, group, exact=exact)),
        _call(lambda: t_test(x, group, equal_var=equal_var)),
        _call(lambda: kruskal_wallis(x, group)),
    ):
        if result is not None:
            assert _in_unit(result.p_value), result


@st.composite
def two_factors(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    n = draw(st.integers(2, 60))
    rows, cols = draw(st.integers(2, 3)), draw(st.integers(2, 3))
    a = draw(st.lists(st.sampled_from("xyz"[:rows]), min_size=n, max_size=n))
    b = draw(st.lists(st.sampled_from("pqr"[:cols]), min_size=n, max_size=n))
    return a, b


@fuzz(150)
@given(data=two_factors())
def test_contingency_p_values_in_unit_interval(data: tuple[list[str], list[str]]) -> None:
    a, b = data
    chi = _call(lambda: chi_square(a, b))
    if chi is not None:
        assert _in_unit(chi.p_value) and chi.statistic >= 0
    fisher = _call(lambda: fisher_exact(a, b))
    if fisher is not None:
        assert _in_unit(fisher.p_value)
        if fisher.odds_ratio is not None:
            assert fisher.lower is not None and fisher.upper is not None
            assert _holds(fisher.lower, fisher.odds_ratio, fisher.upper)


@fuzz(150)
@given(data=two_factors(), weights=st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_in_range(data: tuple[list[str], list[str]], weights: str | None) -> None:
    a, b = data
    b = [{"p": "x", "q": "y", "r": "z"}[v] for v in b]  # the same categories for both raters
    result = _call(lambda: cohen_kappa(a, b, weights=weights, levels=["x", "y", "z"]))
    if result is not None and result.estimate is not None:
        assert -1.0 - TOL <= result.estimate <= 1.0 + TOL
        assert result.lower is not None and result.upper is not None
        assert _holds(result.lower, result.estimate, result.upper)
        assert result.lower >= -1.0 and result.upper <= 1.0


@st.composite
def rating_tables(draw: st.DrawFn) -> list[list[float]]:
    n, k = draw(st.integers(2, 12)), draw(st.integers(2, 4))
    return [draw(st.lists(_number, min_size=k, max_size=k)) for _ in range(n)]


@fuzz(100)
@given(ratings=rating_tables())
@example(ratings=[[1.0, 0.0], [0.0, 1.0]])  # equal subject means: was ZeroDivisionError
@example(ratings=[[0.0, 0.0], [1.0, -1.0]])
@example(ratings=[[0.0, 1e300], [1.0, -1.0]])  # was an overflow RuntimeWarning
def test_icc_interval_holds_estimate(ratings: list[list[float]]) -> None:
    result = _call(lambda: icc(np.array(ratings)))
    if result is not None:
        for form in result.forms:
            # psych's ICC2 interval (Satterthwaite df) can exclude its estimate at small n, in R
            # too: ICC(matrix(c(0, 0, 1, -1), 2)) gives ICC2k 0 with CI [2.003, 0.999]
            if not form.form.startswith("ICC2"):
                assert _holds(form.lower, form.estimate, form.upper), form
            assert _in_unit(form.p_value) or math.isnan(form.p_value), form


@st.composite
def survival_data(draw: st.DrawFn) -> tuple[list[float], list[int], list[str]]:
    n = draw(st.integers(1, 40))
    times = st.one_of(st.integers(0, 10).map(float), st.floats(0, 1e4, allow_nan=False))
    time = draw(st.lists(times, min_size=n, max_size=n))
    event = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    group = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    return time, event, group


@fuzz(150)
@given(data=survival_data(), conf_type=st.sampled_from(["log", "log-log", "plain"]))
def test_kaplan_meier_non_increasing_in_unit_interval(
    data: tuple[list[float], list[int], list[str]], conf_type: str
) -> None:
    time, event, group = data
    km = _call(lambda: kaplan_meier(time, event, conf_type=conf_type))
    if km is not None:
        surv = km.table["surv"].to_numpy()
        assert ((surv >= -TOL) & (surv <= 1 + TOL)).all()
        assert (np.diff(surv) <= TOL).all()
        assert _holds(km.median_lower, km.median, km.median_upper)
        for lo, s, hi in zip(km.table["lower"], surv, km.table["upper"], strict=True):
            assert _holds(lo, s, hi)
    test = _call(lambda: logrank_test(time, event, group))
    if test is not None:
        assert _in_unit(test.p_value) or math.isnan(test.p_value)
