"""Group tests against R (tests/reference/clinical_stats.R) and exact enumeration."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.special import comb, gammaln
from scipy.stats import hypergeom, mannwhitneyu

import remarkit.stats._fisher_network as fisher_network
from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._fisher_mc import random_tables
from remarkit.stats._fisher_rxc import FEXACT_TOL, fisher_rxc_pvalue
from remarkit.stats._wilcoxon_exact import wilcoxon_counts
from remarkit.stats.group_tests import (
    chi_square,
    fisher_exact,
    kruskal_wallis,
    mann_whitney,
    t_test,
)

REF = Path(__file__).resolve().parent.parent / "reference"
CLOSED_FORM = 1e-9


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


COHORT = _csv("clinical_cohort.csv")
EXPECTED = _csv("clinical_group_tests.csv")
CHISQ_TABLES = _csv("clinical_chisq_tables.csv")
FIXED_TABLES = _csv("clinical_fisher_tables.csv")


def _expected(test: str, case: str) -> dict[str, float]:
    rows = EXPECTED[(EXPECTED.test == test) & (EXPECTED.case == case)]
    assert not rows.empty, (test, case)
    return dict(zip(rows.quantity, rows.value.astype(float), strict=True))


def _cases(test: str) -> list[str]:
    return sorted(EXPECTED.case[EXPECTED.test == test].unique())


def _fixed(case: str) -> np.ndarray:
    rows = FIXED_TABLES[FIXED_TABLES.case == case]
    table = np.zeros((rows.row.max(), rows.col.max()), dtype=np.int64)
    table[rows.row - 1, rows.col - 1] = rows["count"]
    return table


def _vectors(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two label vectors whose cross table is ``table`` (labels sort as rows / columns)."""
    rows, cols = np.nonzero(table)
    reps = table[rows, cols]
    return np.repeat([f"r{i + 1}" for i in rows], reps), np.repeat(
        [f"c{j + 1}" for j in cols], reps
    )


def _pair(case: str) -> tuple[Any, Any]:
    """Data of a case: 'x~g' names cohort columns (first 30 rows with a [1:30] suffix)."""
    if "~" not in case:
        return _vectors(_fixed(case))
    left, right = case.split("~")
    data = COHORT
    if right.endswith("[1:30]"):
        right, data = right[: -len("[1:30]")], COHORT.iloc[:30]
    return data[left], data[right]


# ---- t-test ---------------------------------------------------------------------------------


@pytest.mark.parametrize("equal_var", [False, True])
@pytest.mark.parametrize("case", ["marker~group2", "age~sex"])
def test_t_test_matches_r(case: str, equal_var: bool) -> None:
    x, g = _pair(case)
    res = t_test(x, g, equal_var=equal_var)
    exp = _expected("t_student" if equal_var else "t_welch", case)
    got = [res.statistic, res.df, res.p_value, res.lower, res.upper, res.mean1, res.mean2]
    got += [res.sd1, res.sd2, res.n1, res.n2]
    keys = ["statistic", "df", "p", "conf_low", "conf_high", "mean1", "mean2", "sd1", "sd2"]
    assert_allclose(got, [exp[k] for k in [*keys, "n1", "n2"]], rtol=CLOSED_FORM)
    assert res.difference == pytest.approx(res.mean1 - res.mean2)
    assert (res.group1, res.group2) == tuple(sorted(pd.unique(g.dropna())))
    assert res.n_missing == int((x.isna() | g.isna()).sum())


def test_t_test_group_order_follows_categorical() -> None:
    x = COHORT.age
    forward = t_test(x, COHORT.sex)
    g = pd.Categorical(COHORT.sex, categories=["M", "F", "X"])  # unused level dropped
    backward = t_test(x, g)
    assert (backward.group1, backward.group2) == ("M", "F")
    assert backward.statistic == pytest.approx(-forward.statistic, rel=1e-12)
    assert (backward.lower, backward.upper) == pytest.approx((-forward.upper, -forward.lower))


