"""The demo study as the :class:`Study` model, and its study.toml text: metadata, narrative,
cohort variables, flow and units."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from remarkit.demo.readers import semantic_specs
from remarkit.engine import spec_toml
from remarkit.engine.spec import (
    CohortSpec,
    FlowStep,
    GenomicsSpec,
    ImagesSpec,
    Narrative,
    OutcomeSpec,
    SplitSpec,
    Study,
    StudyInfo,
    SurvivalSpec,
    UnitSpec,
    VariableSpec,
)
from remarkit.engine.spec_applicability import NotApplicableWhen

# name -> (type, label, unit, levels-in-order with the reference first or None); the CT
# semantic features are [cohort.semantic] tables (remarkit.demo.readers)
VARIABLES: dict[str, tuple[str, str, str, list[str] | None]] = {
    "age": ("continuous", "Age", "years", None),
    "age_group": ("categorical", "Age group", "years", ["<60", ">=60"]),
    "sex": ("categorical", "Gender", "", ["Female", "Male"]),
    "bmi": ("continuous", "BMI", "kg/m2", None),
    "tumor_size_mm": ("continuous", "Tumour size", "mm", None),
    "tumor_number": ("categorical", "Tumour number", "", ["Multiple", "Single"]),
    "cnlc_stage": ("categorical", "CNLC stage", "", ["Ib-IIa", "IIb-IIIa"]),
    "albi_grade": ("categorical", "ALBI grade", "", ["1-2", "3"]),
    "child_pugh": ("categorical", "Child-Pugh class", "", ["A", "B"]),
    "ecog": ("continuous", "ECOG PS", "", None),
    "regimen": (
        "categorical",
        "Therapeutic regimen",
        "",
        [
            "ICIs + interventional",
            "ICIs + antiangiogenic",
            "ICIs + antiangiogenic + interventional",
        ],
    ),
    "hbv": ("categorical", "HBV", "", ["No", "Yes"]),
    "cirrhosis": ("categorical", "Cirrhosis", "", ["No", "Yes"]),
    "vascular_invasion": ("categorical", "Vascular invasion", "", ["No", "Yes"]),
    "vp_grade": ("categorical", "Vp", "", ["Vp1-Vp2", "Vp3-Vp4"]),
    "platelets": ("continuous", "PLT", "10^9/l", None),
    "creatinine": ("continuous", "Creatinine", "umol/l", None),
    "total_bilirubin": ("continuous", "TB", "umol/l", None),
    "direct_bilirubin": ("continuous", "DBIL", "umol/l", None),
    "inr": ("continuous", "INR", "", None),
    "nlr": ("continuous", "NLR", "", None),
    "afp_baseline": ("continuous", "AFP at baseline", "ng/ml", None),
    "afp_1month": ("continuous", "AFP at one month", "ng/ml", None),
    "afp_group": ("categorical", "AFP", "ng/ml", ["<=400", ">400"]),
    "mrecist": ("categorical", "mRECIST", "", ["CR", "PR", "SD", "PD"]),
    "resection": ("categorical", "Sequential resection", "", ["No", "Yes"]),
    "pcr": ("categorical", "Pathological complete response", "", ["No", "Yes"]),
}

#: Variables that do not apply to every patient (``not_applicable_when``): the Vp grade only
#: with vascular invasion, resection only after DCB, pCR only after resection; an absent value
#: there is "not applicable", not missing.
NOT_APPLICABLE: dict[str, tuple[str, list[str]]] = {
    "vp_grade": ("vascular_invasion", ["No"]),
    "resection": ("response", ["Non-DCB"]),
    "pcr": ("resection", ["No"]),
}

#: Variables of how the demo's data were acquired (remarkit.demo.acquisition): the CT scanner
#: (every demo cohort) and the second laboratory's AFP (the training study only).
SCANNER = {"scanner": ("categorical", "CT scanner", "", ["A", "B"])}
SECOND_LAB = {
    "afp_baseline_lab2": ("continuous", "AFP at baseline, second laboratory", "ng/ml", None)
}

FLOW = [
    ("Potentially convertible HCC treated with ICIs-based conversion therapy", 255, None),
    ("No pretreatment contrast-enhanced CT", None, 39),
    ("Infiltrative HCC with whole-liver involvement", None, 10),
    ("Poor-quality CT images", None, 3),
    ("Analysed (153 train, 50 test)", 203, None),
]

#: The comment heading the demo's study.toml.
COMMENT = (
    "remarkit demo study: synthetic data shaped like Lin et al., Int J Surg 2025 (ICI conversion\n"
    "therapy in HCC). Every number in the report comes from synthetic patients."
)

#: The training study's [study] table (its seed is the run's).
STUDY: dict[str, Any] = {
    "title": "Synthetic demo: predicting durable clinical benefit of ICIs-based conversion therapy in HCC",
    "markers": ["AFP response", "CT semantic features"],
    "objective": (
        "To develop and validate a clinical model predicting durable clinical benefit (DCB) of "
        "ICIs-based conversion therapy in potentially convertible HCC."
    ),
    "hypotheses": "Early AFP decline, platelet count and dilated vasculature in the arterial phase predict DCB.",
    "design": "Retrospective single-centre cohort with a random 3:1 train/test split",
    "period": "January 2019 to April 2023; follow-up to 30 June 2024",
    "endpoints": [
        "DCB: objective response (mRECIST) lasting more than 6 months",
        "Overall survival",
    ],
}

#: [study.narrative]: what no computation can show.
NARRATIVE: dict[str, Any] = {
    "patients": (
        "Consecutive patients with potentially convertible HCC (preserved liver function, "
        "technically unresectable or not recommended for resection, no extrahepatic metastasis) who "
        "began ICIs-based conversion therapy."
    ),
    "treatment": (
        "ICIs combined with antiangiogenic agents, interventional therapy (TACE/HAIC), or both, "
        "chosen by senior hepatobiliary surgeons."
    ),
    "specimens": "Serum AFP before treatment and 3 weeks to 1 month after; pretreatment contrast-enhanced CT.",
    "assay": (
        "Serum AFP by the hospital laboratory's chemiluminescence immunoassay; CT semantic features "
        "read by two radiologists blinded to outcome."
    ),
    "sample_size": (
        "All eligible patients in the study period were included; no formal sample size calculation "
        "(synthetic demo)."
    ),
    "interpretation": "Synthetic data: results illustrate the pipeline, not clinical findings.",
    "implications": "External validation in a prospective cohort is required before clinical use.",
    "background": (
        "Synthetic demo: conversion therapy can make some unresectable HCC resectable; clinical, "
        "radiomic and deep-learning models of response are compared here on generated data."
    ),
    "intended_use": (
        "Illustrative only: a model of this kind would help hepatobiliary surgeons choose patients "
        "with potentially convertible HCC for ICIs-based conversion therapy."
    ),
    "fairness": "Not assessed: the synthetic cohort carries no sociodemographic groups to compare.",
    "data_preparation": (
        "CT phantoms and masks are generated with the cohort; the radiomics and deep-learning units "
        "state their image pre-processing. No class-imbalance methods were used."
    ),
    "outcome_assessment": (
        "DCB would be judged by mRECIST on follow-up CT; in this demo the outcome is generated with "
        "the cohort."
    ),
    "annotation": (
        "Tumour masks are generated with the CT phantoms; a perturbed second mask per case stands in"
        " for a second reader."
    ),
    "deidentification": "Synthetic data: there are no patient identifiers.",
    "heterogeneity": "Single-centre (synthetic) data: no between-centre heterogeneity to assess.",
    "ethics": "Not required: synthetic data, no patients.",
    "funding": "None (software demonstration).",
    "conflicts": "None.",
    "protocol": "No protocol was prepared (software demonstration).",
    "registration": "Not registered (software demonstration).",
    "data_availability": "The synthetic data are regenerated by `remarkit demo`.",
    "code_availability": "remarkit is open source; this study file is examples/demo/study.toml.",
    "model_availability": "The fitted models are saved in the run's units/ folders.",
    "patient_involvement": "None (synthetic data).",
    "remark": {
        "treatment_regimens": [
            "ICIs + interventional therapy (TACE/HAIC)",
            "ICIs + antiangiogenic agent",
            "ICIs + antiangiogenic agent + interventional therapy",
        ],
        "treatment_allocation": (
            "Chosen by senior hepatobiliary surgeons, not randomised; the regimen is a candidate "
            "variable."
        ),
        "acquisition": (
            "Serum AFP drawn before treatment and 3 weeks to 1 month after; pretreatment "
            "contrast-enhanced CT (arterial and portal venous phases) on two scanners. Synthetic: "
            "the images are generated phantoms."
        ),
        "segmentation": (
            "Tumour masks are generated with the CT phantoms; a perturbed second mask per case "
            "stands in for a second reader (the radiomics units keep features with ICC >= 0.75)."
        ),
        "variable_entry": (
            "Continuous variables enter linearly on their recorded scale, categorical ones as "
            "indicator terms against their reference level; the AFP response as its three levels; "
            "the integrators combine the upstream scores."
        ),
        "missing_data": (
            "Complete-case analysis in each model; each unit lists the patients it excluded."
        ),
        "standard_variables": ["cnlc_stage", "albi_grade", "tumor_size_mm", "vascular_invasion"],
        "marker_variables": [
            "afp.response",
            "necrosis",
            "peritumoral_enhancement",
            "regular_margin",
            "pseudocapsule",
            "dilated_vasculature",
        ],
    },
}

#: The demo cohort's table, id, missing-value codes, outcome and survival ([cohort]).
COHORT: dict[str, Any] = {
    "table": "cohort.csv",
    "id": "patient_id",
    "missing": ["NA", "", "[Not Available]", "[Unknown]"],
}
ROLES: dict[str, Any] = {
    "outcome": {"column": "response", "positive": "DCB", "label": "Durable clinical benefit"},
    "survival": {
        "time": "os_months",
        "event": "death",
        "unit": "months",
        "origin": "start of ICIs-based conversion therapy",
    },
}
SPLIT = {"column": "set", "train": "train", "test": "test"}
MANIFEST = "images/manifest.csv"

#: Title and design of the demo's further cohorts (scored with the frozen models, no split).
FURTHER_COHORTS = {
    "external": (
        "Synthetic demo: external validation of the DCB models in a second cohort",
        "Synthetic external validation cohort (another seed): the training study's frozen "
        "models are applied unchanged (remarkit apply); nothing is refitted",
        "External validation cohort (synthetic)",
    ),
    "radiogenomics": (
        "Synthetic demo: radiogenomics of the integrated radiomics model",
        "Synthetic radiogenomics cohort with CT, RNA and DNA: the frozen integrated radiomics "
        "model is applied unchanged and the cohort split at its median score",
        "Radiogenomics cohort with CT, RNA and DNA (synthetic)",
    ),
}


def demo_study(
    seed: int,
    units: Sequence[Mapping[str, Any]] | str,
    *,
    kind: str = "training",
    n: int | None = None,
    genomics: GenomicsSpec | None = None,
) -> Study:
    """The demo's study as the :class:`Study` model (its paths relative to the study folder).

    ``kind``: 'training' (the main study), or 'external' / 'radiogenomics' (a further cohort of
    ``n`` patients for ``remarkit apply``: no split, its own title, design and flow). ``units``
    are ``[[unit]]`` tables, or their TOML text.
    """
    info = {**STUDY, "seed": seed, "narrative": Narrative(**NARRATIVE)}
    flow = FLOW
    split: dict[str, Any] = {"split": SplitSpec(**SPLIT)}
    if kind != "training":
        title, design, step = FURTHER_COHORTS[kind]
        info.update(title=title, design=design)
        flow, split = [(step, n, None)], {}
    declared = {**VARIABLES, **SCANNER, **(SECOND_LAB if kind == "training" else {})}
    variables = {
        name: VariableSpec(
            type=vtype,
            label=label,
            **({"unit": unit} if unit else {}),
            **({"levels": levels, "reference": levels[0]} if levels else {}),
            **(_not_applicable(name)),
        )
        for name, (vtype, label, unit, levels) in declared.items()
    }
    steps = [
        FlowStep(
            label=label,
            **({"n": count} if count is not None else {}),
            **({"excluded": excluded} if excluded is not None else {}),
        )
        for label, count, excluded in flow
    ]
    cohort = CohortSpec(
        **COHORT,
        **split,
        outcome=OutcomeSpec(**ROLES["outcome"]),
        survival=SurvivalSpec(**ROLES["survival"]),
        variables=variables,
        semantic=semantic_specs(),
        flow=steps,
    )
    return Study(
        study=StudyInfo(**info),
        cohort=cohort,
        images=ImagesSpec(manifest=Path(MANIFEST)),
        **({"genomics": genomics} if genomics is not None else {}),
        unit=unit_specs(units),
    )


def _not_applicable(name: str) -> dict[str, Any]:
    if name not in NOT_APPLICABLE:
        return {}
    column, levels = NOT_APPLICABLE[name]
    return {"not_applicable_when": NotApplicableWhen(column=column, levels=levels)}


def unit_specs(units: Sequence[Mapping[str, Any]] | str) -> list[UnitSpec]:
    """``[[unit]]`` tables (mappings, or TOML text) as :class:`UnitSpec` models."""
    tables = tomllib.loads(units).get("unit", []) if isinstance(units, str) else units
    return [UnitSpec(**table) for table in tables]


def study_toml(
    seed: int,
    units: Sequence[Mapping[str, Any]] | str,
    *,
    kind: str = "training",
    n: int | None = None,
    genomics: GenomicsSpec | None = None,
) -> str:
    """The demo's study.toml text: :func:`demo_study` written as TOML."""
    study = demo_study(seed, units, kind=kind, n=n, genomics=genomics)
    return spec_toml.study_toml(study, comment=COMMENT)
