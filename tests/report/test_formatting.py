"""The documented number filters, directly and through templates."""

from __future__ import annotations

import math

import pytest

from remarkit.report.formatting import ci, est_ci, n_pct, num, p_value, pct, sig
from remarkit.report.templates import make_environment


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0004, "<0.001"),
        (0.001, "0.001"),
        (0.0134, "0.013"),
        (0.04999, "0.050"),
        (0.1234, "0.12"),
        (0.996, "1.00"),
        (1.0, "1.00"),
        (None, "\u2013"),
        (math.nan, "\u2013"),
    ],
)
def test_p_values(value: float | None, text: str) -> None:
    assert p_value(value) == text


def test_fixed_and_significant_digits() -> None:
    assert num(2.0) == "2.00"
    assert num(2.345, 1) == "2.3"
    assert num(math.inf) == "\u221e" and num(-math.inf) == "-\u221e"
    assert num("not a number") == "\u2013"
    assert sig(0.012345) == "0.0123"
    assert sig(123.456) == "123"
    assert sig(1234567.0) == "1.23e+06"
    assert sig(0) == "0"


def test_intervals_and_percentages() -> None:
    assert ci(1.2, 4.65) == "1.20\u20134.65"
    assert est_ci(2.345, 1.2, 4.65) == "2.35 (1.20\u20134.65)"
    assert est_ci(2.345, None, 4.65, 1) == "2.3 (\u2013\u20134.7)"
    assert pct(0.621) == "62.1%"
    assert n_pct(93, 153) == "93 (60.8%)"
    assert n_pct(3, 0) == "3"
    assert n_pct(None, 10) == "\u2013"


def test_filters_in_templates_and_autoescape() -> None:
    env = make_environment()
    template = env.from_string(
        "{{ p|p }} {{ x|num(1) }} {{ x|est_ci(lo, hi) }} {{ f|pct }} {{ k|n_pct(n) }} {{ t }}"
    )
    text = template.render(p=0.00001, x=1.25, lo=1.0, hi=1.5, f=0.5, k=3, n=4, t="<b>")
    assert text == "&lt;0.001 1.2 1.25 (1.00\u20131.50) 50.0% 3 (75.0%) &lt;b&gt;"
