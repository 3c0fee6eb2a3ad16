"""Pure statistical functions on numpy/pandas (no engine imports).

Each function matches a reference implementation a reviewer trusts (R: pROC, rms, survival,
stats, GSVA; maftools' definitions) and returns a frozen, typed result.
"""

from remarkit.stats.calibration import (
    CalibrationResult,
    HosmerLemeshowResult,
    SpiegelhalterResult,
    calibration,
    hosmer_lemeshow,
    spiegelhalter_z,
)
from remarkit.stats.diagnostic import DiagnosticMetrics, Proportion, diagnostic_metrics
from remarkit.stats.roc import (
    AucResult,
    DelongTestResult,
    RocCurveResult,
    YoudenResult,
    auc_ci,
    delong_test,
    roc_curve,
    youden_threshold,
)

__all__ = [
    "AucResult",
    "CalibrationResult",
    "DelongTestResult",
    "DiagnosticMetrics",
    "HosmerLemeshowResult",
    "Proportion",
    "RocCurveResult",
    "SpiegelhalterResult",
    "YoudenResult",
    "auc_ci",
    "calibration",
    "delong_test",
    "diagnostic_metrics",
    "hosmer_lemeshow",
    "roc_curve",
    "spiegelhalter_z",
    "youden_threshold",
]
