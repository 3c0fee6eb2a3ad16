"""cohen_kappa against psych::cohen.kappa, fleiss_kappa against irr's kappam.fleiss (written out
in base R in tests/reference/agreement.R) and krippendorff_alpha against the PyPI package."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import StatisticsError
from remarkit.stats import cohen_kappa, fleiss_kappa, krippendorff_alpha
from tests.stats._agreement_ref import cases, check, data, expected

KAPPA_DATA = data("kappa")
FLEISS_DATA = data("fleiss")
N_LEVELS = {"binary": 2, "prevalent": 2, "ordinal4": 4, "unused_level": 5, "clipped": 3}


def _pair(name: str) -> tuple[pd.Series, pd.Series]:
    sub = KAPPA_DATA[KAPPA_DATA.dataset == name]
    return sub.a, sub.b


@pytest.mark.parametrize("case", cases("kappa/"))
def test_cohen_kappa_matches_psych(case: str) -> None:
    _, name, alpha, weights = case.split("/")
    a, b = _pair(name)
    levels = list(range(1, N_LEVELS[name] + 1))
    res = cohen_kappa(
        a,
        b,
        weights=None if weights == "none" else weights,
        level=1.0 - float(alpha),
        levels=levels,
    )
    exp = expected(case)
    check(res, exp)
    assert res.weights == weights
    assert res.n_missing == int((a.isna() | b.isna()).sum())
    assert res.table.shape == (len(levels), len(levels))
    assert int(res.table.to_numpy().sum()) == res.n
    if len(levels) > 2:
        assert res.prevalence_index is None and res.pabak is None


def test_absent_levels_count_as_zeros() -> None:
    a, b = _pair("unused_level")
    res = cohen_kappa(a, b, levels=[1, 2, 3, 4, 5])
    assert res.levels == ("1", "2", "3", "4", "5")
    assert res.table.loc["4"].sum() == 0 and res.table["5"].sum() == 0
    # without declared levels only the three used ones are counted: unweighted kappa is the same
    plain = cohen_kappa(a, b)
    assert plain.levels == ("1", "2", "3")
    assert plain.estimate == pytest.approx(res.estimate, rel=1e-12)


def test_clipping_as_psych() -> None:
    a, b = _pair("clipped")
    res = cohen_kappa(a, b, levels=[1, 2, 3])
    assert res.estimate is not None and res.se is not None
    assert res.estimate + 1.959963984540054 * res.se > 1.0
    assert res.upper == 1.0


def test_byrt_indices_on_labels() -> None:
    a = ["pos"] * 6 + ["neg"] * 4
    b = ["pos"] * 5 + ["neg"] * 5
    res = cohen_kappa(a, b, levels=["pos", "neg"])
    # table [[5, 1], [0, 4]]: PI = (5 - 4)/10, BI = (1 - 0)/10, PABAK = 2 * 0.9 - 1
    assert res.table.to_numpy().tolist() == [[5, 1], [0, 4]]
    assert res.prevalence_index == pytest.approx(0.1)
    assert res.bias_index == pytest.approx(0.1)
    assert res.pabak == pytest.approx(0.8)


def test_constant_rating_is_flagged_not_nan() -> None:
    res = cohen_kappa(["yes"] * 8, ["yes"] * 8, levels=["yes", "no"])
    assert res.estimate is None and res.se is None and res.lower is None
    assert res.undefined is not None and "undefined" in res.undefined
    assert res.agreement == 1.0 and res.expected == 1.0
    single = cohen_kappa([2, 2, 2], [2, 2, 2])
    assert single.estimate is None and single.levels == ("2",)


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ([1, 2, 3], [1, 2], {}, "differ in length"),
        ([1, 2, 9], [1, 2, 2], {"levels": [1, 2, 3]}, "label 9 .row 2. outside the levels"),
        ([1, 2, None], [None, 2, 2], {"levels": [1, 2]}, None),
        ([None, None], [1, 2], {}, "no subject rated by both"),
        ([1, 2], [1, 2], {"weights": "cubic"}, "weights"),
        ([1, 2], [1, 2], {"level": 95}, "level"),
        ([1, 2], [1, 2], {"levels": [1, 1, 2]}, "duplicates"),
    ],
)
def test_cohen_kappa_bad_input(
    a: list[object], b: list[object], kwargs: dict[str, object], message: str | None
) -> None:
    if message is None:  # a missing label is dropped, not an error
        res = cohen_kappa(a, b, **kwargs)  # type: ignore[arg-type]
        assert (res.n, res.n_missing) == (1, 2)
        return
    with pytest.raises(StatisticsError, match=message):
        cohen_kappa(a, b, **kwargs)  # type: ignore[arg-type]


def _fleiss_table(name: str) -> pd.DataFrame:
    sub = FLEISS_DATA[FLEISS_DATA.dataset == name].drop(columns="dataset")
    return sub.dropna(axis=1, how="all").reset_index(drop=True)


@pytest.mark.parametrize(("name", "n_levels"), [("five", 3), ("with_missing", 4), ("two", 2)])
def test_fleiss_kappa_matches_irr_definition(name: str, n_levels: int) -> None:
    table = _fleiss_table(name)
    res = fleiss_kappa(table, levels=list(range(1, n_levels + 1)))
    check(res, expected(f"fleiss/{name}"))
    assert res.raters == table.shape[1]
    assert res.n_missing == int(table.isna().any(axis=1).sum())
    for level in range(1, n_levels + 1):
        row = res.categories.iloc[level - 1]
        exp = expected(f"fleiss_level/{name}/{level}")
        for key in ("kappa", "se", "z", "p_value"):
            assert row[key] == pytest.approx(exp[key], rel=1e-9, abs=1e-14), key


def test_fleiss_two_raters_equals_scott_pi() -> None:
    table = _fleiss_table("two")
    res = fleiss_kappa(table)
    a, b = table.iloc[:, 0], table.iloc[:, 1]
    po = float((a == b).mean())
    shares = pd.concat([a, b]).value_counts(normalize=True)
    pe = float((shares**2).sum())
    assert res.estimate == pytest.approx((po - pe) / (1 - pe), rel=1e-12)


def test_fleiss_constant_and_bad_input() -> None:
    res = fleiss_kappa([["a", "a", "a"]] * 4, levels=["a", "b"])
    assert res.estimate is None and res.undefined is not None
    assert math.isnan(res.categories.kappa.iloc[1])
    with pytest.raises(StatisticsError, match="at least 2 raters"):
        fleiss_kappa([[1], [2]])
    with pytest.raises(StatisticsError, match="no subject was rated by every rater"):
        fleiss_kappa([[1, None], [None, 2]])
    with pytest.raises(StatisticsError, match="outside the levels"):
        fleiss_kappa([[1, 2], [2, 3]], levels=[1, 2])


def _reliability(seed: int, labels: list[object] | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=50)
    table = np.column_stack(
        [np.where(rng.random(50) < 0.7, truth, rng.integers(1, 6, 50)) for _ in range(4)]
    ).astype(float)
    table[rng.random(table.shape) < 0.15] = np.nan
    return table


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_krippendorff_matches_package(metric: str, seed: int) -> None:
    kd = pytest.importorskip("krippendorff", reason="the krippendorff package is not installed")
    table = _reliability(seed)
    theirs = kd.alpha(reliability_data=table.T, level_of_measurement=metric)
    res = krippendorff_alpha(table, level_of_measurement=metric)
    assert res.estimate == pytest.approx(theirs, rel=1e-9)
    assert res.n_values == int((~np.isnan(table[(~np.isnan(table)).sum(axis=1) >= 2])).sum())


def test_krippendorff_ordinal_labels_follow_declared_order() -> None:
    kd = pytest.importorskip("krippendorff", reason="the krippendorff package is not installed")
    table = _reliability(4)
    order = ["none", "mild", "moderate", "marked", "severe"]
    labels = np.array(
        [[order[int(v) - 1] if v == v else None for v in row] for row in table], dtype=object
    )
    res = krippendorff_alpha(labels, level_of_measurement="ordinal", levels=order)
    theirs = kd.alpha(reliability_data=table.T, level_of_measurement="ordinal")
    assert res.estimate == pytest.approx(theirs, rel=1e-9)
    nominal = krippendorff_alpha(labels, level_of_measurement="nominal")
    assert nominal.estimate == pytest.approx(
        kd.alpha(reliability_data=table.T, level_of_measurement="nominal"), rel=1e-9
    )


def test_krippendorff_two_raters_complete_nominal_is_near_scott_pi() -> None:
    # Krippendorff's alpha = 1 - (n - 1)/n (1 - pi) for two raters without missing data
    table = _fleiss_table("two").to_numpy(dtype=float)
    pi = fleiss_kappa(table).estimate
    assert pi is not None
    n = 2 * table.shape[0]
    res = krippendorff_alpha(table)
    assert res.estimate == pytest.approx(1 - (n - 1) / n * (1 - pi), rel=1e-12)


def test_krippendorff_undefined_and_bad_input() -> None:
    res = krippendorff_alpha([[1, 1], [1, np.nan], [1, 1]], level_of_measurement="interval")
    assert res.estimate is None and res.undefined is not None
    with pytest.raises(StatisticsError, match="level_of_measurement"):
        krippendorff_alpha([[1, 2], [2, 2]], level_of_measurement="circular")
    with pytest.raises(StatisticsError, match="at least two raters"):
        krippendorff_alpha([[1, np.nan], [np.nan, 2]])
    with pytest.raises(StatisticsError, match="must be numbers"):
        krippendorff_alpha([["a", "b"], ["b", "b"]], level_of_measurement="interval")
    with pytest.raises(StatisticsError, match="at least 2 raters"):
        krippendorff_alpha([[1], [2]])


def test_float_codes_match_text_levels() -> None:
    res = cohen_kappa([1.0, 2.0, np.nan, 2.0], ["1", "2", "2", "1"], levels=["1", "2"])
    assert res.levels == ("1", "2") and res.n == 3
    assert res.table.to_numpy().tolist() == [[1, 0], [1, 1]]
