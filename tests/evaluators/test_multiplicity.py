"""[study.primary] and the multiplicity adjustment of model_comparison's DeLong matrix."""

from __future__ import annotations

import pytest

from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import p_adjust
from tests.evaluators.conftest import SPEC, InputErrors, Runner, ok

UNITS = """
[[unit]]
id = "cmp"
use = "model_comparison"
scores = [{column = "score_a"}, {column = "score_b"}, {column = "prob_b"}]
"""
PRIMARY = SPEC.replace(
    "seed = 11\n",
    'seed = 11\n\n[study.primary]\nmodel = "score_a"\ncomparison = ["score_a", "prob_b"]\n',
)


def test_holm_by_default_per_set(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["cmp"])
    assert result["p_adjust"] == "holm"
    for split in ("train", "test"):
        rows = [c for c in result["comparisons"] if c["split"] == split]
        want = p_adjust([c["p_value"] for c in rows], "holm").adjusted
        assert [c["p_adjusted"] for c in rows] == list(want)
        assert not any(c["primary"] for c in rows)


def test_primary_pair_is_unadjusted_and_others_exploratory(run_study: Runner) -> None:
    records = run_study(UNITS + 'p_adjust = "BH"\n', spec=PRIMARY)
    result = ok(records["cmp"])
    for split in ("train", "test"):
        rows = [c for c in result["comparisons"] if c["split"] == split]
        primary = [c for c in rows if c["primary"]]
        assert [(c["a"], c["b"]) for c in primary] == [(0, 2)]
        assert primary[0]["p_adjusted"] == primary[0]["p_value"]
        others = [c for c in rows if not c["primary"]]
        want = p_adjust([c["p_value"] for c in others], "BH").adjusted
        assert [c["p_adjusted"] for c in others] == list(want)
    html = str(render_unit(make_environment(), records["cmp"], ReportState(records["__out__"])))
    assert html.count("<strong>primary</strong>") == 2
    assert html.count("<em>exploratory</em>") == 4
    assert "Benjamini-Hochberg over the set&#39;s exploratory pairs" in html
    assert "Benjamini-Hochberg method" in records["cmp"]["methods"]


def test_none_keeps_the_old_wording(run_study: Runner) -> None:
    records = run_study(UNITS + 'p_adjust = "none"\n')
    assert all(c["p_adjusted"] == c["p_value"] for c in ok(records["cmp"])["comparisons"])
    assert "not adjusted for multiple comparisons" in records["cmp"]["methods"]
    html = str(render_unit(make_environment(), records["cmp"], ReportState(records["__out__"])))
    assert "adj. p" not in html


def test_primary_naming_no_unit_or_variable(run_study: Runner) -> None:
    spec = PRIMARY.replace('model = "score_a"', 'model = "nosuch.score"')
    with pytest.raises(InputErrors) as info:
        run_study(UNITS, spec=spec)
    (line,) = [str(e) for e in info.value.errors]
    assert "field 'study.primary.model'" in line
    assert "'nosuch.score' is neither a cohort variable" in line


def test_primary_comparison_needs_two_columns(run_study: Runner) -> None:
    spec = PRIMARY.replace('comparison = ["score_a", "prob_b"]', 'comparison = ["score_a"]')
    with pytest.raises(InputErrors) as info:
        run_study(UNITS, spec=spec)
    assert any("study.primary.comparison" in str(e) for e in info.value.errors)


GROUPS = """
[[unit]]
id = "grp"
use = "group_comparison"
scores = [{column = "score_a"}, {column = "score_b"}, {column = "marker"}]
group = "stage"
"""


@pytest.mark.parametrize("method", ["holm", "BH"])
def test_group_comparison_adjusts_over_its_scores(run_study: Runner, method: str) -> None:
    records = run_study(GROUPS + f'p_adjust = "{method}"\n')
    result = ok(records["grp"])
    want = p_adjust([s["p_value"] for s in result["scores"]], method).adjusted  # type: ignore[arg-type]
    assert [s["p_adjusted"] for s in result["scores"]] == list(want)
    html = str(render_unit(make_environment(), records["grp"], ReportState(records["__out__"])))
    assert "<th>Adj. p</th>" in html
    assert "adjusted over the 3 scores" in records["grp"]["methods"]
