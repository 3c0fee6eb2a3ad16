"""p_adjust against R's stats::p.adjust (tests/reference/p_adjust.R)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from remarkit.stats import P_ADJUST_METHODS, p_adjust

REF = Path(__file__).resolve().parents[1] / "reference"
EXPECTED = pd.read_csv(REF / "p_adjust_expected.csv", keep_default_na=False)


def _float(text: str) -> float:
    return math.nan if text == "NA" else float(text)


@pytest.mark.parametrize(
    ("case", "method"),
    sorted({(str(c), str(m)) for c, m in zip(EXPECTED["case"], EXPECTED["method"], strict=True)}),
)
def test_matches_r(case: str, method: str) -> None:
    rows = EXPECTED[(EXPECTED["case"] == case) & (EXPECTED["method"] == method)]
    rows = rows.sort_values("index")
    p = [None if v == "NA" else float(v) for v in rows["p"]]
    n = int(rows["n"].iloc[0])
    got = p_adjust(p, method, n=n)  # type: ignore[arg-type]
    assert got.n == n
    for value, want in zip(got.adjusted, rows["adjusted"], strict=True):
        expected = _float(str(want))
        if math.isnan(expected):
            assert math.isnan(value)
        else:
            assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_default_n_counts_known_values_and_fdr_is_bh() -> None:
    p = [0.01, None, 0.04, math.nan, 0.02]
    bh = p_adjust(p, "BH")
    assert bh.n == 3
    assert math.isnan(bh.adjusted[1]) and math.isnan(bh.adjusted[3])
    assert p_adjust(p, "fdr").adjusted[0] == bh.adjusted[0]
    assert p_adjust([], "holm").adjusted == ()


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="unknown method 'sidak'"):
        p_adjust([0.1], "sidak")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        p_adjust([0.1, 1.5])
    with pytest.raises(ValueError, match="smaller than the number"):
        p_adjust([0.1, 0.2, 0.3], n=2)


def test_methods_listed() -> None:
    assert set(P_ADJUST_METHODS) >= {"holm", "BH", "bonferroni", "none"}
