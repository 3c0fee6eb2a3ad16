"""The demo external cohort's [[unit]] tables: the frozen models evaluated on new patients.

The scores are the applied units' columns (same ids as in the training study); thresholds come
from the training run (remarkit apply hands them to the evaluators).
"""

from remarkit.demo.units_evaluators import ALL_SCORES

_INTEGRATED = """[
  {column = "integrated_no_afp.probability", label = "Integrated model without AFP response"},
  {column = "integrated_afp.probability", label = "Integrated model with AFP response"},
]"""

EXTERNAL_UNITS = f"""
[[unit]]
id = "external_performance"
use = "discrimination"
scores = {ALL_SCORES}

[[unit]]
id = "external_auc_comparison"
use = "model_comparison"
scores = {ALL_SCORES}

[[unit]]
id = "external_calibration"
use = "calibration"
scores = {ALL_SCORES}

[[unit]]
id = "external_survival"
use = "survival_stratification"
scores = {_INTEGRATED}
risk_times = [0, 12, 24, 36, 48, 60]

[[unit]]
id = "external_decision_curves"
use = "decision_curve"
population = "test"
scores = {ALL_SCORES}
"""
