"""ssGSEA against R GSVA 1.46 (tests/reference/ssgsea.R) and gseapy 1.3 (ssgsea_gseapy.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats.ssgsea import SsgseaResult, ssgsea

REF = Path(__file__).resolve().parents[1] / "reference"


def _reference_data() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    expression = pd.read_csv(REF / "ssgsea_expression.csv", index_col=0)
    long = pd.read_csv(REF / "ssgsea_gene_sets.csv")
    sets = {str(name): list(genes) for name, genes in long.groupby("set", sort=False)["gene"]}
    return expression, sets


def _expected(case: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"ssgsea_expected_{case}.csv", index_col=0)


@pytest.mark.parametrize(
    ("case", "options"),
    [
        ("normalized", {}),
        ("unnormalized", {"normalize": False}),
        ("tau1_min10", {"tau": 1.0, "min_size": 10}),
        ("gseapy", {"variant": "gseapy"}),
        ("gseapy_es", {"variant": "gseapy", "normalize": False}),
    ],
)
def test_matches_reference(case: str, options: dict[str, object]) -> None:
    expression, sets = _reference_data()
    expected = _expected(case)
    result = ssgsea(expression, sets, **options)
    assert list(result.scores.index) == list(expected.index)
    assert list(result.scores.columns) == list(expected.columns)
    assert_allclose(result.scores.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=0)


def test_dropped_sets_and_sizes() -> None:
    expression, sets = _reference_data()
    result = ssgsea(expression, sets, tau=1.0, min_size=10)
    in_matrix = set(expression.index)
    found = {name: sum(g in in_matrix for g in genes) for name, genes in sets.items()}
    assert result.dropped == [n for n in sets if found[n] < 10]
    assert result.set_sizes["n_found"].to_dict() == found
    assert result.set_sizes["n_listed"].to_dict() == {n: len(g) for n, g in sets.items()}
    assert result.set_sizes["scored"].to_dict() == {n: found[n] >= 10 for n in sets}
    capped = ssgsea(expression, sets, max_size=20)
    assert list(capped.scores.index) == [n for n in sets if 1 <= found[n] <= 20]


def test_normalization_is_division_by_range() -> None:
    expression, sets = _reference_data()
    raw = ssgsea(expression, sets, normalize=False)
    norm = ssgsea(expression, sets)
    span = float(raw.scores.to_numpy().max() - raw.scores.to_numpy().min())
    assert norm.normalization_range == pytest.approx(span, rel=1e-15)
    assert raw.normalization_range is None
    assert_allclose(norm.scores.to_numpy(), raw.scores.to_numpy() / span, rtol=1e-15)


def _literal_walk(values: np.ndarray, members: list[int], tau: float) -> float:
    """GSVA's ``.rndWalk``: sum of the running in-set minus out-of-set step CDFs."""
    n = values.size
    order = np.argsort(values, kind="stable")
    average = np.empty(n)
    ranks_sorted = np.empty(n)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        ranks_sorted[i : j + 1] = np.floor((i + 1 + j + 1) / 2)
        i = j + 1
    average[order] = ranks_sorted
    walk = sorted(range(n), key=lambda g: -average[g])  # stable: R's order(decreasing = TRUE)
    inside = np.isin(walk, members)
    weight = np.abs(average[walk]) ** tau * inside
    cdf_in = np.cumsum(weight) / weight.sum()
    cdf_out = np.cumsum(~inside) / (~inside).sum()
    return float(np.sum(cdf_in - cdf_out))


def test_closed_form_equals_literal_random_walk() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(size=(80, 5)) * 2)  # heavy ties
    genes = [f"g{i}" for i in range(80)]
    sets = {"a": genes[:7], "b": genes[10:40:3], "c": genes[50:79]}
    result = ssgsea(pd.DataFrame(values, index=genes), sets, tau=0.25, normalize=False)
    for name, members in sets.items():
        idx = [genes.index(g) for g in members]
        expected = [_literal_walk(values[:, j], idx, 0.25) for j in range(5)]
        assert_allclose(result.scores.loc[name].to_numpy(), expected, rtol=1e-9)


def test_without_ties_gene_order_does_not_matter_and_variants_agree() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(200, 6)), index=[f"g{i}" for i in range(200)])
    sets = {"a": [f"g{i}" for i in range(0, 60, 2)], "b": [f"g{i}" for i in range(100, 130)]}
    base = ssgsea(frame, sets).scores
    shuffled = frame.sample(frac=1.0, random_state=1)
    assert_allclose(ssgsea(shuffled, sets).scores.to_numpy(), base.to_numpy(), rtol=1e-12)
    gseapy_like = ssgsea(frame, sets, variant="gseapy").scores
    assert_allclose(gseapy_like.to_numpy(), base.to_numpy(), rtol=1e-12)


