"""The Methods paragraph of a radiomics_score result."""

from __future__ import annotations

from remarkit.plugins.radiomics.harmonize_result import combat_methods
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.result import RadiomicsResult


def methods_text(result: RadiomicsResult, params: RadiomicsParams, versions: dict[str, str]) -> str:
    """Say what was extracted, how features were selected and the model fitted, with versions."""
    s = result.settings
    resampling = (
        f"resampled to {s.get('resampledPixelSpacing')} mm with {s.get('interpolator')} "
        "interpolation"
        if s.get("resampledPixelSpacing") not in (None, "None")
        else "not resampled"
    )
    discretisation = (
        f"a fixed bin count of {s['binCount']}"
        if s.get("binCount") not in (None, "None")
        else f"a fixed bin width of {s.get('binWidth', '25')}"
    )
    xgb = result.xgboost
    failed = len(result.failed)
    return (
        f"Radiomics features of the {result.phase}-phase CT were extracted within the tumour "
        f"mask with pyradiomics {result.pyradiomics_version} (parameter file "
        f"{result.parameter_file}, sha256 {result.parameter_file_sha256[:12]}): images "
        f"{resampling}, grey levels discretised with {discretisation}; image types "
        f"{', '.join(result.image_types)}; feature classes {', '.join(result.feature_classes)} "
        f"({result.n_features} features per case). Before filtering, each image was "
        f"{result.cropping}; pyradiomics' diagnostics were not computed. Images were read "
        f"with SimpleITK {versions.get('SimpleITK', '')}. "
        f"{result.n_extracted} of {result.n_patients} cases were extracted"
        + (f" ({failed} failed and have no score)" if failed else "")
        + ". "
        + (combat_methods(result.harmonization) + " " if result.harmonization else "")
        + "On the training set only "
        f"({result.n_train} patients, {result.n_train_events} events), features with a "
        "non-finite value were dropped, then near-constant features (one value shared by at "
        f"least {params.near_constant_fraction:g} of patients), then redundant features "
        f"({params.correlation} |r| > {params.max_correlation:g}; of a correlated pair the one "
        "with the larger univariable AUC was kept). An L1-penalised (LASSO) logistic regression "
        f"on standardised features chose its penalty among {params.lasso_cs} values by "
        f"{params.lasso_folds}-fold stratified cross-validated AUC (scikit-learn "
        f"{versions.get('scikit-learn', '')}, liblinear; chosen C = {result.lasso_c:.4g}); up "
        f"to {params.max_features} features with non-zero coefficients were kept "
        f"({len(result.selected)} selected). An XGBoost {versions.get('xgboost', '')} "
        f"classifier ({xgb.get('n_estimators')} trees, depth {xgb.get('max_depth')}, learning "
        f"rate {xgb.get('learning_rate')}, subsample {xgb.get('subsample')}, column sample "
        f"{xgb.get('colsample_bytree')}, min_child_weight {xgb.get('min_child_weight')}, "
        f"lambda {xgb.get('reg_lambda')}, exact tree method, one thread, seed "
        f"{xgb.get('random_state')}) was fitted on the selected features; its predicted "
        "probability of the positive outcome is the radiomics score of every patient, and "
        "non-finite feature values of scored patients are replaced by training medians. The "
        f"training AUC was estimated by {params.cv_folds}-fold stratified cross-validation "
        "refitting every selection step and the model within each fold (folds seeded from the "
        "study seed); each training patient's score from the refit that held it out (its "
        "out-of-fold score, score_oof) is what downstream models fitted on cross-fitted "
        "training scores use. Feature "
        f"contributions are TreeSHAP values (shap {versions.get('shap', '')}) on the training "
        "set."
    )
