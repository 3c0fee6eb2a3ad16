"""Fragments: the generic fallback, numbering, figure embedding, overrides, failure boxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from remarkit.report.html import render_html
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.report.conftest import ReportRun

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _unit(result: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "u1",
        "name": "some_unit",
        "version": "1",
        "status": "ok",
        "result": result,
        **extra,
    }


def test_generic_fragment_shows_values_warnings_and_figures(tmp_path: Path) -> None:
    (tmp_path / "units" / "u1").mkdir(parents=True)
    (tmp_path / "units" / "u1" / "f.svg").write_bytes(SVG)
    result = {
        "kind": "no_template_for_this",
        "auc": 0.812345,
        "n": 40,
        "method": "<i>DeLong</i>",
        "flag": False,
        "figures": [{"name": "f", "path": "units/u1/f.svg", "caption": "ROC <curve>"}],
        "warnings": ["few events"],
        "columns": [],
    }
    state = ReportState(tmp_path)
    html = str(render_unit(make_environment(), _unit(result), state))
    assert (
        '<caption id="table-1"><span class="label">Table 1.</span> u1 (some_unit): result values'
        in html
    )
    assert '<td class="num">0.8123</td>' in html and '<td class="num">40</td>' in html
    assert "&lt;i&gt;DeLong&lt;/i&gt;" in html and '<td class="num">no</td>' in html
    assert "few events" in html
    assert 'id="figure-1"' in html and "ROC &lt;curve&gt;" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert state.tables == ["u1 (some_unit): result values"]
    assert state.figures == ["ROC <curve>"]


def test_figure_outside_the_output_folder_is_refused(tmp_path: Path) -> None:
    result = {"kind": "x", "figures": [{"name": "f", "path": "../../etc/passwd", "caption": "c"}]}
    with pytest.raises(ValueError, match="escapes the output folder"):
        render_unit(make_environment(), _unit(result), ReportState(tmp_path))


def test_user_template_overrides_and_extends_the_builtin(tmp_path: Path) -> None:
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "_generic.html").write_text(
        '<div class="mine">{% include "default:units/_generic.html" %}</div>'
    )
    env = make_environment(user_dir=tmp_path)
    html = str(render_unit(env, _unit({"kind": "k", "x": 1.5}), ReportState(tmp_path)))
    assert html.startswith('<div class="mine">') and "result values" in html


def test_broken_fragment_becomes_a_failure_box(report_run: ReportRun, tmp_path: Path) -> None:
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "test_count.html").write_text("{{ result.no_such_field.deeper }}")
    env = make_environment(user_dir=tmp_path)
    html, state = render_html(report_run.results, report_run.out, env)
    assert "Analysis count (test_count) could not be rendered." in html
    assert state.problems and state.problems[0].startswith("unit count: fragment not rendered")


def test_plugin_fragment_renders_formatted_numbers(report_run: ReportRun) -> None:
    html = report_run.html
    unit = next(u for u in report_run.results["units"] if u["id"] == "groups")
    rows = unit["result"]["rows"]
    first = rows[0]
    expected = f"{first['mean']:.2f} ({first['low']:.2f}\u2013{first['high']:.2f})"
    assert expected in html
    assert '<td class="num">&lt;0.001</td>' in html
    assert "Mean age by outcome" in html