def test_result_is_typed_and_frozen() -> None:
    expression, sets = _reference_data()
    result = ssgsea(expression, sets)
    assert isinstance(result, SsgseaResult)
    assert result.n_genes == 300 and result.n_samples == 12
    assert result.tau == 0.25 and result.variant == "gsva" and result.normalized
    with pytest.raises(ValueError, match="frozen"):
        result.tau = 1.0


def test_size_one_set_warns() -> None:
    frame = pd.DataFrame(np.arange(20.0).reshape(10, 2), index=list("abcdefghij"))
    with pytest.warns(RemarkitWarning, match="size one"):
        result = ssgsea(frame, {"one": ["a", "zz"], "two": ["b", "c", "d"]})
    assert list(result.scores.index) == ["one", "two"]


GOOD = pd.DataFrame({"s1": [1.0, 2.0, 3.0, 4.0], "s2": [4.0, 1.0, 2.0, 3.0]}, index=list("abcd"))


@pytest.mark.parametrize(
    ("expression", "sets", "options", "message"),
    [
        (GOOD.to_numpy(), {"x": ["a"]}, {}, "must be a pandas DataFrame"),
        (GOOD.iloc[:, :0], {"x": ["a"]}, {}, "no sample columns"),
        (GOOD.iloc[:1], {"x": ["a"]}, {}, "at least two genes"),
        (GOOD.set_axis(list("aabc")), {"x": ["a"]}, {}, "duplicated gene"),
        (GOOD.assign(s3=list("wxyz")), {"x": ["a"]}, {}, "only numeric"),
        (GOOD.replace(2.0, np.nan), {"x": ["a"]}, {}, "missing or infinite"),
        (GOOD.replace(2.0, np.inf), {"x": ["a"]}, {}, "missing or infinite"),
        (GOOD, {}, {}, "gene_sets is empty"),
        (GOOD, [("x", ["a"])], {}, "must be a mapping"),
        (GOOD, {"x": "abc"}, {}, "must be a list of genes"),
        (GOOD, {"x": ["q", "r"]}, {}, "no gene of any gene set"),
        (GOOD, {"x": ["a", "b"]}, {"min_size": 3}, "no gene set has between"),
        (GOOD, {"x": ["a", "b", "c", "d"]}, {}, "as many genes as the matrix"),
        (GOOD, {"x": ["a", "b"]}, {"tau": float("nan")}, "tau must be"),
        (GOOD, {"x": ["a", "b"]}, {"min_size": 0}, "min_size must be"),
        (GOOD, {"x": ["a", "b"]}, {"max_size": 0}, "max_size must be"),
        (GOOD, {"x": ["a", "b"]}, {"variant": "broad"}, "variant must be"),
        (GOOD[["s1"]], {"x": ["a", "b"]}, {}, "cannot be normalised"),
    ],
)
def test_bad_input(
    expression: object, sets: object, options: dict[str, object], message: str
) -> None:
    with pytest.raises(StatisticsError, match=message):
        ssgsea(expression, sets, **options)


@pytest.mark.parametrize("ties", ["gsva", "gseapy"])
def test_walk_ranks_equal_a_stable_sort_with_and_without_ties(ties: str) -> None:
    from scipy.stats import rankdata

    from remarkit.stats._ranks import walk_ranks

    rng = np.random.default_rng(3)
    values = np.vstack(
        [
            rng.integers(0, 6, size=(3, 40)).astype(np.float64),  # heavy ties
            rng.normal(size=(2, 40)),  # no ties
            np.r_[np.zeros(20), rng.normal(size=20)][np.newaxis, :],  # a block of zeros
        ]
    )
    columns = np.array([39, 0, 5, 17, 5, 22])
    average, position = walk_ranks(values, ties=ties, columns=columns)  # type: ignore[arg-type]
    full_average, full_position = walk_ranks(values, ties=ties)  # type: ignore[arg-type]
    n = values.shape[1]
    for row in range(values.shape[0]):
        expected_average = rankdata(values[row], method="average")
        stable = np.argsort(values[row], kind="stable")
        place = np.empty(n, dtype=np.int64)
        place[stable] = np.arange(1, n + 1)
        if ties == "gsva":  # R order(rank, decreasing = TRUE) is stable: n - p + 1
            by_r = np.lexsort((np.arange(n), -expected_average))
            expected_position = np.empty(n, dtype=np.int64)
            expected_position[by_r] = n - np.arange(n)
        else:
            expected_position = place
        assert_allclose(full_average[row], expected_average, rtol=0, atol=0)
        assert (full_position[row] == expected_position).all()
        assert_allclose(average[row], expected_average[columns], rtol=0, atol=0)
        assert (position[row] == expected_position[columns]).all()
