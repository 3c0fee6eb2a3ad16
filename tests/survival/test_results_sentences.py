"""multivariable_cox's Results sentences: every number is printed as in the unit's own tables."""

from __future__ import annotations

from remarkit.plugins.survival.multivariable_cox import MultivariableCox, MultivariableCoxParams
from remarkit.report.render import ReportState, render_unit
from remarkit.report.results_text import format_number
from remarkit.report.templates import make_environment
from tests.survival.conftest import SurvivalHarness

MULTI = {"marker": "marker", "adjust": ["age", "stage"]}


def test_marker_sentences_match_the_tables(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(MultivariableCox, MULTI, unit_id="m")
    sentences = MultivariableCox().results_sentences(
        result, MultivariableCoxParams.model_validate(MULTI)
    )
    assert [s.topic for s in sentences] == ["marker", "marker"]
    assert "adjusted for Age and Stage, in {n} patients" in sentences[0].text
    state = ReportState(h.out)
    html = str(
        render_unit(
            make_environment(), {"id": "m", "result": result.model_dump(mode="json")}, state
        )
    )
    tables = {
        k: html.split(f'id="table-{n}"')[1].split("<table")[0]
        for (_, k), n in state.unit_tables.items()
    }
    assert set(tables) == {1, 2}
    for sentence in sentences:
        for spec in sentence.numbers.values():
            printed = format_number(spec.model_dump()).replace("<", "&lt;")
            assert printed in tables[sentence.table], (sentence.text, printed)
