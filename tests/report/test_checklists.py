"""TRIPOD+AI, CLEAR and CLAIM beside REMARK: items as data, statuses, which checklists apply."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from remarkit.engine.api import prepare
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputError, InputErrors
from remarkit.plugins.checklists.claim import CLAIM
from remarkit.plugins.checklists.clear import CLEAR
from remarkit.plugins.checklists.tripod_ai import TRIPOD_AI
from remarkit.report.checklist import (
    ItemStatus,
    applicable_checklists,
    evaluate,
    item_key,
    select_checklists,
)
from tests.report.conftest import ReportRun, report_plugins, write_study

TRIPOD_LABELS = [
    "1",
    "2",
    "3a",
    "3b",
    "3c",
    "4",
    "5a",
    "5b",
    "6a",
    "6b",
    "6c",
    "7",
    "8a",
    "8b",
    "8c",
    "9a",
    "9b",
    "9c",
    "10",
    "11",
    "12a",
    "12b",
    "12c",
    "12d",
    "12e",
    "12f",
    "12g",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18a",
    "18b",
    "18c",
    "18d",
    "18e",
    "18f",
    "19",
    "20a",
    "20b",
    "20c",
    "21",
    "22",
    "23a",
    "23b",
    "24",
    "25",
    "26",
    "27a",
    "27b",
    "27c",
]


def _available() -> dict[str, Any]:
    return make_plugin_manager(entry_points=[]).checklists().checklists


def _unit(uid: str, name: str, family: str = "evaluator", **result: Any) -> dict[str, Any]:
    return {
        "id": uid,
        "name": name,
        "family": family,
        "section": "performance",
        "status": "ok",
        "remark_items": [],
        "result": {"kind": name, **result},
    }


def _statuses(checklist: Any, results: dict[str, Any]) -> dict[str, ItemStatus]:
    return {s.item.label: s for s in evaluate(checklist, results).items}


def test_every_checklist_registers_its_items_through_the_hook() -> None:
    available = _available()
    assert sorted(available) == ["claim", "clear", "remark", "tripod-ai"]
    assert [i.label for i in TRIPOD_AI.items] == TRIPOD_LABELS
    assert [i.label for i in CLEAR.items] == [str(n) for n in range(1, 59)]
    assert [i.label for i in CLAIM.items] == [str(n) for n in range(1, 45)]
    for checklist in (TRIPOD_AI, CLEAR, CLAIM):
        assert available[checklist.name] is checklist
        labels = [i.label for i in checklist.items]
        assert labels == [i.label for i in sorted(checklist.items, key=item_key)]
        for item in checklist.items:
            assert item.topic and len(item.topic) <= 70 and item.satisfy, item
            assert item.fields or item.units or item.sections, item


def test_failing_study_lists_hints_naming_the_field_or_unit(report_run: ReportRun) -> None:
    status = _statuses(TRIPOD_AI, report_run.results)
    assert status["18a"].status == "missing"
    assert status["18a"].hint == "write it in [study.narrative] funding"
    assert status["19"].status == "missing" and "patient_involvement" in status["19"].hint
    assert status["12e"].status == "missing" and "discrimination" in status["12e"].hint
    assert status["6a"].status == "reported"  # the test study fills narrative.patients
    assert status["12f"].status == "not_applicable" and status["12f"].hint == ""
    # The groups unit claims REMARK 13 by number; TRIPOD+AI 13 (class imbalance) is another item.
    assert status["13"].status == "missing" and status["13"].evidence == ()
    clear = _statuses(CLEAR, report_run.results)
    assert clear["25"].status == "missing" and "radiomics_score" in clear["25"].hint
    assert clear["7"].status == "reported"  # the report carries its checklists
    assert clear["7"].evidence[0].anchor == "sec-checklists"
    claim = _statuses(CLAIM, report_run.results)
    assert claim["11"].status == "missing" and "deidentification" in claim["11"].hint
    assert claim["22"].status == "missing" and "deep_score" in claim["22"].hint


def test_passing_study_is_evidenced_by_units_and_fields(report_run: ReportRun) -> None:
    results = copy.deepcopy(report_run.results)
    results["study"]["narrative"].update(
        funding="Grant 1.", patient_involvement="None.", deidentification="DICOM tags removed."
    )
    results["units"] += [
        _unit("mv", "multivariable_logistic", "clinical", selected=["age", "marker"]),
        _unit("auc", "discrimination"),
        _unit("rad", "radiomics_score", "phase_scorer", reproducibility={"icc": 0.9}),
        _unit("dl", "deep_score", "phase_scorer"),
    ]
    status = _statuses(TRIPOD_AI, results)
    assert status["18a"].status == "reported"
    assert status["18a"].evidence[0].anchor == "f-study-narrative-funding"
    assert status["19"].status == "reported"
    assert [e.label for e in status["12e"].evidence] == ["auc (discrimination)"]
    assert [e.anchor for e in status["22"].evidence] == ["unit-mv", "unit-rad", "unit-dl"]
    clear = _statuses(CLEAR, results)
    assert clear["25"].status == "reported" and clear["31"].status == "reported"
    assert _statuses(CLAIM, results)["22"].status == "reported"
    assert _statuses(CLAIM, results)["11"].status == "reported"
    # A field half-filled: CLAIM 3 needs background and intended use.
    results["study"]["narrative"]["background"] = "Context."
    claim3 = _statuses(CLAIM, results)["3"]
    assert claim3.status == "partial"
    assert claim3.lacking == ("study.narrative.intended_use is empty",)


def test_clear_31_needs_a_second_segmentation(report_run: ReportRun) -> None:
    results = copy.deepcopy(report_run.results)
    results["units"].append(_unit("rad", "radiomics_score", "phase_scorer", reproducibility=None))
    item = _statuses(CLEAR, results)["31"]
    assert item.status == "missing"
    assert item.lacking == (
        "unit rad (radiomics_score): no second segmentation was given, so feature "
        "reproducibility was not assessed",
    )


def test_evaluation_items_apply_to_an_applied_model_only(report_run: ReportRun) -> None:
    results = copy.deepcopy(report_run.results)
    results["applied_model"] = {"models": ["mv"]}
    status = _statuses(TRIPOD_AI, results)
    assert status["9a"].status == "not_applicable" and status["22"].status == "not_applicable"
    assert status["12f"].status == "missing" and "model_updating" in status["12f"].hint
    assert status["12g"].status == "reported"  # the provenance names the applied model
    counts = evaluate(TRIPOD_AI, results).counts
    assert sum(counts.values()) == 52 and counts["not_applicable"] == 8


def test_applicable_checklists_by_default_and_declared(report_run: ReportRun) -> None:
    available = _available()
    results = copy.deepcopy(report_run.results)

    def names() -> list[str]:
        return [c.name for c in applicable_checklists(available, results)]

    assert names() == ["remark"]
    results["units"].append(_unit("mv", "multivariable_cox", "clinical"))
    assert names() == ["remark", "tripod-ai"]
    results["units"].append(_unit("rad", "radiomics_score", "phase_scorer"))
    results["units"].append(_unit("dl", "deep_score", "phase_scorer"))
    assert names() == ["remark", "claim", "clear", "tripod-ai"]
    results["units"][-1]["status"] = "failed"
    assert "claim" not in names()
    results["study"]["checklists"] = ["tripod-ai", "remark"]
    assert names() == ["remark", "tripod-ai"]
    results["study"]["checklists"] = ["stard"]
    with pytest.raises(InputError, match=r"unknown checklist 'stard' \(available: claim, clear"):
        names()
    with pytest.raises(InputError) as err:
        select_checklists(available, ["clear", "nope"])
    assert err.value.format() == (
        "field '--checklist': unknown checklist 'nope' (available: claim, clear, remark, tripod-ai)"
    )


def test_spec_naming_an_unknown_checklist_is_bad_input(tmp_path: Path) -> None:
    extra = 'checklists = ["remark", "tripodai"]\n'
    spec = write_study(tmp_path / "study", study_extra=extra)
    with pytest.raises(InputErrors) as err:
        prepare(spec, report_plugins())
    messages = [e.format() for e in err.value.errors]
    assert any(
        "study.checklists[1]" in m
        and "unknown checklist 'tripodai' (available: claim, clear, remark, tripod-ai)" in m
        for m in messages
    ), messages
