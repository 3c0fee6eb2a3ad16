"""The demo's marker-response and clinical [[unit]] tables (Table 1, Table 2, clinical models)."""

from typing import Any

#: Table 1 rows: characteristics known before treatment (mRECIST, which defines DCB, and the
#: later resection and pCR are outcomes, never baseline rows).
_TABLE1 = [
    "age_group",
    "sex",
    "bmi",
    "tumor_size_mm",
    "tumor_number",
    "cnlc_stage",
    "albi_grade",
    "child_pugh",
    "ecog",
    "regimen",
    "hbv",
    "cirrhosis",
    "vascular_invasion",
    "vp_grade",
    "platelets",
    "creatinine",
    "total_bilirubin",
    "direct_bilirubin",
    "inr",
    "afp_baseline",
    "afp_group",
    "afp.response",
    "necrosis",
    "peritumoral_enhancement",
    "regular_margin",
    "pseudocapsule",
    "dilated_vasculature",
]

_CANDIDATES = [
    "age_group",
    "sex",
    "bmi",
    "tumor_size_mm",
    "tumor_number",
    "cnlc_stage",
    "albi_grade",
    "child_pugh",
    "ecog",
    "regimen",
    "hbv",
    "cirrhosis",
    "vp_grade",
    "vascular_invasion",
    "platelets",
    "creatinine",
    "total_bilirubin",
    "direct_bilirubin",
    "inr",
    "nlr",
    "afp_group",
    "afp.response",
    "necrosis",
    "peritumoral_enhancement",
    "regular_margin",
    "pseudocapsule",
    "dilated_vasculature",
]


#: Table 1 rows shown by baseline AFP group (the marker against the other variables).
_BY_AFP = [name for name in _TABLE1 if name != "afp_group"]


#: The units: the readers' agreement on the CT semantic features, AFP response, Table 1 (by
#: split; by outcome in train), univariable and multivariable logistic analyses (Table 2), and the
#: clinical models with and without AFP response whose ``probability`` columns the evaluators
#: consume.
CLINICAL_UNITS: list[dict[str, Any]] = [
    {"id": "readers", "use": "semantic_agreement"},
    {
        "id": "afp",
        "use": "marker_response",
        "baseline": "afp_baseline",
        "follow_up": "afp_1month",
        "marker": "AFP",
        "normal_limit": 7.0,
        "clinical_threshold": 60.0,
        "bootstrap": 2000,
        "responder_label": "AFP responder",
        "non_responder_label": "Non-AFP responder",
        "normal_label": "AFP < 7 ng/ml",
    },
    {"id": "table1", "use": "baseline_table", "by": "split", "variables": _TABLE1},
    {
        "id": "table1_outcome",
        "use": "baseline_table",
        "by": "outcome",
        "subset": "train",
        "negative_label": "Non-DCB",
        "variables": _TABLE1,
    },
    {
        "id": "table_afp",
        "use": "baseline_table",
        "by": "afp_group",
        "title": "Clinical characteristics by baseline AFP group (REMARK 14)",
        "variables": _BY_AFP,
    },
    {"id": "univariable", "use": "univariable_logistic", "variables": _CANDIDATES},
    {
        "id": "multivariable",
        "use": "multivariable_logistic",
        "univariable": "univariable",
        "p_threshold": 0.05,
        "variables": _CANDIDATES,
    },
    {
        "id": "clinical_afp",
        "use": "logistic_model",
        "title": "Clinical model with AFP response",
        "variables": ["afp.response", "platelets", "dilated_vasculature"],
    },
    {
        "id": "clinical_no_afp",
        "use": "logistic_model",
        "title": "Clinical model without AFP response",
        "variables": ["platelets", "dilated_vasculature"],
    },
]
