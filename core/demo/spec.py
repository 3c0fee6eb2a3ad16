"""The demo study's study.toml: metadata, narrative, cohort variables, flow and units."""

from __future__ import annotations

import json

from remarkit.demo.readers import semantic_toml

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

HEADER = """\
# remarkit demo study: synthetic data shaped like Lin et al., Int J Surg 2025 (ICI conversion
# therapy in HCC). Every number in the report comes from synthetic patients.

[study]
title = "Synthetic demo: predicting durable clinical benefit of ICIs-based conversion therapy in HCC"
markers = ["AFP response", "CT semantic features"]
objective = "To develop and validate a clinical model predicting durable clinical benefit (DCB) of ICIs-based conversion therapy in potentially convertible HCC."
hypotheses = "Early AFP decline, platelet count and dilated vasculature in the arterial phase predict DCB."
design = "Retrospective single-centre cohort with a random 3:1 train/test split"
period = "January 2019 to April 2023; follow-up to 30 June 2024"
endpoints = ["DCB: objective response (mRECIST) lasting more than 6 months", "Overall survival"]
seed = {seed}

[study.narrative]
patients = "Consecutive patients with potentially convertible HCC (preserved liver function, technically unresectable or not recommended for resection, no extrahepatic metastasis) who began ICIs-based conversion therapy."
treatment = "ICIs combined with antiangiogenic agents, interventional therapy (TACE/HAIC), or both, chosen by senior hepatobiliary surgeons."
specimens = "Serum AFP before treatment and 3 weeks to 1 month after; pretreatment contrast-enhanced CT."
assay = "Serum AFP by the hospital laboratory's chemiluminescence immunoassay; CT semantic features read by two radiologists blinded to outcome."
sample_size = "All eligible patients in the study period were included; no formal sample size calculation (synthetic demo)."
interpretation = "Synthetic data: results illustrate the pipeline, not clinical findings."
implications = "External validation in a prospective cohort is required before clinical use."
background = "Synthetic demo: conversion therapy can make some unresectable HCC resectable; clinical, radiomic and deep-learning models of response are compared here on generated data."
intended_use = "Illustrative only: a model of this kind would help hepatobiliary surgeons choose patients with potentially convertible HCC for ICIs-based conversion therapy."
fairness = "Not assessed: the synthetic cohort carries no sociodemographic groups to compare."
data_preparation = "CT phantoms and masks are generated with the cohort; the radiomics and deep-learning units state their image pre-processing. No class-imbalance methods were used."
outcome_assessment = "DCB would be judged by mRECIST on follow-up CT; in this demo the outcome is generated with the cohort."
annotation = "Tumour masks are generated with the CT phantoms; a perturbed second mask per case stands in for a second reader."
deidentification = "Synthetic data: there are no patient identifiers."
heterogeneity = "Single-centre (synthetic) data: no between-centre heterogeneity to assess."
ethics = "Not required: synthetic data, no patients."
funding = "None (software demonstration)."
conflicts = "None."
protocol = "No protocol was prepared (software demonstration)."
registration = "Not registered (software demonstration)."
data_availability = "The synthetic data are regenerated by `remarkit demo`."
code_availability = "remarkit is open source; this study file is examples/demo/study.toml."
model_availability = "The fitted models are saved in the run's units/ folders."
patient_involvement = "None (synthetic data)."

[study.narrative.remark]
treatment_regimens = ["ICIs + interventional therapy (TACE/HAIC)", "ICIs + antiangiogenic agent", "ICIs + antiangiogenic agent + interventional therapy"]
treatment_allocation = "Chosen by senior hepatobiliary surgeons, not randomised; the regimen is a candidate variable."
acquisition = "Serum AFP drawn before treatment and 3 weeks to 1 month after; pretreatment contrast-enhanced CT (arterial and portal venous phases) on two scanners. Synthetic: the images are generated phantoms."
segmentation = "Tumour masks are generated with the CT phantoms; a perturbed second mask per case stands in for a second reader (the radiomics units keep features with ICC >= 0.75)."
variable_entry = "Continuous variables enter linearly on their recorded scale, categorical ones as indicator terms against their reference level; the AFP response as its three levels; the integrators combine the upstream scores."
missing_data = "Complete-case analysis in each model; each unit lists the patients it excluded."
standard_variables = ["cnlc_stage", "albi_grade", "tumor_size_mm", "vascular_invasion"]
marker_variables = ["afp.response", "necrosis", "peritumoral_enhancement", "regular_margin", "pseudocapsule", "dilated_vasculature"]

[cohort]
table = "cohort.csv"
id = "patient_id"
missing = ["NA", "", "[Not Available]", "[Unknown]"]

[cohort.split]
column = "set"
train = "train"
test = "test"

[cohort.outcome]
column = "response"
positive = "DCB"
label = "Durable clinical benefit"

[cohort.survival]
time = "os_months"
event = "death"
unit = "months"
origin = "start of ICIs-based conversion therapy"

[images]
manifest = "images/manifest.csv"
"""


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


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


def study_toml(seed: int, units: str, *, kind: str = "training", n: int | None = None) -> str:
    """Return the demo's study.toml text.

    ``kind``: 'training' (the main study), or 'external' / 'radiogenomics' (a further cohort of
    ``n`` patients for ``remarkit apply``: no split, its own title, design and flow).
    """
    header = HEADER.replace("{seed}", str(seed))
    flow = FLOW
    if kind != "training":
        title, design, step = FURTHER_COHORTS[kind]
        header = _replace_line(header, "title = ", f"title = {_toml_str(title)}")
        header = _replace_line(header, "design = ", f"design = {_toml_str(design)}")
        header = header.replace(
            '[cohort.split]\ncolumn = "set"\ntrain = "train"\ntest = "test"\n\n', ""
        )
        flow = [(step, n, None)]
    parts = [header]
    declared = {**VARIABLES, **SCANNER, **(SECOND_LAB if kind == "training" else {})}
    for name, (vtype, label, unit, levels) in declared.items():
        parts.append(f'\n[cohort.variables.{name}]\ntype = "{vtype}"\nlabel = {_toml_str(label)}\n')
        if unit:
            parts.append(f"unit = {_toml_str(unit)}\n")
        if levels:
            parts.append(f"levels = [{', '.join(_toml_str(v) for v in levels)}]\n")
            parts.append(f"reference = {_toml_str(levels[0])}\n")
        if name in NOT_APPLICABLE:
            column, values = NOT_APPLICABLE[name]
            shown = ", ".join(_toml_str(v) for v in values)
            parts.append(
                f"not_applicable_when = {{ column = {_toml_str(column)}, levels = [{shown}] }}\n"
            )
    parts.append(semantic_toml())
    for label, count, excluded in flow:
        parts.append(f"\n[[cohort.flow]]\nlabel = {_toml_str(label)}\n")
        if count is not None:
            parts.append(f"n = {count}\n")
        if excluded is not None:
            parts.append(f"excluded = {excluded}\n")
    parts.append(units)
    return "".join(parts)


def _replace_line(text: str, start: str, line: str) -> str:
    """``text`` with its first line starting with ``start`` replaced by ``line``."""
    lines = text.split("\n")
    index = next(i for i, old in enumerate(lines) if old.startswith(start))
    lines[index] = line
    return "\n".join(lines)
