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


def _status(number: int, *units: dict[str, Any]) -> ItemStatus:
    return evaluate_item(ITEMS[number], {"units": list(units)})


def test_item_15_needs_the_marker_fitted(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    plain = h.run(UnivariableCox, {"variables": ["age", "stage"]}, unit_id="u")
    status = _status(15, _record("u", UnivariableCox, plain))
    assert status.status == "missing"
    assert status.lacking == (
        "unit u (univariable_cox): no candidate is named as the marker (set marker = ...)",
    )
    assert "univariable_cox with the marker named" in status.item.satisfy
    named = h.run(UnivariableCox, {"variables": ["marker", "age"], "marker": "marker"}, unit_id="v")
    assert _status(15, _record("v", UnivariableCox, named)).status == "reported"


def test_item_15_unfitted_marker_is_no_evidence(surv_harness: SurvivalHarness) -> None:
    frame = survival_frame()
    frame["marker"] = 5.0
    h = surv_harness(frame)
    result = h.run(UnivariableCox, {"variables": ["marker"], "marker": "marker"}, unit_id="u")
    status = _status(15, _record("u", UnivariableCox, result))
    assert status.status == "missing"
    assert status.lacking == ("unit u (univariable_cox): the marker 'marker' was not fitted",)


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
    assert _status(16, record).lacking == ("unit m (multivariable_cox): its model was not fitted",)
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
    two = {**one, "result": {"selected": ["afp", "stage"]}}
    assert _status(16, one).lacking == (
        "unit mv (multivariable_logistic): its model holds fewer than two variables",
    )
    assert _status(16, two).status == "reported"
    status = _status(17, two)
    assert status.status == "missing" and "names no marker" in status.lacking[0]


def test_units_without_rules_are_taken_at_their_word() -> None:
    unit = {"id": "km", "name": "survival_stratification", "status": "ok", "remark_items": [15]}
    assert _status(15, unit).status == "reported"
    failed = {**unit, "status": "failed"}
    assert _status(15, failed).lacking == ("unit km (survival_stratification) failed",)


def test_item_11_needs_the_marker_named(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    plain = h.run(UnivariableCox, {"variables": ["age", "stage"]}, unit_id="u")
    named = h.run(UnivariableCox, {"variables": ["age", "stage"], "marker": "age"}, unit_id="m")
    assert _status(11, _record("u", UnivariableCox, plain)).status == "missing"
    assert _status(11, _record("m", UnivariableCox, named)).status == "reported"


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
    assert "not marker groups (set by = ...)" in by_split.lacking[0]
    assert _status(14, _table("outcome")).status == "missing"
    assert _status(14, _table("pgr_group")).status == "reported"


def test_survival_stratification_no_longer_claims_item_16() -> None:
    from remarkit.plugins.evaluators.survival_stratification import SurvivalStratification

    assert 16 not in SurvivalStratification.remark_items
