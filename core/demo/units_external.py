"""The demo external cohort's [[unit]] tables: the frozen models evaluated on new patients.

The scores are the applied units' columns (same ids as in the training study); thresholds come
from the training run (remarkit apply hands them to the evaluators).
"""

from typing import Any

from remarkit.demo.units_evaluators import ALL_SCORES, INTEGRATED_SCORES, RISK_TIMES

EXTERNAL_UNITS: list[dict[str, Any]] = [
    {"id": "external_performance", "use": "discrimination", "scores": ALL_SCORES},
    {"id": "external_auc_comparison", "use": "model_comparison", "scores": ALL_SCORES},
    {"id": "external_calibration", "use": "calibration", "scores": ALL_SCORES},
    {
        "id": "external_survival",
        "use": "survival_stratification",
        "scores": INTEGRATED_SCORES,
        "risk_times": RISK_TIMES,
    },
    {
        "id": "external_decision_curves",
        "use": "decision_curve",
        "population": "test",
        "scores": ALL_SCORES,
    },
]
