"""TRIPOD+AI (Collins et al. 2024): items 1-27 with their sub-items, as short paraphrased titles
with what evidences each in a run. Development-only items are not applicable to a ``remarkit
apply`` run and evaluation-only items apply only to one.
"""

from __future__ import annotations

from remarkit import Checklist, ChecklistItem
from remarkit.plugins.checklists.selectors import (
    AGREEMENT,
    BASELINE,
    COMPARISON,
    DEEP,
    GROUPS,
    MODELS,
    PERFORMANCE,
    RADIOMICS,
    development_run,
    evaluation_run,
    model_fitted,
    narrative,
)

TITLE = "Title and abstract"
INTRO = "Introduction"
METHODS = "Methods"
OPEN = "Open science"
PPI = "Patient and public involvement"
RESULTS = "Results"
DISCUSSION = "Discussion"


def _n(field: str) -> str:
    return f"write it in [study.narrative] {field}"


_ITEMS = (
    ChecklistItem(
        1,
        TITLE,
        "Title naming a prediction model, its population and outcome",
        fields=("study.title", "study.endpoints"),
        satisfy="name the model, the population and the outcome in [study] title and endpoints",
    ),
    ChecklistItem(
        2, TITLE, "Structured abstract", fields=narrative("abstract"), satisfy=_n("abstract")
    ),
    ChecklistItem(
        "3a",
        INTRO,
        "Clinical context, rationale and existing models",
        fields=narrative("background"),
        satisfy=_n("background"),
    ),
    ChecklistItem(
        "3b",
        INTRO,
        "Target population, intended use and users",
        fields=narrative("intended_use"),
        satisfy=_n("intended_use"),
    ),
    ChecklistItem(
        "3c",
        INTRO,
        "Known health inequalities between groups",
        fields=narrative("fairness"),
        satisfy=_n("fairness"),
    ),
    ChecklistItem(
        4,
        INTRO,
        "Objectives: development, evaluation or both",
        fields=("study.objective",),
        satisfy="set [study] objective",
    ),
    ChecklistItem(
        "5a",
        METHODS,
        "Data sources and their representativeness",
        fields=("study.design", *narrative("patients")),
        satisfy="set [study] design and describe the source in [study.narrative] patients",
    ),
    ChecklistItem(
        "5b",
        METHODS,
        "Dates of accrual and end of follow-up",
        fields=("study.period",),
        satisfy="set [study] period with the end of follow-up",
    ),
    ChecklistItem(
        "6a",
        METHODS,
        "Setting and centres",
        fields=narrative("patients"),
        satisfy="name the setting and centres in [study.narrative] patients",
    ),
    ChecklistItem(
        "6b",
        METHODS,
        "Eligibility criteria",
        fields=(*narrative("patients"), "cohort.flow"),
        satisfy="give the criteria in [study.narrative] patients and the steps in [[cohort.flow]]",
    ),
    ChecklistItem(
        "6c",
        METHODS,
        "Treatments and how they were handled",
        fields=narrative("treatment"),
        satisfy=_n("treatment"),
    ),
    ChecklistItem(
        7,
        METHODS,
        "Data pre-processing and quality checks",
        fields=narrative("data_preparation"),
        units=RADIOMICS + DEEP,
        satisfy=_n("data_preparation"),
    ),
    ChecklistItem(
        "8a",
        METHODS,
        "Outcome definition, horizon and assessment",
        fields=("study.endpoints", *narrative("outcome_assessment")),
        satisfy="define [study] endpoints and describe the assessment in "
        "[study.narrative] outcome_assessment",
    ),
    ChecklistItem(
        "8b",
        METHODS,
        "Qualifications of outcome assessors",
        fields=narrative("outcome_assessment"),
        satisfy=_n("outcome_assessment"),
    ),
    ChecklistItem(
        "8c",
        METHODS,
        "Blinding of outcome assessment",
        fields=narrative("outcome_assessment"),
        satisfy=_n("outcome_assessment"),
    ),
    ChecklistItem(
        "9a",
        METHODS,
        "Choice and pre-selection of candidate predictors",
        fields=("cohort.variables",),
        applies=development_run,
        satisfy="declare the candidate predictors under [cohort.variables]",
    ),
    ChecklistItem(
        "9b",
        METHODS,
        "Predictor definitions and measurement",
        fields=("cohort.variables", *narrative("assay")),
        satisfy="declare [cohort.variables] and describe measurement in [study.narrative] assay",
    ),
    ChecklistItem(
        "9c",
        METHODS,
        "Predictor assessors and their agreement",
        fields=narrative("assay"),
        units=AGREEMENT,
        satisfy="describe the readers in [study.narrative] assay; run "
        "semantic_agreement or marker_reproducibility",
    ),
    ChecklistItem(
        10,
        METHODS,
        "Study size and its justification",
        fields=narrative("sample_size"),
        satisfy=_n("sample_size"),
    ),
    ChecklistItem(
        11,
        METHODS,
        "Handling of missing data",
        fields=("cohort.variables",),
        sections=("methods",),
        satisfy="declare [cohort.variables] (their missing values are counted)",
    ),
    ChecklistItem(
        "12a",
        METHODS,
        "Use of the data and partitioning",
        fields=("cohort.flow",),
        units=MODELS,
        applies=development_run,
        satisfy="list [[cohort.flow]] and run a model unit, e.g. multivariable_logistic",
    ),
    ChecklistItem(
        "12b",
        METHODS,
        "Handling of predictors (form, scaling)",
        units=MODELS,
        applies=development_run,
        satisfy="run a model unit, e.g. multivariable_cox or logistic_integrator",
    ),
    ChecklistItem(
        "12c",
        METHODS,
        "Model type, building steps, tuning and internal validation",
        units=(*MODELS, "internal_validation"),
        applies=development_run,
        satisfy="run a model unit and internal_validation",
    ),
    ChecklistItem(
        "12d",
        METHODS,
        "Heterogeneity across clusters",
        fields=narrative("heterogeneity"),
        satisfy=_n("heterogeneity"),
    ),
    ChecklistItem(
        "12e",
        METHODS,
        "Performance measures and plots, model comparison",
        units=PERFORMANCE + COMPARISON,
        satisfy="run discrimination, calibration or decision_curve",
    ),
    ChecklistItem(
        "12f",
        METHODS,
        "Model updating after evaluation",
        fields=narrative("model_updating"),
        applies=evaluation_run,
        satisfy=_n("model_updating"),
    ),
    ChecklistItem(
        "12g",
        METHODS,
        "How predictions of the evaluated model were computed",
        sections=("provenance",),
        applies=evaluation_run,
        satisfy="score the cohort with remarkit apply",
    ),
    ChecklistItem(
        13,
        METHODS,
        "Class imbalance methods",
        fields=narrative("data_preparation"),
        satisfy=_n("data_preparation"),
    ),
    ChecklistItem(
        14,
        METHODS,
        "Approaches to model fairness",
        fields=narrative("fairness"),
        units=GROUPS,
        satisfy="write it in [study.narrative] fairness; run group_comparison",
    ),
    ChecklistItem(
        15,
        METHODS,
        "Model output and classification thresholds",
        units=(*MODELS, "survival_stratification", "decision_curve"),
        applies=development_run,
        satisfy="run a model unit",
    ),
    ChecklistItem(
        16,
        METHODS,
        "Differences between development and evaluation data",
        units=BASELINE,
        satisfy="run baseline_table (by split)",
    ),
    ChecklistItem(
        17, METHODS, "Ethics approval and consent", fields=narrative("ethics"), satisfy=_n("ethics")
    ),
    ChecklistItem(
        "18a",
        OPEN,
        "Funding and the funders' role",
        fields=narrative("funding"),
        satisfy=_n("funding"),
    ),
    ChecklistItem(
        "18b", OPEN, "Conflicts of interest", fields=narrative("conflicts"), satisfy=_n("conflicts")
    ),
    ChecklistItem(
        "18c", OPEN, "Protocol availability", fields=narrative("protocol"), satisfy=_n("protocol")
    ),
    ChecklistItem(
        "18d",
        OPEN,
        "Study registration",
        fields=narrative("registration"),
        satisfy=_n("registration"),
    ),
    ChecklistItem(
        "18e",
        OPEN,
        "Data availability",
        fields=narrative("data_availability"),
        satisfy=_n("data_availability"),
    ),
    ChecklistItem(
        "18f",
        OPEN,
        "Code availability",
        fields=narrative("code_availability"),
        sections=("provenance",),
        satisfy=_n("code_availability"),
    ),
    ChecklistItem(
        19,
        PPI,
        "Patient and public involvement",
        fields=narrative("patient_involvement"),
        satisfy=_n("patient_involvement"),
    ),
    ChecklistItem(
        "20a",
        RESULTS,
        "Participant flow, outcomes and follow-up",
        fields=("cohort.flow",),
        satisfy="list the flow steps under [[cohort.flow]]",
    ),
    ChecklistItem(
        "20b",
        RESULTS,
        "Participant characteristics and missing data",
        units=BASELINE,
        satisfy="run baseline_table",
    ),
    ChecklistItem(
        "20c",
        RESULTS,
        "Evaluation data compared with development data",
        units=BASELINE,
        applies=evaluation_run,
        satisfy="run baseline_table",
    ),
    ChecklistItem(
        21,
        RESULTS,
        "Participants and events in each analysis",
        units=MODELS + PERFORMANCE,
        satisfy="run a model or performance unit",
    ),
    ChecklistItem(
        22,
        RESULTS,
        "Full model specification for use by others",
        units=MODELS,
        applies=development_run,
        satisfy="run a model unit (its coefficients or saved model are reported)",
    ),
    ChecklistItem(
        "23a",
        RESULTS,
        "Performance with confidence intervals, also in subgroups",
        units=PERFORMANCE,
        satisfy="run discrimination or calibration",
    ),
    ChecklistItem(
        "23b",
        RESULTS,
        "Heterogeneity of performance across clusters",
        fields=narrative("heterogeneity"),
        satisfy=_n("heterogeneity"),
    ),
    ChecklistItem(
        24,
        RESULTS,
        "Results of model updating",
        fields=narrative("model_updating"),
        applies=evaluation_run,
        satisfy=_n("model_updating"),
    ),
    ChecklistItem(
        25,
        DISCUSSION,
        "Overall interpretation, fairness included",
        fields=narrative("interpretation"),
        satisfy=_n("interpretation"),
    ),
    ChecklistItem(
        26,
        DISCUSSION,
        "Limitations: bias, uncertainty, generalisability",
        fields=narrative("limitations"),
        satisfy=_n("limitations"),
    ),
    ChecklistItem(
        "27a",
        DISCUSSION,
        "Handling poor or missing inputs in practice",
        fields=narrative("usability"),
        applies=development_run,
        satisfy=_n("usability"),
    ),
    ChecklistItem(
        "27b",
        DISCUSSION,
        "User interaction and expertise needed",
        fields=narrative("usability"),
        applies=development_run,
        satisfy=_n("usability"),
    ),
    ChecklistItem(
        "27c",
        DISCUSSION,
        "Next steps for research and applicability",
        fields=narrative("implications"),
        satisfy=_n("implications"),
    ),
)

TRIPOD_AI = Checklist(
    name="tripod-ai",
    title="TRIPOD+AI",
    citation=(
        "Collins GS, Moons KGM, Dhiman P, et al. TRIPOD+AI statement: updated guidance for "
        "reporting clinical prediction models that use regression or machine learning methods. "
        "BMJ 2024;385:e078378."
    ),
    items=_ITEMS,
    applies=model_fitted,
    claims_key="",
)
