"""REMARK's evidence rules: each rule passes a study that meets it and fails one that does not.

``STUDY`` is a small results.json that meets every rule; ``FAILING`` gives, per rule id, the
change that makes it fail. The item's status then follows the rules (reported, partial, missing).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from remarkit.engine.api import prepare
from remarkit.engine.registry import EvidenceRule
from remarkit.errors import InputErrors
from remarkit.plugins.checklists.remark import REMARK
from remarkit.report.checklist import RuleOutcome, evaluate, evaluate_item, rule_status
from tests.report.conftest import NARRATIVE, ReportRun, report_plugins, run_report, write_study

Results = dict[str, Any]


def _unit(uid: str, name: str, result: dict[str, Any], family: str = "clinical") -> dict[str, Any]:
    return {
        "id": uid,
        "name": name,
        "family": family,
        "status": "ok",
        "result": result,
        "remark_items": [],
    }


def _variable(name: str) -> dict[str, Any]:
    return {"variable": name, "terms": [{"term": name}]}


def _study() -> Results:
    """A run that meets every REMARK rule."""
    remark = {
        "treatment_regimens": ["sorafenib"],
        "treatment_allocation": "by the physician",
        "acquisition": "serum drawn before treatment; CT on one scanner",
        "preservation": "serum stored at -80 C",
        "segmentation": "manual by two readers",
        "blinding": "readers blinded to outcome",
        "variable_entry": "linear",
        "missing_data": "complete cases",
        "standard_variables": ["stage"],
        "marker_variables": [],
    }
    narrative = {
        key: "stated"
        for key in (
            "patients",
            "specimens",
            "assay",
            "sample_size",
            "interpretation",
            "implications",
            "limitations",
        )
    }
    narrative["remark"] = remark
    row = {"variable": "afp.response", "total": {"n": 10, "missing": 0}}
    return {
        "study": {
            "markers": ["AFP"],
            "objective": "o",
            "hypotheses": "h",
            "design": "d",
            "period": "p",
            "endpoints": ["OS"],
            "narrative": narrative,
        },
        "cohort": {
            "outcome": "response",
            "flow": [
                {"label": "all", "n": 12, "excluded": None},
                {"label": "no CT", "n": None, "excluded": 2},
                {"label": "analysed", "n": 10, "excluded": None},
            ],
            "variables": [{"name": "stage"}],
            "semantic": [{"name": "necrosis"}],
            "endpoints": [
                {"name": "survival", "label": "OS", "unit": "months", "origin": "diagnosis"}
            ],
        },
        "units": [
            _unit("afp", "marker_response", {"threshold_source": "youden"}, "marker_response"),
            _unit("repeat", "marker_reproducibility", {}, "marker_response"),
            _unit("readers", "semantic_agreement", {"blinding": ""}),
            _unit("rad", "radiomics_score", {"reproducibility": {"form": "ICC2"}}, "phase_scorer"),
            _unit("t1", "baseline_table", {"by": "afp.response", "rows": [row]}),
            _unit(
                "uni",
                "univariable_logistic",
                {
                    "variables": [_variable("afp.response")],
                    "missing_data": {"method": "complete_case"},
                },
            ),
            _unit(
                "multi",
                "multivariable_logistic",
                {
                    "selection": "all",
                    "forced": [],
                    "epv": 10,
                    "events": 5,
                    "variables": [_variable("afp.response"), _variable("stage")],
                },
            ),
            _unit(
                "km",
                "survival_stratification",
                {"scores": [{"column": "afp.response"}]},
                "evaluator",
            ),
            _unit("cal", "calibration", {}, "evaluator"),
            _unit(
                "iv",
                "internal_validation",
                {"models": [{"label": "m", "selection": {"candidates": ["stage"]}}]},
                "evaluator",
            ),
        ],
    }


def _remark(name: str, value: Any) -> Callable[[Results], None]:
    def change(r: Results) -> None:
        r["study"]["narrative"]["remark"][name] = value

    return change


def _set(path: str, value: Any) -> Callable[[Results], None]:
    def change(r: Results) -> None:
        node = r
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        node[last] = value

    return change


def _unit_result(uid: str, key: str, value: Any) -> Callable[[Results], None]:
    def change(r: Results) -> None:
        next(u for u in r["units"] if u["id"] == uid)["result"][key] = value

    return change


def _drop(*uids: str) -> Callable[[Results], None]:
    def change(r: Results) -> None:
        r["units"] = [u for u in r["units"] if u["id"] not in uids]

    return change


def _no_missing_data(r: Results) -> None:
    _remark("missing_data", "")(r)
    _unit_result("uni", "missing_data", None)(r)


def _univariable_selection(r: Results) -> None:
    multi = next(u for u in r["units"] if u["id"] == "multi")
    multi["result"]["selection"] = "univariable"


#: rule id -> the change to the passing study that makes the rule fail.
FAILING: dict[str, Callable[[Results], None]] = {
    "item1.marker": _set("study.markers", []),
    "item1.objective": _set("study.objective", ""),
    "item1.hypotheses": _set("study.hypotheses", " "),
    "item2.patients": _set("study.narrative.patients", ""),
    "item2.exclusions": _set("cohort.flow", [{"label": "analysed", "n": 10, "excluded": None}]),
    "item3.regimens": _remark("treatment_regimens", []),
    "item3.allocation": _remark("treatment_allocation", ""),
    "item4.material": _set("study.narrative.specimens", ""),
    "item4.acquisition": _remark("acquisition", ""),
    "item4.preservation": _remark("preservation", ""),
    "item4.segmentation": _remark("segmentation", ""),
    "item5.protocol": _set("study.narrative.assay", ""),
    "item5.reproducibility": _drop("readers"),
    "item5.blinding": _remark("blinding", ""),
    "item6.design": _set("study.design", ""),
    "item6.period": _set("study.period", ""),
    "item6.follow_up": _drop("km"),
    "item7.endpoints": _set("study.endpoints", []),
    "item7.time_origin": _set("cohort.endpoints", [{"name": "survival", "origin": ""}]),
    "item8.variables": _set("cohort.variables", []),
    "item9.rationale": _set("study.narrative.sample_size", ""),
    "item9.epv": _unit_result("multi", "epv", None),
    "item10.methods": _drop("uni", "multi"),
    "item10.variable_entry": _remark("variable_entry", ""),
    "item10.missing_data": _no_missing_data,
    "item11.marker_entry": _drop("afp", "repeat"),
    "item11.cutoff": _unit_result("afp", "threshold_source", ""),
    "item12.flow": _set("cohort.flow", []),
    "item12.counts": _set("cohort.flow", [{"label": "all", "n": None, "excluded": 2}]),
    "item12.events": _unit_result("multi", "events", None),
    "item13.baseline": _drop("t1"),
    "item13.missing": _unit_result("t1", "rows", [{"variable": "afp.response", "total": {}}]),
    "item13.marker": _unit_result("t1", "rows", [{"variable": "stage", "total": {"missing": 0}}]),
    "item14.marker_groups": _unit_result("t1", "by", "split"),
    "item15.marker": _unit_result("uni", "variables", [_variable("stage")]),
    "item15.km": _unit_result("km", "scores", [{"column": "model.probability"}]),
    "item16.model": _unit_result("multi", "variables", [_variable("afp.response")]),
    "item17.adjusted": _univariable_selection,
    "item18.assumptions": _drop("cal"),
    "item18.whole_pipeline": _unit_result("iv", "models", [{"label": "m", "selection": None}]),
    "item19.interpretation": _set("study.narrative.interpretation", ""),
    "item19.limitations": _set("study.narrative.limitations", ""),
    "item20.implications": _set("study.narrative.implications", ""),
}

RULES: dict[str, tuple[int, EvidenceRule]] = {
    rule.id: (int(item.number), rule) for item in REMARK.items for rule in item.rules
}


def test_every_item_has_rules_and_every_rule_a_failing_study() -> None:
    assert all(item.rules for item in REMARK.items)
    assert sorted(RULES) == sorted(FAILING)


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_rule_passes_and_fails(rule_id: str) -> None:
    number, rule = RULES[rule_id]
    passing = _study()
    assert rule.judge(passing) is None, rule.judge(passing)
    failing = copy.deepcopy(passing)
    FAILING[rule_id](failing)
    why = rule.judge(failing)
    assert why
    item = next(i for i in REMARK.items if i.number == number)
    status = evaluate_item(item, failing, REMARK)
    assert status.status in ("partial", "missing")
    assert rule_id in status.decided_by
    assert any(text.startswith(f"{rule_id}: ") for text in status.lacking)


def test_passing_study_reports_every_item_and_names_the_rules() -> None:
    status = evaluate(REMARK, _study())
    assert status.counts["reported"] == 20
    item3 = status.items[2].as_dict()
    assert item3["decided_by"] == ["item3.regimens", "item3.allocation"]
    assert [r["met"] for r in item3["rules"]] == [True, True]


def test_univariable_selection_is_missing_not_partial() -> None:
    failing = _study()
    _univariable_selection(failing)
    item17 = evaluate(REMARK, failing).items[16]
    assert item17.status == "missing"
    assert "univariable significance" in item17.lacking[0]
    forced = copy.deepcopy(failing)
    _unit_result("multi", "forced", ["stage"])(forced)
    assert evaluate(REMARK, forced).items[16].status == "reported"


def _outcome(
    rule_id: str, met: bool, essential: bool = False, conditional: bool = False
) -> RuleOutcome:
    rule = EvidenceRule(rule_id, "r", lambda r: None, essential, conditional)
    return RuleOutcome(rule, None if met else "no")


def test_rule_status_three_outcomes_and_essential_rules() -> None:
    assert rule_status([_outcome("a", True), _outcome("b", True)]) == ("reported", ("a", "b"))
    assert rule_status([_outcome("a", True), _outcome("b", False)]) == ("partial", ("b",))
    assert rule_status([_outcome("a", False), _outcome("b", False)]) == ("missing", ("a", "b"))
    assert rule_status([_outcome("a", True), _outcome("b", False, essential=True)]) == (
        "missing",
        ("b",),
    )


def test_conditional_rules_met_vacuously_never_make_an_item_partial() -> None:
    bare: Results = {"study": {"narrative": {}}, "cohort": {}, "units": []}
    status = {s.item.number: s for s in evaluate(REMARK, bare).items}
    assert status[4].status == "missing"  # no images: segmentation met, but nothing else
    assert status[11].status == "missing"
    assert rule_status([_outcome("a", False), _outcome("b", True, conditional=True)]) == (
        "missing",
        ("a",),
    )


def test_undeclared_standard_or_marker_variable_is_bad_input(tmp_path: Path) -> None:
    extra = NARRATIVE + (
        "\n[study.narrative.remark]\n"
        'standard_variables = ["stage", "grade"]\n'
        'marker_variables = ["marker", "std.z", "nomarker"]\n'
    )
    spec = write_study(tmp_path / "study", study_extra=extra)
    with pytest.raises(InputErrors) as err:
        prepare(spec, report_plugins())
    messages = [e.format() for e in err.value.errors]
    assert len(messages) == 2, messages
    assert "study.narrative.remark.standard_variables" in messages[0]
    assert "'grade' is not a cohort variable" in messages[0]
    assert "study.narrative.remark.marker_variables" in messages[1]
    assert "'nomarker' is neither a cohort variable nor UNIT.NAME" in messages[1]


def test_results_record_each_survival_endpoints_time_origin(report_run: ReportRun) -> None:
    (endpoint,) = report_run.results["cohort"]["endpoints"]
    assert endpoint["name"] == "survival"
    assert endpoint["origin"] == ""  # the test study's [cohort.survival] has none
    item7 = {s.item.number: s for s in evaluate(REMARK, report_run.results).items}[7]
    assert "item7.time_origin" in item7.decided_by
    assert "no time origin for survival" in " ".join(item7.lacking)


def test_report_shows_the_facts_and_the_deciding_rules(tmp_path: Path) -> None:
    extra = NARRATIVE + (
        "\n[study.narrative.remark]\n"
        'treatment_regimens = ["Drug A 10 mg daily"]\n'
        'treatment_allocation = "Randomised 1:1"\n'
    )
    run = run_report(write_study(tmp_path / "study", study_extra=extra), tmp_path / "out")
    html = run.html
    assert '<dd id="f-study-narrative-remark-treatment-regimens">' in html
    assert "<li>Drug A 10 mg daily</li>" in html
    assert '<a href="#f-study-narrative-remark-treatment-allocation">' in html
    assert "Decided by: item3.regimens, item3.allocation" in html
    item3 = next(i for i in evaluate(REMARK, run.results).items if i.item.number == 3)
    assert item3.status == "reported"