def test_t_test_missing_raise_and_errors() -> None:
    with pytest.raises(StatisticsError, match="missing"):
        t_test(COHORT.marker, COHORT.group2, missing="raise")
    with pytest.raises(StatisticsError, match="exactly 2 groups"):
        t_test(COHORT.age, COHORT.stage)
    with pytest.raises(StatisticsError, match="constant"):
        t_test([1.0, 1.0, 2.0, 2.0], ["a", "a", "b", "b"])
    with pytest.raises(StatisticsError, match="not enough observations"):
        t_test([1.0, 2.0, 3.0], ["a", "a", "b"])
    with pytest.raises(StatisticsError, match="numeric"):
        t_test(["a", "b", "c", "d"], ["a", "a", "b", "b"])
    with pytest.raises(StatisticsError, match="length"):
        t_test([1.0, 2.0, 3.0], ["a", "b"])
    with pytest.raises(StatisticsError, match="infinite"):
        t_test([1.0, np.inf, 3.0, 4.0], ["a", "a", "b", "b"])
    with pytest.raises(StatisticsError, match="level"):
        t_test(COHORT.age, COHORT.sex, level=1.0)
    with pytest.raises(StatisticsError, match="missing must be"):
        t_test(COHORT.age, COHORT.sex, missing="ignore")


def test_student_t_allows_a_single_observation() -> None:
    res = t_test([1.0, 2.0, 4.0, 10.0], ["a", "a", "a", "b"], equal_var=True)
    assert res.n2 == 1 and np.isnan(res.sd2)
    assert res.df == 2.0


# ---- Mann-Whitney ---------------------------------------------------------------------------

WILCOX = {"wilcox_cc": {"correct": True}, "wilcox_nocc": {"correct": False}}


@pytest.mark.parametrize(
    ("test", "case"),
    [(t, c) for t in ["wilcox_cc", "wilcox_nocc", "wilcox_exact"] for c in _cases(t)],
)
def test_mann_whitney_matches_r(test: str, case: str) -> None:
    x, g = _pair(case)
    res = mann_whitney(x, g, **WILCOX.get(test, {"exact": True}))
    exp = _expected(test, case)
    assert_allclose([res.statistic, res.p_value], [exp["statistic"], exp["p"]], rtol=CLOSED_FORM)
    assert res.exact == (test == "wilcox_exact")
    assert res.correct == (test == "wilcox_cc")


def test_mann_whitney_exact_with_ties_warns_and_falls_back() -> None:
    with pytest.warns(RemarkitWarning, match="ties"):
        res = mann_whitney(COHORT.marker, COHORT.group2, exact=True)
    approx = mann_whitney(COHORT.marker, COHORT.group2)
    assert not res.exact
    assert res.p_value == approx.p_value


def test_exact_distribution_against_scipy_and_counts() -> None:
    counts = wilcoxon_counts(7, 5)
    assert counts.sum() == comb(12, 5, exact=True)
    assert_allclose(counts, counts[::-1])
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=9), rng.normal(0.8, size=12)
    res = mann_whitney(np.concatenate([x, y]), ["a"] * 9 + ["b"] * 12, exact=True)
    ref = mannwhitneyu(x, y, method="exact")
    assert res.statistic == ref.statistic
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)


def test_mann_whitney_all_tied_is_an_error() -> None:
    with pytest.raises(StatisticsError, match="tied"):
        mann_whitney([2.0] * 6, ["a"] * 3 + ["b"] * 3)


# ---- Kruskal-Wallis -------------------------------------------------------------------------


@pytest.mark.parametrize("case", _cases("kruskal"))
def test_kruskal_wallis_matches_r(case: str) -> None:
    x, g = _pair(case)
    res = kruskal_wallis(x, g)
    exp = _expected("kruskal", case)
    assert_allclose(
        [res.statistic, res.df, res.p_value],
        [exp[k] for k in ["statistic", "df", "p"]],
        rtol=CLOSED_FORM,
    )
    assert res.groups.n.sum() == res.n
    assert list(res.groups.group) == sorted(pd.unique(g.dropna()))


def test_kruskal_wallis_errors() -> None:
    with pytest.raises(StatisticsError, match="at least 2 groups"):
        kruskal_wallis([1.0, 2.0, 3.0], ["a", "a", "a"])
    with pytest.raises(StatisticsError, match="tied"):
        kruskal_wallis([1.0, 1.0, 1.0], ["a", "b", "c"])
    with pytest.raises(StatisticsError, match="no complete pairs"):
        kruskal_wallis([np.nan, np.nan], ["a", "b"])


# ---- chi-square -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "case"), [(t, c) for t in ["chisq", "chisq_nocorrect"] for c in _cases(t)]
)
def test_chi_square_matches_r(test: str, case: str) -> None:
    a, b = _pair(case)
    res = chi_square(a, b, correct=test == "chisq")
    exp = _expected(test, case)
    assert_allclose(
        [res.statistic, res.df, res.p_value],
        [exp[k] for k in ["statistic", "df", "p"]],
        rtol=CLOSED_FORM,
    )
    cells = CHISQ_TABLES[(CHISQ_TABLES.test == test) & (CHISQ_TABLES.case == case)]
    rows, cols = cells.row.to_numpy() - 1, cells.col.to_numpy() - 1
    assert_allclose(res.observed.to_numpy()[rows, cols], cells.observed)
    assert_allclose(res.expected.to_numpy()[rows, cols], cells.expected, rtol=CLOSED_FORM)
    assert res.min_expected == pytest.approx(cells.expected.min(), rel=CLOSED_FORM)
    assert res.expected_below_5 == bool((cells.expected < 5).any())


