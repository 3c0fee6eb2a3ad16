"""bland_altman against base R (tests/reference/agreement.R)."""

from __future__ import annotations

import numpy as np
import pytest

from remarkit.errors import StatisticsError
from remarkit.stats import bland_altman
from tests.stats._agreement_ref import cases, check, data, expected

BA_DATA = data("ba")


@pytest.mark.parametrize("case", cases("bland_altman/"))
def test_matches_r(case: str) -> None:
    _, name, scale, alpha = case.split("/")
    sub = BA_DATA[BA_DATA.dataset == name]
    a, b = sub.a.to_numpy(), sub.b.to_numpy()
    if scale == "log":
        a, b = np.log(a), np.log(b)
    res = bland_altman(a, b, level=1.0 - float(alpha))
    check(res, expected(case))


def test_limits_use_qnorm_not_196() -> None:
    res = bland_altman([1.0, 2.0, 3.5, 4.0], [1.2, 1.9, 3.0, 4.4])
    assert res.z == pytest.approx(1.959963984540054, rel=1e-15)
    assert res.upper_loa - res.bias == pytest.approx(res.z * res.sd, rel=1e-14)


def test_constant_means_have_no_slope() -> None:
    res = bland_altman([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
    assert res.slope is None and res.slope_p is None
    assert res.bias == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([1.0, 2.0], [1.0, 2.0], "at least 3 complete pairs"),
        ([1.0, 2.0, np.nan, 4.0], [1.0, np.nan, 3.0, 4.0], "at least 3 complete pairs"),
        ([1.0, 2.0, 3.0], [1.0, 2.0], "differ in length"),
        ([1.0, np.inf, 3.0], [1.0, 2.0, 3.0], "infinite"),
        (["x", "y", "z"], [1.0, 2.0, 3.0], "numeric"),
        ([[1.0, 2.0]], [[1.0, 2.0]], "one-dimensional"),
    ],
)
def test_bad_input(a: object, b: object, message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        bland_altman(a, b)
