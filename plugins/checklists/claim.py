"""CLAIM 2024 (Tejani et al. 2024), the 44-item checklist for AI in medical imaging: short
paraphrased titles with what evidences each in a run (the deep_score unit shows the model and
training items).

Numbering and sections checked (2026-12-03) against two independent public reproductions of the
CLAIM 2024 form (Radiology: Artificial Intelligence 2024;6(4):e240300): items 1-44, with item 13
the image acquisition protocol, 17 the annotation of the test set and 21 the test set's intended
size."""

from __future__ import annotations

from remarkit import Checklist
from remarkit import ChecklistItem as Item
from remarkit.plugins.checklists.selectors import (
    AGREEMENT,
    BASELINE,
    COMPARISON,
    DEEP,
    GROUPS,
    PERFORMANCE,
    deep_learning_ran,
    narrative,
)

TITLE = "Title and abstract"
INTRO = "Introduction"
DESIGN = "Methods: study design"
DATA = "Methods: data"
REFERENCE = "Methods: reference standard"
PARTITIONS = "Methods: data partitions and testing data"
MODEL = "Methods: model"
TRAINING = "Methods: training"
EVALUATION = "Methods: evaluation"
RESULTS = "Results"
DISCUSSION = "Discussion"
OTHER = "Other information"

RUN_DEEP = "run deep_score"


def _n(field: str) -> str:
    return f"write it in [study.narrative] {field}"


