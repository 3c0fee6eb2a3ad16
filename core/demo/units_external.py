"""The demo external cohort's [[unit]] tables: the frozen models evaluated on new patients.

The scores are the applied units' columns (same ids as in the training study); thresholds come
from the training run (remarkit apply hands them to the evaluators).
"""

_MODELS = """[
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

_INTEGRATED = """[
  {column = "integrated_no_afp.probability", label = "Integrated model without AFP response"},
  {column = "integrated_afp.probability", label = "Integrated model with AFP response"},
]"""

EXTERNAL_UNITS = f"""
[[unit]]
id = "external_performance"
use = "discrimination"
scores = {_MODELS}

[[unit]]
id = "external_auc_comparison"
use = "model_comparison"
scores = {_MODELS}

[[unit]]
id = "external_calibration"
use = "calibration"
scores = {_MODELS}

[[unit]]
id = "external_survival"
use = "survival_stratification"
scores = {_INTEGRATED}
risk_times = [0, 12, 24, 36, 48, 60]

[[unit]]
id = "external_decision_curves"
use = "decision_curve"
population = "test"
scores = {_MODELS}
"""
