"""The documented number filters, directly and through templates."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from remarkit.report.formatting import ci, est_ci, n_pct, num, p_phrase, p_value, pct, sig
from remarkit.report.render import ReportState, recording_filters, render_unit
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
        (math.nan, "n.e."),
        ("NaN", "n.e."),
    ],
)
def test_p_values(value: float | None, text: str) -> None:
    assert p_value(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0004, "p < 0.001"), (0.0134, "p = 0.013"), (0.5, "p = 0.50"), (None, "p = \u2013")],
)
def test_p_phrase_never_prints_an_equals_sign_before_a_bound(
    value: float | None, text: str
) -> None:
    assert p_phrase(value) == text
    environment = make_environment()
    rendered = environment.from_string("{{ v | p_phrase }}").render(v=value)
    assert rendered == text.replace("<", "&lt;")  # escaped as any HTML text


def test_fixed_and_significant_digits() -> None:
    assert num(2.0) == "2.00"
    assert num(2.345, 1) == "2.3"
    assert num(math.inf) == "inf" and num(-math.inf) == "-inf" and num(math.nan) == "n.e."
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


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "n.e."),
        ("Infinity", "inf"),
        ("-Infinity", "-inf"),
        ("NaN", "n.e."),
        (None, "\u2013"),
    ],
)
def test_non_finite_values_in_every_filter(value: object, text: str) -> None:
    """Floats and results.json's string forms print ``inf`` / ``-inf`` / ``n.e.``."""
    assert num(value) == text and sig(value) == text and pct(value) == text
    assert ci(1.5, value) == f"1.50\u2013{text}"
    assert est_ci(2.0, 1.5, value) == f"2.00 (1.50\u2013{text})"


@pytest.mark.parametrize("value", [-0.0, -0.001, -0.0049, -1e-12])
def test_values_rounding_to_zero_print_no_minus_sign(value: float) -> None:
    assert num(value) == "0.00" and num(value, 0) == "0" and num(value, 1) == "0.0"
    assert pct(value / 100) == "0.0%" and sig(-0.0) == "0"
    assert ci(value, 0.5) == "0.00\u20130.50"
    assert n_pct(0, 7) == "0 (0.0%)"
    assert num(-0.005001) == "-0.01" and sig(-0.0123) == "-0.0123"


def test_table_note_explains_non_finite_marks(tmp_path: Path) -> None:
    """A table showing inf or n.e. gets a note saying what they mean; others do not."""
    env = make_environment()
    state = ReportState(tmp_path)
    env.filters.update(recording_filters(state))
    template = env.from_string(
        '{% import "macros.html" as m with context %}'
        "<table>{{ m.caption('A') }}<tr><td>{{ lo|est_ci(lo, hi) }}</td><td>{{ p|p }}</td></tr>"
        "</table>{{ m.note('Wald CIs.') }}"
        "<table>{{ m.caption('B') }}<tr><td>{{ lo|num }}</td></tr></table>{{ m.note('Plain.') }}"
    )
    html = template.render(lo=1.25, hi="Infinity", p="NaN", report=state)
    first, second = html.split("<table>")[1:]
    assert "1.25 (1.25\u2013inf)" in first and "<td>n.e.</td>" in first
    assert "Wald CIs. inf, infinite" in first and "n.e., not estimable" in first
    assert "Plain.</p>" in second and "infinite" not in second


def test_fragment_without_note_still_explains_marks(tmp_path: Path) -> None:
    """The generic fragment has no table note: the explanation closes the fragment."""
    env = make_environment()
    state = ReportState(tmp_path)
    env.filters.update(recording_filters(state))
    unit = {"id": "u", "name": "x", "result": {"kind": "none_such", "upper": "Infinity"}}
    html = str(render_unit(env, unit, state))
    assert '<td class="num">inf</td>' in html
    assert '<p class="table-note">inf, infinite' in html and "n.e., not" not in html


def test_parameter_rows_flatten_nested_tables_and_keep_characters() -> None:
    from remarkit.report.provenance_view import param_rows, short_hash

    params = {"expr": "a < b & c", "grid": {"depth": [2, 3], "rate": 0.1}, "name": "", "on": True}
    assert param_rows(params) == [
        ("expr", "a < b & c"),
        ("grid.depth", "[2, 3]"),
        ("grid.rate", "0.1"),
        ("name", '""'),
        ("on", "true"),
    ]
    assert param_rows(None) == []
    assert short_hash("0123456789abcdef") == "0123456789ab\u2026"
    assert short_hash(None) == "\u2013"
