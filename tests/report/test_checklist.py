"""The REMARK checklist plugin, item evaluation, and the REMARK profile."""

from __future__ import annotations

import copy
from typing import Any

from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.plugins.checklists.remark import REMARK
from remarkit.report.checklist import evaluate
from remarkit.report.profile import build_profile
from tests.report.conftest import ReportRun

NARRATIVE_ITEMS = {
    2: "patients",
    3: "treatment",
    4: "specimens",
    5: "assay",
    9: "sample_size",
    19: "interpretation",
    20: "implications",
}


def test_remark_registers_twenty_items_through_the_hook() -> None:
    plugins = make_plugin_manager(entry_points=[])
    registry = plugins.checklists()
    assert registry.checklists["remark"] is REMARK
    assert registry.origins["remark"].plugin == "remarkit.plugins.checklists"
    assert [i.number for i in REMARK.items] == list(range(1, 21))
    assert all(i.text and i.topic and i.satisfy for i in REMARK.items)
    for number, key in NARRATIVE_ITEMS.items():
        assert REMARK.items[number - 1].fields[0] == f"study.narrative.{key}"
    assert REMARK.items[11].fields == ("cohort.flow",)
    assert "McShane" in REMARK.citation


def _statuses(results: dict[str, Any]) -> dict[int, Any]:
    return {s.item.number: s for s in evaluate(REMARK, results).items}


def test_statuses_from_narrative_units_and_flow(report_run: ReportRun) -> None:
    status = _statuses(report_run.results)
    assert status[2].status == "reported"
    # a free sentence on treatment is not judged: the regimens and allocation are fields of their own
    assert status[3].status == "missing"
    assert status[3].decided_by == ("item3.regimens", "item3.allocation")
    assert status[2].evidence[0].anchor == "f-study-narrative-patients"
    assert status[4].status == "missing" and "specimens" in status[4].item.satisfy
    assert status[5].status == "missing"  # the vacuous reproducibility rule makes it no partial
    # the flow's last step gives no number analysed
    assert status[12].status == "partial" and status[12].evidence[0].anchor == "f-cohort-flow"
    assert status[12].decided_by == ("item12.counts",)
    assert status[8].status == "reported"
    assert status[1].status == "missing"
    unit_evidence = [e for e in status[13].evidence if e.kind == "unit"]
    assert [(e.label, e.anchor, e.section) for e in unit_evidence] == [
        ("groups (test_report_groups)", "unit-groups", "Patient characteristics")
    ]
    # test_standardise declares item 10, but no model ran and nothing says how variables entered
    assert status[10].status == "missing" and status[10].evidence
    assert status[16].status == "missing"


def test_partial_and_failed_units(report_run: ReportRun) -> None:
    results = copy.deepcopy(report_run.results)
    results["study"]["markers"] = ["marker"]
    results["study"]["objective"] = "To test."
    boom = next(u for u in results["units"] if u["id"] == "boom")
    boom["remark_items"] = [16]
    status = _statuses(results)
    assert status[1].status == "partial"
    assert status[1].lacking == ("item1.hypotheses: study.hypotheses is empty",)
    assert status[1].decided_by == ("item1.hypotheses",)
    assert status[16].status == "missing"
    assert "unit boom (test_fail) failed" in status[16].lacking
    results["study"]["hypotheses"] = "   "
    assert _statuses(results)[1].status == "partial"
    results["study"]["hypotheses"] = "H1."
    assert _statuses(results)[1].status == "reported"


def test_checklist_counts_and_json(report_run: ReportRun) -> None:
    evaluated = evaluate(REMARK, report_run.results)
    counts = evaluated.counts
    assert sum(counts.values()) == 20
    assert counts["missing"] == len(evaluated.missing)
    data = evaluated.as_dict()
    assert [i["number"] for i in data["items"]] == list(range(1, 21))
    assert data["items"][3]["satisfy"] and not data["items"][1]["satisfy"]


def test_profile_counts_from_results_or_cohort(report_run: ReportRun) -> None:
    profile = build_profile(report_run.results)
    cohort = report_run.results["cohort"]
    by_id = {a.unit_id: a for a in profile.analyses}
    groups = next(u for u in report_run.results["units"] if u["id"] == "groups")["result"]
    assert (by_id["groups"].n, by_id["groups"].events) == (groups["n"], groups["events"])
    assert by_id["groups"].counts_from == "analysis"
    assert by_id["groups"].variables == ("age",)
    assert (by_id["count"].n, by_id["count"].events) == (
        cohort["n"],
        cohort["events_train"] + cohort["events_test"],
    )
    assert by_id["count"].variables == ("std.z",)
    assert (by_id["boom"].n, by_id["boom"].counts_from) == (None, "not run")
    assert [a.code for a in profile.analyses] == ["A1", "A2", "A3", "A4", "A5"]
    assert [a.unit_id for a in profile.analyses] == [u["id"] for u in report_run.results["units"]]
    labels = [row.label for row in profile.patients]
    assert labels[:2] == ["enrolled", "no images"]
    assert profile.patients[2].n == cohort["n"]
    assert profile.variables == ("age", "marker", "stage")


def test_checklist_and_profile_in_the_report(report_run: ReportRun) -> None:
    html = report_run.html
    assert 'id="checklist-remark"' in html and 'id="remark-profile"' in html
    for number in range(1, 21):
        assert f'id="checklist-remark-{number}"' in html
    assert '<a href="#unit-groups">groups (test_report_groups)</a>' in html
    assert '<a href="#f-cohort-flow">cohort.flow</a>' in html
    for anchor in (
        "f-cohort-flow",
        "f-study-narrative-patients",
        "f-study-objective",
        "f-cohort-variables",
        "f-study-narrative-implications",
    ):
        assert f'id="{anchor}"' in html
