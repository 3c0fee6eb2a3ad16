"""CLEAR (Kocak et al. 2023), the 58-item radiomics checklist: short paraphrased titles with what
evidences each in a run (the radiomics_score unit's result shows most of the methods items)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from remarkit import Checklist
from remarkit import ChecklistItem as Item
from remarkit.plugins.checklists.selectors import (
    BASELINE,
    COMPARISON,
    MODELS,
    PERFORMANCE,
    RADIOMICS,
    narrative,
    radiomics_ran,
)

TITLE = "Title, abstract and keywords"
INTRO = "Introduction"
DESIGN = "Methods: study design"
DATA = "Methods: data"
SEGMENTATION = "Methods: segmentation"
PREPROCESSING = "Methods: pre-processing"
EXTRACTION = "Methods: feature extraction"
PREPARATION = "Methods: data preparation"
MODELING = "Methods: modelling"
EVALUATION = "Methods: evaluation"
RESULTS = "Results"
DISCUSSION = "Discussion"
OPEN = "Open science"

RUN_RADIOMICS = "run radiomics_score"
ADJUSTED = ("multivariable_cox", "multivariable_logistic", "family:integrator")


def _n(field: str) -> str:
    return f"write it in [study.narrative] {field}"


def segmentation_reliability(unit: Mapping[str, Any]) -> str | None:
    """Item 31: radiomics_score shows it only when a second segmentation was analysed."""
    result = unit.get("result")
    if unit.get("name") == "radiomics_score" and not (result or {}).get("reproducibility"):
        return "no second segmentation was given, so feature reproducibility was not assessed"
    return None


_ITEMS = (
    Item(
        1,
        TITLE,
        "Title naming the radiomic approach",
        fields=("study.title",),
        satisfy="name the radiomic method in [study] title",
    ),
    Item(2, TITLE, "Structured abstract", fields=narrative("abstract"), satisfy=_n("abstract")),
    Item(3, TITLE, "Keywords", fields=narrative("keywords"), satisfy=_n("keywords")),
    Item(
        4,
        INTRO,
        "Scientific or clinical background",
        fields=narrative("background"),
        satisfy=_n("background"),
    ),
    Item(
        5,
        INTRO,
        "Why a radiomic approach",
        fields=narrative("background"),
        satisfy=_n("background"),
    ),
    Item(
        6,
        INTRO,
        "Objectives and hypotheses",
        fields=("study.objective", "study.hypotheses"),
        satisfy="set [study] objective and hypotheses",
    ),
    Item(
        7,
        DESIGN,
        "Guidelines and checklists followed",
        sections=("checklists",),
        satisfy="compile the report (it carries this checklist)",
    ),
    Item(
        8,
        DESIGN,
        "Ethics approval, consent and data protection",
        fields=narrative("ethics"),
        satisfy=_n("ethics"),
    ),
    Item(
        9,
        DESIGN,
        "Sample size or power",
        fields=narrative("sample_size"),
        satisfy=_n("sample_size"),
    ),
    Item(
        10,
        DESIGN,
        "Study nature (prospective or retrospective)",
        fields=("study.design",),
        satisfy="set [study] design",
    ),
    Item(11, DESIGN, "Eligibility criteria", fields=narrative("patients"), satisfy=_n("patients")),
    Item(
        12,
        DESIGN,
        "Technical pipeline overview",
        units=RADIOMICS,
        satisfy=RUN_RADIOMICS + " (its feature-selection steps are tabulated)",
    ),
    Item(13, DATA, "Data source", fields=narrative("patients"), satisfy=_n("patients")),
    Item(
        14,
        DATA,
        "Overlap with data of earlier studies",
        fields=narrative("patients"),
        satisfy="state any overlap in [study.narrative] patients",
    ),
    Item(
        15,
        DATA,
        "How the data were split",
        fields=("cohort.flow",),
        units=RADIOMICS,
        satisfy="list [[cohort.flow]] and " + RUN_RADIOMICS,
    ),
    Item(16, DATA, "Imaging protocol", fields=narrative("specimens"), satisfy=_n("specimens")),
    Item(
        17,
        DATA,
        "Non-radiomic predictors",
        fields=("cohort.variables",),
        satisfy="declare [cohort.variables]",
    ),
    Item(
        18,
        DATA,
        "Reference standard (outcome)",
        fields=("study.endpoints", *narrative("outcome_assessment")),
        satisfy="set [study] endpoints and [study.narrative] outcome_assessment",
    ),
    Item(
        19,
        SEGMENTATION,
        "Segmentation strategy",
        fields=narrative("annotation"),
        satisfy=_n("annotation"),
    ),
    Item(
        20,
        SEGMENTATION,
        "Who segmented, and their experience",
        fields=narrative("annotation"),
        satisfy=_n("annotation"),
    ),
    Item(21, PREPROCESSING, "Image pre-processing", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        22, PREPROCESSING, "Resampling and its parameters", units=RADIOMICS, satisfy=RUN_RADIOMICS
    ),
    Item(23, PREPROCESSING, "Grey-level discretisation", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        24,
        PREPROCESSING,
        "Image types (original, filtered)",
        units=RADIOMICS,
        satisfy=RUN_RADIOMICS,
    ),
    Item(25, EXTRACTION, "Extraction software and version", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(26, EXTRACTION, "Feature classes", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(27, EXTRACTION, "Number of features", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        28,
        EXTRACTION,
        "Default settings of remaining parameters",
        units=RADIOMICS,
        satisfy=RUN_RADIOMICS + " (its parameter file is recorded)",
    ),
    Item(
        29,
        PREPARATION,
        "Missing data",
        fields=("cohort.variables",),
        sections=("methods",),
        satisfy="declare [cohort.variables] (their missing values are counted)",
    ),
    Item(
        30,
        PREPARATION,
        "Class imbalance",
        fields=narrative("data_preparation"),
        satisfy=_n("data_preparation"),
    ),
    Item(
        31,
        PREPARATION,
        "Segmentation reliability",
        units=RADIOMICS,
        check=segmentation_reliability,
        satisfy="give radiomics_score a second segmentation (reproducibility)",
    ),
    Item(32, PREPARATION, "Feature scaling", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        33,
        PREPARATION,
        "Dimension reduction and feature selection",
        units=RADIOMICS,
        satisfy=RUN_RADIOMICS,
    ),
    Item(34, MODELING, "Modelling algorithm", units=MODELS, satisfy=RUN_RADIOMICS),
    Item(
        35, MODELING, "Training and hyperparameter tuning", units=RADIOMICS, satisfy=RUN_RADIOMICS
    ),
    Item(
        36,
        MODELING,
        "Handling of confounders",
        units=ADJUSTED,
        satisfy="run multivariable_cox, multivariable_logistic or logistic_integrator",
    ),
    Item(37, MODELING, "Model selection strategy", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        38,
        EVALUATION,
        "Testing technique (internal, external)",
        units=("internal_validation", "discrimination", "survival_discrimination"),
        satisfy="run discrimination and internal_validation",
    ),
    Item(
        39,
        EVALUATION,
        "Performance metrics and their choice",
        units=PERFORMANCE,
        satisfy="run discrimination or calibration",
    ),
    Item(
        40,
        EVALUATION,
        "Uncertainty of the estimates",
        units=PERFORMANCE,
        satisfy="run discrimination or calibration",
    ),
    Item(
        41,
        EVALUATION,
        "Statistical comparison of models",
        units=COMPARISON,
        satisfy="run model_comparison",
    ),
    Item(
        42,
        EVALUATION,
        "Comparison with non-radiomic and combined models",
        units=(*COMPARISON, "family:integrator"),
        satisfy="run logistic_integrator and model_comparison",
    ),
    Item(
        43,
        EVALUATION,
        "Interpretability methods",
        units=RADIOMICS,
        satisfy=RUN_RADIOMICS + " (SHAP importances)",
    ),
    Item(
        44,
        RESULTS,
        "Baseline characteristics by partition",
        units=BASELINE,
        satisfy="run baseline_table",
    ),
    Item(
        45,
        RESULTS,
        "Eligibility flowchart",
        fields=("cohort.flow",),
        satisfy="list the flow steps under [[cohort.flow]]",
    ),
    Item(46, RESULTS, "Feature statistics", units=RADIOMICS, satisfy=RUN_RADIOMICS),
    Item(
        47,
        RESULTS,
        "Model performance",
        units=PERFORMANCE,
        satisfy="run discrimination or calibration",
    ),
    Item(
        48,
        RESULTS,
        "Comparison with non-radiomic and combined models",
        units=COMPARISON,
        satisfy="run model_comparison",
    ),
    Item(
        49,
        DISCUSSION,
        "Main findings",
        fields=narrative("interpretation"),
        satisfy=_n("interpretation"),
    ),
    Item(
        50,
        DISCUSSION,
        "Earlier work and how this study differs",
        fields=narrative("interpretation"),
        satisfy=_n("interpretation"),
    ),
    Item(
        51,
        DISCUSSION,
        "Practical implications",
        fields=narrative("implications"),
        satisfy=_n("implications"),
    ),
    Item(
        52,
        DISCUSSION,
        "Strengths and limitations",
        fields=narrative("interpretation", "limitations"),
        satisfy="write [study.narrative] interpretation and limitations",
    ),
    Item(
        53,
        OPEN,
        "Images and segmentations shared",
        fields=narrative("data_availability"),
        satisfy=_n("data_availability"),
    ),
    Item(
        54,
        OPEN,
        "Radiomic features shared",
        fields=narrative("data_availability"),
        satisfy=_n("data_availability"),
    ),
    Item(
        55,
        OPEN,
        "Pre-processing code or settings shared",
        fields=narrative("code_availability"),
        satisfy=_n("code_availability"),
    ),
    Item(
        56,
        OPEN,
        "Modelling code shared",
        fields=narrative("code_availability"),
        satisfy=_n("code_availability"),
    ),
    Item(
        57,
        OPEN,
        "Final model files shared",
        fields=narrative("model_availability"),
        satisfy=_n("model_availability"),
    ),
    Item(
        58,
        OPEN,
        "Ready-to-use system shared",
        fields=narrative("model_availability"),
        satisfy=_n("model_availability"),
    ),
)

CLEAR = Checklist(
    name="clear",
    title="CLEAR",
    citation=(
        "Kocak B, Baessler B, Bakas S, et al. CheckList for EvaluAtion of Radiomics research "
        "(CLEAR): a step-by-step reporting guideline for authors and reviewers endorsed by ESR "
        "and EuSoMII. Insights Imaging 2023;14:75."
    ),
    items=_ITEMS,
    applies=radiomics_ran,
    claims_key="",
)
