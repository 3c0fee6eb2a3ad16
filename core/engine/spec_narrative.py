"""``[study.narrative]``: the statements no computation can show, and the structured facts the
REMARK content rules check (``[study.narrative.remark]``).

A free sentence cannot be judged, so the facts the REMARK audit checks are given as separate
fields: the treatments and how they were chosen (item 3), how specimens or images were acquired,
stored and segmented (items 4-5), how variables entered the models and how missing data were
handled (item 10) and the standard prognostic variables and the marker variables (items 13-17).
The limitations (item 19) are ``[study.narrative] limitations``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from remarkit.engine.spec_primary import CENTRES_HELP, LIMITATIONS_HELP


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


class Narrative(BaseModel):
    """Text for checklist items that no computation can show (REMARK, TRIPOD+AI, CLEAR, CLAIM)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patients: str = Field(default="", description="REMARK 2: patient source, inclusion, exclusion")
    treatment: str = Field(default="", description="REMARK 3: treatments received")
    specimens: str = Field(default="", description="REMARK 4: specimen / image characteristics")
    assay: str = Field(default="", description="REMARK 5: assay or imaging methods")
    sample_size: str = Field(default="", description="REMARK 9: rationale for the sample size")
    interpretation: str = Field(default="", description="REMARK 19: interpretation of results")
    implications: str = Field(default="", description="REMARK 20: implications for future research")
    abstract: str = Field(
        default="", description="Structured summary (TRIPOD+AI 2; CLEAR 2; CLAIM 2)"
    )
    keywords: str = Field(default="", description="Keywords (CLEAR 3)")
    background: str = Field(
        default="",
        description="Clinical context and rationale, with existing models (TRIPOD+AI 3a; CLEAR "
        "4-5; CLAIM 3)",
    )
    intended_use: str = Field(
        default="",
        description="Target population, intended purpose in the care pathway and intended users "
        "(TRIPOD+AI 3b; CLAIM 6)",
    )
    fairness: str = Field(
        default="",
        description="Known health inequalities between groups and how model fairness was "
        "addressed (TRIPOD+AI 3c, 14)",
    )
    data_preparation: str = Field(
        default="",
        description="Data pre-processing and quality checks, class-imbalance handling "
        "(TRIPOD+AI 7, 13; CLAIM 9)",
    )
    outcome_assessment: str = Field(
        default="",
        description="How and when the outcome (reference standard) was assessed, by whom, and "
        "blinding (TRIPOD+AI 8a-c; CLEAR 18; CLAIM 14-15)",
    )
    annotation: str = Field(
        default="",
        description="Annotators or segmentation operators: number, qualifications, tools "
        "(CLEAR 20; CLAIM 16-17)",
    )
    deidentification: str = Field(
        default="", description="How the data were de-identified (CLAIM 11; CLEAR 8)"
    )
    ethics: str = Field(
        default="",
        description="Ethics committee approval and informed consent or its waiver (TRIPOD+AI "
        "17; CLEAR 8)",
    )
    funding: str = Field(
        default="", description="Sources of funding and the funders' role (TRIPOD+AI 18a; CLAIM 44)"
    )
    conflicts: str = Field(default="", description="Authors' conflicts of interest (TRIPOD+AI 18b)")
    protocol: str = Field(
        default="",
        description="Where the protocol can be read, or that there is none (TRIPOD+AI 18c; "
        "CLAIM 42)",
    )
    registration: str = Field(
        default="",
        description="Registry name and number, or that the study was not registered (TRIPOD+AI "
        "18d; CLAIM 34)",
    )
    data_availability: str = Field(
        default="",
        description="Availability of the data (images, segmentations, features) (TRIPOD+AI 18e; "
        "CLEAR 53-54; CLAIM 43)",
    )
    code_availability: str = Field(
        default="",
        description="Availability of the analysis code and settings (TRIPOD+AI 18f; CLEAR 55-56; "
        "CLAIM 43)",
    )
    model_availability: str = Field(
        default="",
        description="Availability of the final model files or a ready-to-use tool (CLEAR 57-58; "
        "CLAIM 43)",
    )
    patient_involvement: str = Field(
        default="",
        description="Patient and public involvement, or that there was none (TRIPOD+AI 19)",
    )
    heterogeneity: str = Field(
        default="",
        description="Heterogeneity between centres or clusters and how it was handled, or that "
        "there was one centre (TRIPOD+AI 12d, 23b)",
    )
    model_updating: str = Field(
        default="",
        description="Any updating (e.g. recalibration) of an evaluated model, with its results "
        "(TRIPOD+AI 12f, 24)",
    )
    failure_analysis: str = Field(
        default="", description="Analysis of incorrectly classified cases (CLAIM 39)"
    )
    usability: str = Field(
        default="",
        description="How missing or poor inputs are handled in use, and the users' role and "
        "expertise (TRIPOD+AI 27a-b)",
    )
    remark: RemarkDetails = Field(
        default_factory=RemarkDetails, description="Facts the REMARK audit checks, one per field"
    )
    limitations: str = Field(default="", description=LIMITATIONS_HELP)
    centres: str = Field(default="", description=CENTRES_HELP)


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