def test_chi_square_yates_uses_min_half_abs_deviation() -> None:
    a, b = _vectors(_fixed("yates_small"))
    res = chi_square(a, b)
    assert 0 < res.yates < 0.5  # |O - E| = 0.2222 in every cell, so R subtracts that, not 0.5
    assert res.yates == pytest.approx(abs(3 - 5 * 5 / 9))
    assert chi_square(a, b, correct=False).yates == 0.0
    grade = chi_square(COHORT.grade, COHORT.sex)
    assert grade.yates == 0.0 and grade.n_missing == int(COHORT.grade.isna().sum())


def test_chi_square_errors() -> None:
    with pytest.raises(StatisticsError, match="at least 2 levels in b"):
        chi_square(["x", "y", "x"], ["u", "u", "u"])
    with pytest.raises(StatisticsError, match="missing"):
        chi_square(COHORT.grade, COHORT.sex, missing="raise")
    with pytest.raises(StatisticsError, match="one-dimensional"):
        chi_square(np.zeros((2, 2)), np.zeros((2, 2)))


# ---- Fisher ---------------------------------------------------------------------------------

# R's FEXACT merges partial-table path lengths within 3.45e-7 and keeps one representative, so
# its p-value on large tables moves with the workspace size at the 1e-9 level (skew_5x4:
# 6.1204468220547e-4 with workspace 2e7, ...196517e-4 with 8e7); ours is stable to 1e-13.
FEXACT_RTOL = {"skew_5x4": 1e-8}


@pytest.mark.parametrize("case", _cases("fisher"))
def test_fisher_matches_r(case: str) -> None:
    a, b = _pair(case)
    res = fisher_exact(a, b)
    exp = _expected("fisher", case)
    assert res.p_value == pytest.approx(exp["p"], rel=FEXACT_RTOL.get(case, CLOSED_FORM))
    if "or" not in exp:
        assert res.odds_ratio is None and res.method == "r x c network algorithm"
        return
    # against fisher.test's own computation solved to 1e-13 (see or_exact in the R script)
    assert_allclose(
        [res.odds_ratio, res.lower, res.upper],
        [exp["or"], exp["ci_low"], exp["ci_high"]],
        rtol=CLOSED_FORM,
    )
    # against fisher.test itself: uniroot's default tolerance on t = OR or 1/OR, in (0, 1)
    for ours, theirs in [
        (res.odds_ratio, exp["or_r"]),
        (res.lower, exp["ci_low_r"]),
        (res.upper, exp["ci_high_r"]),
    ]:
        if ours in (0.0, np.inf):
            assert ours == theirs
        else:
            assert min(ours, 1 / ours) == pytest.approx(min(theirs, 1 / theirs), abs=2e-4)


def _brute_force_p(table: np.ndarray) -> float:
    """Sum over every table with the same margins (cell by cell), FEXACT's rule."""
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    const = gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(table.sum() + 1)
    observed = -gammaln(table + 1).sum()
    total = 0.0
    ranges = [range(min(r, c) + 1) for r in rows[:-1] for c in cols[:-1]]
    for free in itertools.product(*ranges):
        inner = np.array(free).reshape(len(rows) - 1, len(cols) - 1)
        last_col = rows[:-1] - inner.sum(axis=1)
        last_row = cols[:-1] - inner.sum(axis=0)
        corner = rows[-1] - last_row.sum()
        if (last_col < 0).any() or (last_row < 0).any() or corner < 0:
            continue
        full = np.block([[inner, last_col[:, None]], [last_row[None, :], np.array([[corner]])]])
        logp = -gammaln(full + 1).sum()
        if logp <= observed + FEXACT_TOL:
            total += np.exp(const + logp)
    return float(total)


def test_fisher_rxc_against_brute_force() -> None:
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 40:
        shape = tuple(rng.integers(2, 5, size=2))
        table = rng.integers(0, 5, size=shape)
        if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any() or table.sum() > 24:
            continue
        assert fisher_rxc_pvalue(table) == pytest.approx(_brute_force_p(table), rel=1e-11)
        checked += 1


