"""The demo's marker-response and clinical [[unit]] tables (Table 1, Table 2, clinical models)."""

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


def _list(names: list[str]) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


#: TOML text of the units: the readers' agreement on the CT semantic features, AFP response, Table 1 (by split; by outcome in train), univariable and
#: multivariable logistic analyses (Table 2), and the clinical models with and without AFP
#: response whose ``probability`` columns the evaluators consume.
CLINICAL_UNITS = f"""
[[unit]]
id = "readers"
use = "semantic_agreement"

[[unit]]
id = "afp"
use = "marker_response"
baseline = "afp_baseline"
follow_up = "afp_1month"
marker = "AFP"
normal_limit = 7.0
clinical_threshold = 60.0
bootstrap = 2000
responder_label = "AFP responder"
non_responder_label = "Non-AFP responder"
normal_label = "AFP < 7 ng/ml"

[[unit]]
id = "table1"
use = "baseline_table"
by = "split"
variables = {_list(_TABLE1)}

[[unit]]
id = "table1_outcome"
use = "baseline_table"
by = "outcome"
subset = "train"
negative_label = "Non-DCB"
variables = {_list(_TABLE1)}

[[unit]]
id = "table_afp"
use = "baseline_table"
by = "afp_group"
title = "Clinical characteristics by baseline AFP group (REMARK 14)"
variables = {_list(_BY_AFP)}

[[unit]]
id = "univariable"
use = "univariable_logistic"
variables = {_list(_CANDIDATES)}

[[unit]]
id = "multivariable"
use = "multivariable_logistic"
univariable = "univariable"
p_threshold = 0.05
variables = {_list(_CANDIDATES)}

[[unit]]
id = "clinical_afp"
use = "logistic_model"
title = "Clinical model with AFP response"
variables = ["afp.response", "platelets", "dilated_vasculature"]

[[unit]]
id = "clinical_no_afp"
use = "logistic_model"
title = "Clinical model without AFP response"
variables = ["platelets", "dilated_vasculature"]
"""
