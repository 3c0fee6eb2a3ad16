"""Choose and run the group test of a score: Mann-Whitney, Welch t or Kruskal-Wallis (as R)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from remarkit import StatisticsError
from remarkit.plugins.evaluators._common import stat

TestName = Literal["mann_whitney", "t_test", "kruskal_wallis"]
TEST_NAMES: dict[str, str] = {
    "mann_whitney": "Mann-Whitney U test",
    "t_test": "Welch t-test",
    "kruskal_wallis": "Kruskal-Wallis test",
}


@dataclass(frozen=True)
class TestOutcome:
    """The test that was run and its statistic, degrees of freedom and p-value."""

    test: TestName
    method: str
    statistic: float
    df: float | None
    p_value: float


def choose(requested: str, k: int, prefix: str) -> TestName:
    """'auto' -> Mann-Whitney for two groups, Kruskal-Wallis for more; two-group tests need 2."""
    if requested == "auto":
        return "mann_whitney" if k == 2 else "kruskal_wallis"
    if requested == "mann_whitney":
        chosen: TestName = "mann_whitney"
    elif requested == "t_test":
        chosen = "t_test"
    else:
        return "kruskal_wallis"
    if k != 2:
        raise StatisticsError(f"{prefix}: the {TEST_NAMES[chosen]} compares two groups, not {k}")
    return chosen


def compare(
    requested: str,
    x: npt.NDArray[np.float64],
    group: npt.NDArray[np.object_],
    levels: list[str],
    *,
    exact: bool,
    sink: list[str],
    prefix: str,
) -> TestOutcome:
    """Run the chosen test with ``levels`` as the group order (R's factor order)."""
    from remarkit.stats.group_tests import kruskal_wallis, mann_whitney, t_test

    test = choose(requested, len(levels), prefix)
    codes = pd.Categorical(group, categories=levels)
    if test == "mann_whitney":
        mw = stat(sink, prefix, mann_whitney, x, codes, exact=exact, correct=True, missing="raise")
        return TestOutcome(test, mw.method, mw.statistic, None, mw.p_value)
    if test == "t_test":
        tt = stat(sink, prefix, t_test, x, codes, equal_var=False, missing="raise")
        return TestOutcome(test, tt.method, tt.statistic, tt.df, tt.p_value)
    kw = stat(sink, prefix, kruskal_wallis, x, codes, missing="raise")
    return TestOutcome(test, "Kruskal-Wallis rank-sum test", kw.statistic, float(kw.df), kw.p_value)
