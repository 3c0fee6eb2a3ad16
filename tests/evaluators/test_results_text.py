"""The generated Results section and the Discussion's limitations, on the synthetic study."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.report.html import render_html
from remarkit.report.limitations import limitations
from remarkit.report.render import ReportState
from remarkit.report.results_text import format_number
from remarkit.report.templates import make_environment
from tests.evaluators.conftest import SPEC, evaluator_frame

UNITS = """
[[unit]]
id = "disc"
use = "discrimination"
scores = [{column = "score_a"}, {column = "score_b"}]

[[unit]]
id = "cal"
use = "calibration"
scores = [{column = "prob_a"}]

[[unit]]
id = "cmp"
use = "model_comparison"
scores = [{column = "score_a"}, {column = "score_b"}, {column = "prob_b"}]

[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "score_a", label = "A"}]
positive_label = "Predicted responder"
negative_label = "Predicted non-responder"
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """The synthetic study's results.json and output folder."""
    root = tmp_path_factory.mktemp("results_text")
    evaluator_frame().to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(SPEC + UNITS, encoding="utf-8")
    prepared = prepare(root / "study.toml", make_plugin_manager(entry_points=[]))
    run_prepared(prepared, root / "out", use_cache=False)
    results = json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))
    return results, root / "out"


def _render(results: dict[str, Any], out: Path) -> tuple[str, ReportState]:
    html, state = render_html(results, out, make_environment())
    assert not state.problems, state.problems
    return html, state


def _section(html: str, key: str) -> str:
    start = html.index(f'id="sec-{key}"')
    return html[start : html.index("</section>", start)]


def _table(html: str, n: int) -> str:
    start = html.index(f'id="table-{n}"')
    return html[start : html.index("</table>", start)]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_every_sentence_number_is_printed_in_its_linked_table(
    run: tuple[dict[str, Any], Path],
) -> None:
    results, out = run
    html, state = _render(results, out)
    text = _section(html, "results")
    checked = 0
    for unit in results["units"]:
        assert unit["status"] == "ok", unit["error"]
        assert unit["sentences"], unit["id"]
        for sentence in unit["sentences"]:
            n = state.unit_tables[(unit["id"], sentence["table"])]
            assert f'<a href="#table-{n}">Table {n}</a>' in text
            table = _table(html, n)
            for spec in sentence["numbers"].values():
                printed = _escaped(format_number(spec))
                assert printed in table, (unit["id"], sentence["text"], printed)
                assert printed.replace("&lt;", "&lt; ") in text
                checked += 1
    assert checked > 30
    assert "p = &lt;" not in text and "p &lt; 0.001" in text


def test_cohort_sentence_matches_the_cohort_table(run: tuple[dict[str, Any], Path]) -> None:
    results, out = run
    html, _ = _render(results, out)
    cohort = results["cohort"]
    text = _section(html, "results")
    assert f"The analysis included {cohort['n']} patients" in text
    table = _table(html, 1)
    for printed in ("73 (45.6%)", "42 (52.5%)"):
        assert printed in text and printed in table
    assert '<a href="#table-1">Table 1</a>' in text


def test_exploratory_marks_follow_the_declared_primary(run: tuple[dict[str, Any], Path]) -> None:
    results, out = run
    html, _ = _render(results, out)
    text = _section(html, "results")
    assert "No primary analysis was declared" in text
    assert "<em>exploratory</em>" not in text
    declared = copy.deepcopy(results)
    declared["study"]["primary"] = {"model": "score_a", "comparison": [], "note": ""}
    text = _section(_render(declared, out)[0], "results")
    assert "The pre-specified primary analysis is the model <code>score_a</code>" in text
    performance = text[text.index('id="results-performance"') :]
    score_a, score_b = (s for s in performance.split(". ") if "The AUC of Score" in s)
    assert "exploratory" not in score_a and "<em>exploratory</em>" in score_b
    assert "Model A probability had a calibration" in text
    calibration = text[text.index("Model A probability had") :].split("</p>")[0]
    assert "<em>exploratory</em>" in calibration


def test_deterministic(run: tuple[dict[str, Any], Path]) -> None:
    results, out = run
    assert _render(results, out)[0] == _render(copy.deepcopy(results), out)[0]


def _rules(results: dict[str, Any]) -> list[str]:
    return [item.rule for item in limitations(results)]


def test_limitations_appear_and_disappear_with_their_trigger(
    run: tuple[dict[str, Any], Path],
) -> None:
    results, _ = run
    base = copy.deepcopy(results)
    assert _rules(base) == ["test_set_size", "no_primary"]
    changed = copy.deepcopy(base)
    changed["study"]["primary"] = {"model": "score_a", "comparison": [], "note": ""}
    disc = next(u for u in changed["units"] if u["id"] == "disc")
    for score in disc["result"]["scores"]:
        score["test"].update(n_cases=120, auc_lower=0.70, auc_upper=0.85)
    assert _rules(changed) == []
    cal = next(u for u in changed["units"] if u["id"] == "cal")
    cal["result"]["models"][0]["sets"][-1]["slope"] = 0.61
    cmp = next(u for u in changed["units"] if u["id"] == "cmp")
    cmp["result"]["p_adjust"] = "none"
    disc["result"]["epv"] = 4.31
    changed["study"]["narrative"]["centres"] = "single centre"
    items = limitations(changed)
    assert [i.rule for i in items] == [
        "events_per_variable",
        "calibration_slope",
        "multiplicity",
        "single_centre",
    ]
    assert "fitted with 4.3 events per variable" in items[0].text
    assert "slope of Model A probability in the test set is 0.61" in items[1].text
    assert "Model comparison (cmp)" in items[2].text
    for text in ("3 centres", "multi-centre", ""):
        changed["study"]["narrative"]["centres"] = text
        assert "single_centre" not in _rules(changed)
    for text in ("1", "one centre", "Single-centre", "monocentric", "mono-institution"):
        changed["study"]["narrative"]["centres"] = text
        assert "single_centre" in _rules(changed), text


def test_narrative_limitations_replace_the_generated_list(
    run: tuple[dict[str, Any], Path],
) -> None:
    results, out = run
    html, _ = _render(results, out)
    discussion = _section(html, "discussion")
    assert 'data-rule="test_set_size"' in discussion
    assert '(<a href="#unit-disc">results</a>).' in discussion
    edited = copy.deepcopy(results)
    edited["study"]["narrative"]["limitations"] = "Our own account of the limitations."
    discussion = _section(_render(edited, out)[0], "discussion")
    assert "Our own account of the limitations." in discussion
    assert "data-rule" not in discussion


def test_cox_events_per_term() -> None:
    model = {"events": 27, "variables": [{"terms": [{}]}, {"terms": [{}, {}]}]}
    unit = {"id": "mcox", "name": "multivariable_cox", "status": "ok"}
    results = {"study": {"primary": {"model": "m"}}, "units": [unit]}
    unit["result"] = {"kind": "multivariable_cox", "model": model}
    (item,) = limitations(results)
    assert item.rule == "events_per_variable" and "9.0 events per variable" in item.text
    model["events"] = 30
    assert limitations(results) == []


def test_a_sentence_that_cannot_be_printed_is_a_problem(run: tuple[dict[str, Any], Path]) -> None:
    results, out = run
    broken = copy.deepcopy(results)
    unit = next(u for u in broken["units"] if u["id"] == "cal")
    unit["sentences"][0]["text"] += " {missing}"
    html, state = render_html(broken, out, make_environment())
    assert state.problems == ["unit cal: a Results sentence not printed: KeyError('missing')"]
    assert "Model A probability had a calibration" not in _section(html, "results")