def test_fisher_rxc_invariant_to_transpose_and_order() -> None:
    table = np.array([[8, 5, 3, 1], [6, 9, 7, 2], [2, 6, 10, 4]])
    p = fisher_rxc_pvalue(table)
    assert fisher_rxc_pvalue(table.T) == pytest.approx(p, rel=1e-12)
    assert fisher_rxc_pvalue(table[::-1, [2, 0, 3, 1]]) == pytest.approx(p, rel=1e-12)


def test_fisher_2x2_orientation_and_degenerate_cells() -> None:
    a, b = _vectors(np.array([[9, 1], [3, 7]]))
    res = fisher_exact(a, b)
    flipped = fisher_exact(a, pd.Categorical(b, categories=["c2", "c1"]))
    assert flipped.odds_ratio == pytest.approx(1 / res.odds_ratio, rel=1e-10)
    assert flipped.p_value == pytest.approx(res.p_value, rel=1e-12)
    a, b = _vectors(np.array([[5, 0], [2, 6]]))
    res = fisher_exact(a, b)
    assert res.odds_ratio == np.inf and res.upper == np.inf and res.lower > 0


def test_fisher_errors() -> None:
    with pytest.raises(StatisticsError, match="at least 2 levels in a"):
        fisher_exact(["x"] * 4, ["u", "v", "u", "v"])
    with pytest.raises(StatisticsError, match="level"):
        fisher_exact(COHORT.group2, COHORT.sex, level=0.0)
    with pytest.raises(StatisticsError, match="rows and columns"):
        fisher_rxc_pvalue(np.array([[1, 2, 3]]))


def test_fisher_too_large_is_a_clear_error_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fisher_network, "MAX_ARCS", 1000)
    a, b = _vectors(_fixed("mid_3x4"))
    with pytest.raises(StatisticsError, match="too large"):
        fisher_exact(a, b, fallback="error")


def test_fisher_too_large_falls_back_to_monte_carlo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the network limit: R's simulated p-value, with a warning; close to the exact one."""
    table = _fixed("mid_3x4")
    exact = fisher_rxc_pvalue(table)
    monkeypatch.setattr(fisher_network, "MAX_ARCS", 1000)
    a, b = _vectors(table)
    with pytest.warns(RemarkitWarning, match="Monte Carlo p-value from 20000 random tables"):
        res = fisher_exact(a, b, replicates=20000, seed=3)
    assert res.simulated and res.replicates == 20000 and res.seed == 3
    assert res.method == "r x c Monte Carlo (20000 tables)"
    se = np.sqrt(exact * (1 - exact) / 20000)
    assert abs(res.p_value - exact) < 4 * se + 1 / 20001
    with pytest.warns(RemarkitWarning):
        again = fisher_exact(a, b, replicates=20000, seed=3)
    assert again.p_value == res.p_value


def test_fisher_node_bound_is_checked_before_any_work() -> None:
    """A 3 x 4 table of 30,000 patients: too large up front, the fallback answers at once."""
    table = np.array([[4000, 3000, 2000, 1], [5000, 4000, 2000, 2], [3000, 3000, 3999, 998]])
    with pytest.raises(fisher_network.FisherTooLargeError, match="nodes per stage"):
        fisher_rxc_pvalue(table)
    a, b = _vectors(table)
    with pytest.warns(RemarkitWarning, match="too large"):
        res = fisher_exact(a, b)
    assert res.simulated and res.replicates == 2000
    assert res.p_value == pytest.approx(1 / 2001)  # far from independence: no table as extreme


def test_monte_carlo_tables_keep_the_margins_and_the_null_law() -> None:
    """Random tables have the observed margins; a 2 x 2 cell follows the hypergeometric law."""
    rows, cols = np.array([3, 5, 4]), np.array([2, 6, 4])
    tables = random_tables(rows, cols, 5000, np.random.default_rng(1))
    assert (tables.sum(axis=2) == rows).all() and (tables.sum(axis=1) == cols).all()
    two = random_tables(np.array([6, 9]), np.array([7, 8]), 40000, np.random.default_rng(2))
    freq = np.bincount(two[:, 0, 0], minlength=7) / 40000
    law = hypergeom(15, 6, 7).pmf(np.arange(7))
    assert np.abs(freq - law).max() < 0.01


def test_fisher_rejects_bad_monte_carlo_options() -> None:
    a, b = _vectors(_fixed("mid_3x4"))
    with pytest.raises(StatisticsError, match="replicates"):
        fisher_exact(a, b, replicates=0)
    with pytest.raises(StatisticsError, match="fallback"):
        fisher_exact(a, b, fallback="chi")  # type: ignore[arg-type]
