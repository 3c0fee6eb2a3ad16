"""Which unit results really show REMARK items 11 and 14-17 (``ChecklistItem.check`` rules).

A unit lists the items it can evidence; these rules look at what its result holds. Each takes the
unit's results.json record and returns None when the result shows the item, else why not (the
audit prints it under the item). Units these rules do not name are taken at their word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _result(unit: Mapping[str, Any]) -> Mapping[str, Any]:
    result = unit.get("result")
    return result if isinstance(result, Mapping) else {}


def univariable_of_marker(unit: Mapping[str, Any]) -> str | None:
    """Item 15: a univariable Cox analysis shows it only with the marker named and fitted."""
    if unit.get("name") != "univariable_cox":
        return None
    result = _result(unit)
    marker = result.get("marker")
    if not marker:
        return "no candidate is named as the marker (set marker = ...)"
    for model in result.get("models", []):
        for variable in model.get("variables", []):
            if variable.get("variable") == marker:
                return None if variable.get("terms") else f"the marker '{marker}' was not fitted"
    return f"the marker '{marker}' is not among its models"


def multivariable_with_marker(unit: Mapping[str, Any]) -> str | None:
    """Item 16: a multivariable model holding the marker and at least one other variable."""
    result = _result(unit)
    if unit.get("name") == "multivariable_cox":
        model = result.get("model") or {}
        if model.get("tests") is None:
            return "its model was not fitted"
        fitted = [v["variable"] for v in model.get("variables", []) if v.get("terms")]
        if result.get("marker") not in fitted or len(fitted) < 2:
            return "its model does not hold the marker and another variable"
        return None
    if unit.get("name") == "multivariable_logistic" and len(result.get("selected", [])) < 2:
        return "its model holds fewer than two variables"
    return None


def marker_added(unit: Mapping[str, Any]) -> str | None:
    """Item 17: the marker adjusted for the standard variables, with the test of what it adds."""
    result = _result(unit)
    if unit.get("name") == "multivariable_cox":
        return None if result.get("marker_added") else "the model with or without the marker failed"
    if unit.get("name") == "multivariable_logistic":
        return (
            "it names no marker and does not test what the marker adds to the standard "
            "variables (multivariable_cox with marker and adjust does)"
        )
    return None


def marker_handling(unit: Mapping[str, Any]) -> str | None:
    """Item 11: a Cox unit states how the marker entered only when it names the marker."""
    if unit.get("name") in ("univariable_cox", "multivariable_cox") and not _result(unit).get(
        "marker"
    ):
        return "no candidate is named as the marker (set marker = ...)"
    return None


def marker_against_variables(unit: Mapping[str, Any]) -> str | None:
    """Item 14: a baseline table shows it only when its columns are groups of a variable."""
    if unit.get("name") == "baseline_table" and _result(unit).get("by") in ("split", "outcome"):
        return "its columns are the split or the outcome, not marker groups (set by = ...)"
    return None
