"""Pure statistical functions on numpy/pandas (no engine imports).

Each function matches a reference implementation a reviewer trusts (R: pROC, rms, survival,
stats, GSVA; maftools' definitions) and returns a frozen, typed result.
"""

from remarkit.stats._bland_altman import BlandAltmanResult, bland_altman
from remarkit.stats._fleiss import FleissKappaResult, fleiss_kappa
from remarkit.stats._icc import ICC_FORMS, IccForm, IccResult, icc
from remarkit.stats._kappa import KappaResult, cohen_kappa
from remarkit.stats._krippendorff import KrippendorffResult, krippendorff_alpha
from remarkit.stats.calibration import (
    CalibrationResult,
    HosmerLemeshowResult,
    SpiegelhalterResult,
    calibration,
    hosmer_lemeshow,
    spiegelhalter_z,
)
from remarkit.stats.cox import CoxLrTestResult, CoxResult, cox_lr_test, cox_regression
from remarkit.stats.cox_nomogram import CoxNomogramResult, cox_nomogram
from remarkit.stats.cox_predict import (
    CoxSurvivalPrediction,
    SurvivalCalibrationResult,
    cox_predict_survival,
    survival_calibration,
    survival_calibration_scores,
)
from remarkit.stats.decision_curve import (
    DecisionCurveResult,
    NetBenefitResult,
    decision_curve,
    net_benefit,
)
from remarkit.stats.diagnostic import DiagnosticMetrics, Proportion, diagnostic_metrics
from remarkit.stats.discrimination import ConcordanceResult, concordance
from remarkit.stats.group_tests import (
    ChiSquareResult,
    FisherResult,
    KruskalWallisResult,
    MannWhitneyResult,
    TTestResult,
    chi_square,
    fisher_exact,
    kruskal_wallis,
    mann_whitney,
    t_test,
)
from remarkit.stats.logistic import LogisticResult, VifResult, logistic_regression, vif
from remarkit.stats.multiplicity import P_ADJUST_METHODS, PAdjustResult, p_adjust
from remarkit.stats.mutations import (
    NONSYNONYMOUS_CLASSES,
    GeneSummaryResult,
    MutationMatrixResult,
    TmbResult,
    gene_summary,
    mutated_samples,
    tumor_mutation_burden,
)
from remarkit.stats.nomogram import NomogramPredictor, NomogramResult, nomogram
from remarkit.stats.pooling import PooledResult, pool_rubin
from remarkit.stats.pretty import pretty
from remarkit.stats.proportional_hazards import CoxZphResult, cox_zph
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
from remarkit.stats.ssgsea import SsgseaResult, ssgsea
from remarkit.stats.survival import (
    KaplanMeierResult,
    LogrankResult,
    MedianFollowUpResult,
    SurvivalAtResult,
    kaplan_meier,
    logrank_test,
    median_follow_up,
    survival_at,
)
from remarkit.stats.td_auc import TimeDependentAucResult, time_dependent_auc
from remarkit.stats.validation import BootstrapOptimismResult, bootstrap_optimism
from remarkit.stats.validation_selection import (
    SelectedBootstrapResult,
    bootstrap_optimism_selected,
)

__all__ = [
    "ICC_FORMS",
    "NONSYNONYMOUS_CLASSES",
    "P_ADJUST_METHODS",
    "AucResult",
    "BlandAltmanResult",
    "BootstrapOptimismResult",
    "CalibrationResult",
    "ChiSquareResult",
    "ConcordanceResult",
    "CoxLrTestResult",
    "CoxNomogramResult",
    "CoxResult",
    "CoxSurvivalPrediction",
    "CoxZphResult",
    "DecisionCurveResult",
    "DelongTestResult",
    "DiagnosticMetrics",
    "FisherResult",
    "FleissKappaResult",
    "GeneSummaryResult",
    "HosmerLemeshowResult",
    "IccForm",
    "IccResult",
    "KaplanMeierResult",
    "KappaResult",
    "KrippendorffResult",
    "KruskalWallisResult",
    "LogisticResult",
    "LogrankResult",
    "MannWhitneyResult",
    "MedianFollowUpResult",
    "MutationMatrixResult",
    "NetBenefitResult",
    "NomogramPredictor",
    "NomogramResult",
    "PAdjustResult",
    "PooledResult",
    "Proportion",
    "RocCurveResult",
    "SelectedBootstrapResult",
    "SpiegelhalterResult",
    "SsgseaResult",
    "SurvivalAtResult",
    "SurvivalCalibrationResult",
    "TTestResult",
    "TimeDependentAucResult",
    "TmbResult",
    "VifResult",
    "YoudenResult",
    "auc_ci",
    "bland_altman",
    "bootstrap_optimism",
    "bootstrap_optimism_selected",
    "calibration",
    "chi_square",
    "cohen_kappa",
    "concordance",
    "cox_lr_test",
    "cox_nomogram",
    "cox_predict_survival",
    "cox_regression",
    "cox_zph",
    "decision_curve",
    "delong_test",
    "diagnostic_metrics",
    "fisher_exact",
    "fleiss_kappa",
    "gene_summary",
    "hosmer_lemeshow",
    "icc",
    "kaplan_meier",
    "krippendorff_alpha",
    "kruskal_wallis",
    "logistic_regression",
    "logrank_test",
    "mann_whitney",
    "median_follow_up",
    "mutated_samples",
    "net_benefit",
    "nomogram",
    "p_adjust",
    "pool_rubin",
    "pretty",
    "roc_curve",
    "spiegelhalter_z",
    "ssgsea",
    "survival_at",
    "survival_calibration",
    "survival_calibration_scores",
    "t_test",
    "time_dependent_auc",
    "tumor_mutation_burden",
    "vif",
    "youden_threshold",
]