_ITEMS = (
    Item(
        1,
        TITLE,
        "Title naming the AI method",
        fields=("study.title",),
        satisfy="name the AI technique in [study] title",
    ),
    Item(2, TITLE, "Structured abstract", fields=narrative("abstract"), satisfy=_n("abstract")),
    Item(
        3,
        INTRO,
        "Background, intended use and role of the AI",
        fields=narrative("background", "intended_use"),
        satisfy="write [study.narrative] background and intended_use",
    ),
    Item(
        4,
        INTRO,
        "Objectives and hypotheses",
        fields=("study.objective", "study.hypotheses"),
        satisfy="set [study] objective and hypotheses",
    ),
    Item(
        5,
        DESIGN,
        "Prospective or retrospective",
        fields=("study.design",),
        satisfy="set [study] design",
    ),
    Item(6, DESIGN, "Study goal", fields=("study.objective",), satisfy="set [study] objective"),
    Item(7, DATA, "Data sources", fields=narrative("patients"), satisfy=_n("patients")),
    Item(
        8,
        DATA,
        "Eligibility and selection of the data",
        fields=(*narrative("patients"), "cohort.flow"),
        satisfy="give the criteria in [study.narrative] patients and the steps in [[cohort.flow]]",
    ),
    Item(
        9,
        DATA,
        "Pre-processing steps",
        fields=narrative("data_preparation"),
        units=DEEP,
        satisfy=_n("data_preparation"),
    ),
    Item(
        10,
        DATA,
        "Selection of data subsets",
        units=DEEP,
        satisfy=RUN_DEEP + " (it states the slices it uses)",
    ),
    Item(
        11,
        DATA,
        "De-identification",
        fields=narrative("deidentification"),
        satisfy=_n("deidentification"),
    ),
    Item(
        12,
        DATA,
        "Missing data",
        fields=("cohort.variables",),
        sections=("methods",),
        satisfy="declare [cohort.variables] (their missing values are counted)",
    ),
    Item(
        13,
        DATA,
        "Image acquisition protocol",
        fields=narrative("specimens"),
        satisfy=_n("specimens"),
    ),
    Item(
        14,
        REFERENCE,
        "Reference standard definition",
        fields=("study.endpoints", *narrative("outcome_assessment")),
        satisfy="set [study] endpoints and [study.narrative] outcome_assessment",
    ),
    Item(
        15,
        REFERENCE,
        "Why this reference standard",
        fields=narrative("outcome_assessment"),
        satisfy=_n("outcome_assessment"),
    ),
    Item(
        16,
        REFERENCE,
        "Source of the annotations and the annotators' qualifications",
        fields=narrative("annotation"),
        satisfy=_n("annotation"),
    ),
    Item(
        17,
        REFERENCE,
        "How the test set was annotated",
        fields=narrative("annotation"),
        satisfy="write in [study.narrative] annotation how the test-set cases were annotated",
    ),
    Item(
        18,
        REFERENCE,
        "Inter- and intra-rater variability",
        units=AGREEMENT,
        satisfy="run semantic_agreement or marker_reproducibility",
    ),
    Item(
        19,
        PARTITIONS,
        "Assignment to partitions and proportions",
        fields=("cohort.flow",),
        units=DEEP,
        satisfy="list [[cohort.flow]] and " + RUN_DEEP,
    ),
    Item(
        20,
        PARTITIONS,
        "Level at which partitions are disjoint",
        units=DEEP,
        satisfy=RUN_DEEP + " (partitions are disjoint by patient)",
    ),
    Item(
        21,
        PARTITIONS,
        "Intended size of the test set",
        fields=narrative("sample_size"),
        satisfy=_n("sample_size"),
    ),
    Item(22, MODEL, "Model architecture", units=DEEP, satisfy=RUN_DEEP),
    Item(
        23,
        MODEL,
        "Software libraries and versions",
        sections=("provenance",),
        satisfy="compile the report (its provenance lists the libraries)",
    ),
    Item(24, MODEL, "Initialisation of parameters", units=DEEP, satisfy=RUN_DEEP),
    Item(25, TRAINING, "Training, augmentation and hyperparameters", units=DEEP, satisfy=RUN_DEEP),
    Item(26, TRAINING, "Selection of the final model", units=DEEP, satisfy=RUN_DEEP),
    Item(27, TRAINING, "Ensembling", units=DEEP, satisfy=RUN_DEEP),
    Item(
        28,
        EVALUATION,
        "Performance metrics",
        units=PERFORMANCE,
        satisfy="run discrimination or calibration",
    ),
    Item(
        29,
        EVALUATION,
        "Uncertainty and significance",
        units=PERFORMANCE + COMPARISON,
        satisfy="run discrimination or model_comparison",
    ),
    Item(
        30,
        EVALUATION,
        "Robustness or sensitivity analysis",
        units=("internal_validation",),
        satisfy="run internal_validation",
    ),
    Item(
        31,
        EVALUATION,
        "Explainability methods",
        units=("radiomics_score",),
        satisfy="run radiomics_score (SHAP importances); deep_score draws no saliency maps",
    ),
    Item(
        32,
        EVALUATION,
        "Testing on internal data",
        units=("internal_validation", "discrimination", "survival_discrimination"),
        satisfy="run discrimination on the test set and internal_validation",
    ),
    Item(
        33,
        EVALUATION,
        "Testing on external data",
        fields=("applied_model",),
        sections=("provenance",),
        satisfy="score an external cohort with remarkit apply, or say why not in "
        "[study.narrative] interpretation",
    ),
    Item(
        34,
        EVALUATION,
        "Trial registration",
        fields=narrative("registration"),
        satisfy=_n("registration"),
    ),
    Item(
        35,
        RESULTS,
        "Cases included and excluded, with a flowchart",
        fields=("cohort.flow",),
        satisfy="list the flow steps under [[cohort.flow]]",
    ),
    Item(
        36,
        RESULTS,
        "Characteristics of each partition",
        units=BASELINE,
        satisfy="run baseline_table",
    ),
    Item(
        37,
        RESULTS,
        "Performance in every partition, with its uncertainty",
        units=PERFORMANCE + GROUPS,
        satisfy="run discrimination and group_comparison",
    ),
    Item(
        38,
        RESULTS,
        "Diagnostic performance estimates and their precision",
        units=PERFORMANCE,
        satisfy="run discrimination",
    ),
    Item(
        39,
        RESULTS,
        "Failure analysis of misclassified cases",
        fields=narrative("failure_analysis"),
        satisfy=_n("failure_analysis"),
    ),
    Item(
        40,
        DISCUSSION,
        "Limitations",
        fields=narrative("limitations"),
        satisfy=_n("limitations"),
    ),
    Item(
        41,
        DISCUSSION,
        "Implications for practice",
        fields=narrative("implications"),
        satisfy=_n("implications"),
    ),
    Item(
        42,
        OTHER,
        "Access to the full protocol",
        fields=narrative("protocol"),
        satisfy=_n("protocol"),
    ),
    Item(
        43,
        OTHER,
        "Availability of software, model and data",
        fields=narrative("code_availability", "model_availability", "data_availability"),
        satisfy="write [study.narrative] code_availability, model_availability and "
        "data_availability",
    ),
    Item(
        44,
        OTHER,
        "Funding and the funders' role",
        fields=narrative("funding"),
        satisfy=_n("funding"),
    ),
)

CLAIM = Checklist(
    name="claim",
    title="CLAIM 2024",
    citation=(
        "Tejani AS, Klontzas ME, Gatti AA, et al. Checklist for Artificial Intelligence in "
        "Medical Imaging (CLAIM): 2024 Update. Radiol Artif Intell 2024;6(4):e240300."
    ),
    items=_ITEMS,
    applies=deep_learning_ran,
    claims_key="",
)
