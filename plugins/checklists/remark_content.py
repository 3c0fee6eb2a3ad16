"""What REMARK's 20 items need to be reported: named evidence rules judged against the run.

Each rule is a requirement with an id (``item3.regimens``) and a judge that reads results.json
(the units that ran and the study's fields, the structured facts of ``[study.narrative.remark]``
included) and returns None when met, else why not. Rules judge structure, never prose: a free
sentence counts only as "stated"; what it must contain is asked for in fields of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from remarkit import EvidenceRule
from remarkit.report.checklist import field_value, is_filled

Results = Mapping[str, Any]

SURVIVAL_UNITS = (
    "univariable_cox",
    "multivariable_cox",
    "survival_stratification",
    "survival_discrimination",
    "survival_calibration",
)
MULTIVARIABLE = ("multivariable_cox", "multivariable_logistic")
BASELINE = "baseline_table"


def ok_units(results: Results, *names: str) -> Iterator[Mapping[str, Any]]:
    """Units that ran successfully, of the given names (any name when none given)."""
    for unit in results.get("units", []):
        if unit.get("status") == "ok" and (not names or unit.get("name") in names):
            yield unit


def result_of(unit: Mapping[str, Any]) -> Mapping[str, Any]:
    """A unit's result record (empty when it has none)."""
    result = unit.get("result")
    return result if isinstance(result, Mapping) else {}


def remark(results: Results, name: str) -> Any:
    """A field of ``[study.narrative.remark]``."""
    return field_value(dict(results), f"study.narrative.remark.{name}")


def stated(rule_id: str, path: str, what: str, *, essential: bool = False) -> EvidenceRule:
    """A rule met when the results.json field at ``path`` is filled."""

    def judge(results: Results) -> str | None:
        return None if is_filled(field_value(dict(results), path)) else f"{path} is empty"

    return EvidenceRule(rule_id, what, judge, essential)


def unit_ran(rule_id: str, what: str, *names: str, essential: bool = False) -> EvidenceRule:
    """A rule met when a unit of one of ``names`` ran successfully."""

    def judge(results: Results) -> str | None:
        if any(True for _ in ok_units(results, *names)):
            return None
        return f"no {' or '.join(names)} unit ran"

    return EvidenceRule(rule_id, what, judge, essential)


def marker_variables(results: Results) -> set[str]:
    """Variables that measure the marker: declared, a Cox unit's marker, a marker unit's output."""
    found = {str(v) for v in remark(results, "marker_variables") or []}
    for unit in ok_units(results):
        marker = result_of(unit).get("marker")
        if unit.get("name") in ("univariable_cox", "multivariable_cox") and marker:
            found.add(str(marker))
        if unit.get("name") == "marker_response":
            found.add(f"{unit['id']}.response")
    return found


def survival_run(results: Results) -> bool:
    """Whether the run analysed a time-to-event endpoint."""
    return bool((results.get("cohort") or {}).get("endpoints")) or any(
        True for _ in ok_units(results, *SURVIVAL_UNITS)
    )


def fitted_variables(unit: Mapping[str, Any]) -> set[str]:
    """The variables a multivariable unit's final model holds."""
    result = result_of(unit)
    if unit.get("name") == "multivariable_cox":
        model = result.get("model") or {}
        return {v["variable"] for v in model.get("variables", []) if v.get("terms")}
    return {str(v.get("variable")) for v in result.get("variables", []) if v.get("terms")}
