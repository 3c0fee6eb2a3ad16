"""REMARK items 15-17 are claimed only when the results show them (plugins/checklists rules)."""

from __future__ import annotations

from typing import Any

from remarkit.plugins.checklists.remark import REMARK
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.plugins.survival.univariable_cox import UnivariableCox
from remarkit.report.checklist import ItemStatus, evaluate_item
from tests.survival.conftest import SurvivalHarness, survival_frame

ITEMS = {item.number: item for item in REMARK.items}


def _record(uid: str, unit: type, result: Any, status: str = "ok") -> dict[str, Any]:
    return {
        "id": uid,
        "name": unit.name,  # type: ignore[attr-defined]
        "status": status,
        "remark_items": list(unit.remark_items),  # type: ignore[attr-defined]
        "section": "survival",
        "family": "clinical",
        "result": result.model_dump(mode="json") if result is not None else None,
    }


#: The REMARK facts the content rules read: the standard variables the marker is adjusted for.
STUDY = {
    "narrative": {
        "remark": {"standard_variables": ["age"], "marker_variables": ["pgr_group", "afp"]}
    }
}


def _status(number: int, *units: dict[str, Any], study: dict[str, Any] = STUDY) -> ItemStatus:
    return evaluate_item(ITEMS[number], {"study": study, "units": list(units)})


def test_item_15_needs_the_marker_fitted(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    plain = h.run(UnivariableCox, {"variables": ["age", "stage"]}, unit_id="u")
    status = _status(15, _record("u", UnivariableCox, plain))
    assert status.status == "missing"
    assert (
        "unit u (univariable_cox): no candidate is named as the marker (set marker = ...)"
        in status.lacking
    )
    assert "univariable_cox with the marker named" in status.item.satisfy
    named = h.run(UnivariableCox, {"variables": ["marker", "age"], "marker": "marker"}, unit_id="v")
    lacking = _status(15, _record("v", UnivariableCox, named)).lacking
    assert not any(line.startswith("unit v") for line in lacking)


def test_item_15_unfitted_marker_is_no_evidence(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame["marker"] = 5.0
    h = surv_harness(frame)
    result = h.run(UnivariableCox, {"variables": ["marker"], "marker": "marker"}, unit_id="u")
    status = _status(15, _record("u", UnivariableCox, result))
    assert status.status == "missing"
    assert "unit u (univariable_cox): the marker 'marker' was not fitted" in status.lacking


def test_items_16_and_17_from_multivariable_cox(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(MultivariableCox, {"marker": "marker", "adjust": ["age"]}, unit_id="m")
    record = _record("m", MultivariableCox, result)
    assert _status(16, record).status == "reported"
    assert _status(17, record).status == "reported"
    frame = survival_frame()
    frame["death"] = 0
    failed = surv_harness(frame).run(
        MultivariableCox, {"marker": "marker", "adjust": ["age"]}, unit_id="m"
    )
    record = _record("m", MultivariableCox, failed)
    assert "unit m (multivariable_cox): its model was not fitted" in _status(16, record).lacking
    assert _status(17, record).status == "missing"
    assert "multivariable_cox" in _status(17, record).item.satisfy


def test_items_16_and_17_from_a_logistic_model() -> None:
    one = {
        "id": "mv",
        "name": "multivariable_logistic",
        "status": "ok",
        "remark_items": [10, 16, 17],
        "result": {"selected": ["afp"]},
    }
    two = {
        **one,
        "result": {
            "selected": ["afp", "stage"],
            "variables": [
                {"variable": "afp", "terms": ["afp"]},
                {"variable": "stage", "terms": ["stage[II]"]},
            ],
        },
    }
    assert (
        "unit mv (multivariable_logistic): its model holds fewer than two variables"
        in _status(16, one).lacking
    )
    assert _status(16, two).status == "reported"
    status = _status(17, two)
    assert status.status == "missing"
    assert any("names no marker" in line for line in status.lacking)


def test_a_failed_unit_is_no_evidence() -> None:
    unit = {"id": "km", "name": "survival_stratification", "status": "ok", "remark_items": [15]}
    failed = {**unit, "status": "failed"}
    assert "unit km (survival_stratification) failed" in _status(15, failed).lacking


def test_item_11_needs_the_marker_named(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    plain = h.run(UnivariableCox, {"variables": ["age", "stage"]}, unit_id="u")
    named = h.run(UnivariableCox, {"variables": ["age", "stage"], "marker": "age"}, unit_id="m")
    assert _status(11, _record("u", UnivariableCox, plain), study={}).status == "missing"
    assert _status(11, _record("m", UnivariableCox, named), study={}).status == "reported"


def _table(by: str) -> dict[str, Any]:
    return {
        "id": "t",
        "name": "baseline_table",
        "status": "ok",
        "remark_items": [13, 14],
        "section": "baseline",
        "family": "clinical",
        "result": {"by": by},
    }


def test_item_14_needs_a_table_by_marker_group() -> None:
    by_split = _status(14, _table("split"))
    assert by_split.status == "missing"
    assert any("not marker groups (set by = ...)" in line for line in by_split.lacking)
    assert _status(14, _table("outcome")).status == "missing"
    assert _status(14, _table("pgr_group")).status == "reported"


def test_survival_stratification_no_longer_claims_item_16() -> None:
    from remarkit.plugins.evaluators.survival_stratification import SurvivalStratification

    assert 16 not in SurvivalStratification.remark_items
