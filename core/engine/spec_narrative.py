"""Structured narrative for REMARK's content rules (``[study.narrative.remark]``).

A free sentence cannot be judged, so the facts the REMARK audit checks are given as separate
fields: the treatments and how they were chosen (item 3), how specimens or images were acquired,
stored and segmented (items 4-5), how variables entered the models and how missing data were
handled (item 10) and the standard prognostic variables and the marker variables (items 13-17).
The limitations (item 19) are ``[study.narrative] limitations``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RemarkDetails(BaseModel):
    """Facts REMARK items 3-5, 10, 13-17 and 19 need, each in its own field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    treatment_regimens: list[str] = Field(
        default_factory=list, description="REMARK 3: the drugs or regimens the patients received"
    )
    treatment_allocation: str = Field(
        default="",
        description="REMARK 3: how treatment was chosen (randomised, by a rule, by the physician)",
    )
    acquisition: str = Field(
        default="",
        description="REMARK 4: how specimens were collected or images acquired (timing, "
        "protocol, scanner)",
    )
    preservation: str = Field(
        default="", description="REMARK 4: how specimens were preserved and stored (or images kept)"
    )
    segmentation: str = Field(
        default="",
        description="REMARK 4-5: how image regions of interest were delineated (tool, readers)",
    )
    blinding: str = Field(
        default="",
        description="REMARK 5: whether and how the assay or reading was blinded to the outcome",
    )
    variable_entry: str = Field(
        default="",
        description="REMARK 10: how variables entered the models (continuous, categories, "
        "transformations)",
    )
    missing_data: str = Field(default="", description="REMARK 10: how missing values were handled")
    standard_variables: list[str] = Field(
        default_factory=list,
        description="REMARK 13, 17: the standard prognostic variables (cohort variable names) "
        "the marker must be adjusted for",
    )
    marker_variables: list[str] = Field(
        default_factory=list,
        description="REMARK 13-16: the variables that measure the marker (cohort or derived "
        "variable names, e.g. afp.response)",
    )


def check_remark_variables(details: RemarkDetails, variables: set[str]) -> list[tuple[str, str]]:
    """``(field, problem)`` for each standard or marker variable the study does not declare.

    Standard variables must be cohort variables (declared, derived or semantic); marker variables may
    also be a unit's derived variable (``UNIT.NAME``, e.g. ``afp.response``), whose unit may be
    this study's or, in ``remarkit apply``, the frozen model's.
    """
    problems = []
    field = "study.narrative.remark.standard_variables"
    for name in details.standard_variables:
        if name not in variables:
            problems.append((field, f"'{name}' is not a cohort variable"))
    field = "study.narrative.remark.marker_variables"
    for name in details.marker_variables:
        if name not in variables and "." not in name:
            problems.append((field, f"'{name}' is neither a cohort variable nor UNIT.NAME"))
    return problems
