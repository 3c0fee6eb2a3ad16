"""The cohort columns that hold an outcome: the binary outcome and every endpoint's time and event.

Baseline tables never show them as rows (a patient characteristic is known before the outcome),
and a comparison of a score across the levels of one of them is a comparison by the outcome
itself, which the evaluators label as such or refuse by default.
"""

from __future__ import annotations

from remarkit.engine.spec import CohortSpec


def outcome_columns(spec: CohortSpec) -> dict[str, str]:
    """Column -> what it holds ('the binary outcome', "the event of endpoint 'pfs'", ...)."""
    found: dict[str, str] = {}
    if spec.outcome is not None:
        found[spec.outcome.column] = "the binary outcome"
    for name, endpoint in spec.all_endpoints().items():
        found.setdefault(endpoint.time, f"the time of endpoint '{name}'")
        found.setdefault(endpoint.event, f"the event of endpoint '{name}'")
    return found
