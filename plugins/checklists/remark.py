"""The 20 REMARK items (McShane et al. 2005), paraphrased, with where a run can evidence each.

Items evidenced by the spec name the results.json fields that carry them (``fields``); the others
are evidenced by units listing the item in ``remark_items``. ``satisfy`` says what would satisfy
an item a report lacks.
"""

from __future__ import annotations

from dataclasses import replace

from remarkit import Checklist, ChecklistItem
from remarkit.plugins.checklists.remark_evidence import RULES
from remarkit.plugins.checklists.remark_rules import (
    marker_added,
    marker_against_variables,
    marker_handling,
    multivariable_with_marker,
    univariable_of_marker,
)

INTRODUCTION = "Introduction"
PATIENTS = "Materials and methods: patients"
SPECIMENS = "Materials and methods: specimen characteristics"
ASSAY = "Materials and methods: assay methods"
DESIGN = "Materials and methods: study design"
STATISTICS = "Materials and methods: statistical analysis methods"
DATA = "Results: data"
ANALYSIS = "Results: analysis and presentation"
DISCUSSION = "Discussion"

_ITEMS = (
    ChecklistItem(
        1,
        INTRODUCTION,
        "Marker, objectives and hypotheses",
        "Name the marker under study, the objectives of the study and any hypotheses specified "
        "before the analysis.",
        fields=("study.markers", "study.objective", "study.hypotheses"),
        satisfy="set markers, objective and hypotheses in [study]",
    ),
    ChecklistItem(
        2,
        PATIENTS,
        "Patient characteristics and selection",
        "Describe the patients studied (for example disease stage, comorbidities), where they "
        "came from, and the inclusion and exclusion criteria.",
        fields=("study.narrative.patients",),
        satisfy="describe the patient source and eligibility criteria in [study.narrative] patients",
    ),
    ChecklistItem(
        3,
        PATIENTS,
        "Treatments",
        "Describe the treatments the patients received and how they were allocated (for "
        "example at random or by a rule).",
        fields=(
            "study.narrative.treatment",
            "study.narrative.remark.treatment_regimens",
            "study.narrative.remark.treatment_allocation",
        ),
        satisfy="list the drugs or regimens and say how treatment was chosen in "
        "[study.narrative.remark] treatment_regimens and treatment_allocation",
    ),
    ChecklistItem(
        4,
        SPECIMENS,
        "Specimens",
        "Describe the biological material (or images) used, control samples included, and how "
        "specimens were preserved and stored.",
        fields=(
            "study.narrative.specimens",
            "study.narrative.remark.acquisition",
            "study.narrative.remark.preservation",
            "study.narrative.remark.segmentation",
        ),
        satisfy="describe the material in [study.narrative] specimens, and its acquisition, "
        "preservation and (for images) segmentation in [study.narrative.remark]",
    ),
    ChecklistItem(
        5,
        ASSAY,
        "Assay methods",
        "Give (or cite) the assay protocol: reagents or kits, quality control and "
        "reproducibility checks, quantitation, scoring and reporting; state whether and how the "
        "assay was done blind to the endpoint.",
        fields=("study.narrative.assay", "study.narrative.remark.blinding"),
        satisfy="describe the assay protocol in [study.narrative] assay and blinding in "
        "[study.narrative.remark] blinding; show "
        "reproducibility with marker_reproducibility (a marker measured twice), "
        "semantic_agreement (readers' scores) or a second segmentation for radiomics_score",
    ),
    ChecklistItem(
        6,
        DESIGN,
        "Case selection and follow-up",
        "State how cases were selected (prospectively or retrospectively, any stratification or "
        "matching), the period the cases come from, when follow-up ended and the median "
        "follow-up.",
        fields=("study.design", "study.period"),
        satisfy="set design and period (with the end of follow-up) in [study]; a survival unit "
        "reports the median follow-up",
    ),
    ChecklistItem(
        7,
        DESIGN,
        "Endpoints",
        "Define every clinical endpoint examined precisely.",
        fields=("study.endpoints",),
        satisfy="define the endpoints in [study] endpoints and give each survival endpoint's "
        "time origin (origin under [cohort.survival] or [cohort.endpoints.NAME])",
    ),
    ChecklistItem(
        8,
        DESIGN,
        "Candidate variables",
        "List every variable examined or considered for inclusion in the models.",
        fields=("cohort.variables",),
        satisfy="declare the candidate variables under [cohort.variables]",
    ),
    ChecklistItem(
        9,
        DESIGN,
        "Sample size",
        "Justify the sample size; when the study was designed to detect a given effect, give "
        "that effect size and the target power.",
        fields=("study.narrative.sample_size",),
        satisfy="give the sample-size rationale in [study.narrative] sample_size",
    ),
    ChecklistItem(
        10,
        STATISTICS,
        "Statistical methods",
        "Describe all statistical methods, including variable selection and other model-building "
        "choices, how model assumptions were checked, and how missing data were handled.",
        fields=("study.narrative.remark.variable_entry", "study.narrative.remark.missing_data"),
        satisfy="run the analysis units (they write the Methods section), e.g. "
        "univariable_logistic or multivariable_logistic; say how variables entered the models "
        "and how missing data were handled in [study.narrative.remark]",
    ),
    ChecklistItem(
        11,
        STATISTICS,
        "Handling of marker values",
        "Explain how marker values entered the analyses and, where a cut-off was used, how it "
        "was determined.",
        satisfy="run a marker unit that states how the marker is handled, e.g. marker_response, "
        "or univariable_cox / multivariable_cox with the marker named (marker = ...)",
        check=marker_handling,
    ),
    ChecklistItem(
        12,
        DATA,
        "Patient flow",
        "Describe the flow of patients through the study: how many entered each stage of the "
        "analysis, why patients dropped out, and the numbers of patients and events overall and "
        "in each subgroup examined in depth (a diagram helps).",
        fields=("cohort.flow",),
        satisfy="list the flow steps under [[cohort.flow]]",
    ),
    ChecklistItem(
        13,
        DATA,
        "Distributions of characteristics",
        "Report the distributions of basic demographics (at least age and sex), the standard "
        "prognostic variables and the marker, with the numbers of missing values.",
        satisfy="run a baseline_table unit",
    ),
    ChecklistItem(
        14,
        ANALYSIS,
        "Marker and standard prognostic variables",
        "Show how the marker relates to the standard prognostic variables.",
        satisfy="run a unit relating the marker to the prognostic variables, e.g. "
        "group_comparison or baseline_table split by marker group (by = ...)",
        check=marker_against_variables,
    ),
    ChecklistItem(
        15,
        ANALYSIS,
        "Univariable analyses",
        "Present univariable analyses of the marker and the outcome with effect estimates (for "
        "example hazard ratios, survival probabilities), preferably for the other variables too; "
        "for time-to-event outcomes a Kaplan-Meier plot is recommended.",
        satisfy="run univariable_cox with the marker named (marker = ...), "
        "univariable_logistic or survival_stratification",
        check=univariable_of_marker,
    ),
    ChecklistItem(
        16,
        ANALYSIS,
        "Multivariable analyses",
        "For the key multivariable analyses give effect estimates with confidence intervals for "
        "the marker and, at least for the final model, for every other variable in it.",
        satisfy="run multivariable_cox (marker and adjust) or multivariable_logistic with the "
        "marker and at least one other variable",
        check=multivariable_with_marker,
    ),
    ChecklistItem(
        17,
        ANALYSIS,
        "Marker adjusted for standard variables",
        "Give effect estimates with confidence intervals from a model that includes the marker "
        "and the standard prognostic variables, whether or not they are significant.",
        satisfy="name the standard variables in [study.narrative.remark] standard_variables and "
        "run multivariable_cox with the marker and them (adjust), or a multivariable model that "
        "forces them in rather than selecting by univariable significance",
        check=marker_added,
    ),
    ChecklistItem(
        18,
        ANALYSIS,
        "Further investigations",
        "If done, report further investigations such as checks of assumptions, sensitivity "
        "analyses and internal validation.",
        satisfy="run calibration (or a Cox model's PH test) and a validation that repeats the "
        "whole pipeline (selection included)",
    ),
    ChecklistItem(
        19,
        DISCUSSION,
        "Interpretation and limitations",
        "Interpret the results against the pre-specified hypotheses and other relevant studies, "
        "and discuss the study's limitations.",
        fields=("study.narrative.interpretation", "study.narrative.limitations"),
        satisfy="write the interpretation in [study.narrative] interpretation and the "
        "limitations in [study.narrative] limitations",
    ),
    ChecklistItem(
        20,
        DISCUSSION,
        "Implications",
        "Discuss the implications for future research and for clinical value.",
        fields=("study.narrative.implications",),
        satisfy="write the implications in [study.narrative] implications",
    ),
)

#: Every item with its evidence rules beside it (remark_evidence.RULES).
_RULED = tuple(replace(item, rules=RULES[int(item.number)]) for item in _ITEMS)

REMARK = Checklist(
    name="remark",
    title="REMARK",
    citation=(
        "McShane LM, Altman DG, Sauerbrei W, Taube SE, Gion M, Clark GM. REporting "
        "recommendations for tumour MARKer prognostic studies (REMARK). Br J Cancer "
        "2005;93:387-391."
    ),
    items=_RULED,
)
