"""The demo's evaluator [[unit]] tables: the reference paper's Table 3, Table S5, Figures 4-5.

Discrimination, comparison, calibration and decision curves cover the clinical models
(``logistic_model`` units ``clinical_no_afp`` and ``clinical_afp``) and the four phase scores;
survival and group comparisons the clinical and integrated clinical-radiomics models.
"""

CLINICAL_SCORES = """[
  {column = "clinical_no_afp.probability", label = "Clinical model without AFP response"},
  {column = "clinical_afp.probability", label = "Clinical model with AFP response"},
  {column = "integrated_no_afp.probability", label = "Integrated model without AFP response"},
  {column = "integrated_afp.probability", label = "Integrated model with AFP response"},
]"""

ALL_SCORES = """[
  {column = "clinical_no_afp.probability", label = "Clinical model without AFP response"},
  {column = "clinical_afp.probability", label = "Clinical model with AFP response"},
  {column = "a_radiomics.score", label = "A-radiomics"},
  {column = "p_radiomics.score", label = "P-radiomics"},
  {column = "a_cnn.score", label = "A-CNN"},
  {column = "p_cnn.score", label = "P-CNN"},
  {column = "integrated_radiomics.probability", label = "Integrated radiomics model"},
  {column = "integrated_no_afp.probability", label = "Integrated model without AFP response"},
  {column = "integrated_afp.probability", label = "Integrated model with AFP response"},
]"""

EVALUATOR_UNITS = f"""
[[unit]]
id = "performance"
use = "discrimination"
subgroup = "regimen"
scores = {ALL_SCORES}

[[unit]]
id = "auc_comparison"
use = "model_comparison"
scores = {ALL_SCORES}

[[unit]]
id = "calibration"
use = "calibration"
scores = {ALL_SCORES}

[[unit]]
id = "survival_by_model"
use = "survival_stratification"
scores = {CLINICAL_SCORES}
risk_times = [0, 12, 24, 36, 48, 60]

[[unit]]
id = "scores_by_resection"
use = "group_comparison"
group = "resection"
subset = [{{outcome = "positive"}}]
scores = {CLINICAL_SCORES}

[[unit]]
id = "scores_by_pcr"
use = "group_comparison"
group = "pcr"
subset = [{{column = "resection", levels = ["Yes"]}}]
scores = {CLINICAL_SCORES}

[[unit]]
id = "scores_by_mrecist"
use = "group_comparison"
group = "mrecist"
scores = {CLINICAL_SCORES}

[[unit]]
id = "decision_curves"
use = "decision_curve"
population = "test"
scores = {ALL_SCORES}

[[unit]]
id = "internal_validation"
use = "internal_validation"
n_boot = 200
models = [
  {{label = "Clinical model without AFP response", predictors = ["platelets", "dilated_vasculature"]}},
  {{label = "Clinical model with AFP response", predictors = ["afp.response", "platelets", "dilated_vasculature"]}},
]
"""
