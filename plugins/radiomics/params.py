"""Parameters of the radiomics_score unit (its ``[[unit]]`` table in study.toml)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from remarkit.plugins.radiomics.harmonize_params import HarmonizeParams


class RadiomicsParams(HarmonizeParams):
    """Extraction, feature selection and XGBoost settings of one CT phase's radiomics score."""

    phase: str = Field(min_length=1, description="CT phase in the image manifest, e.g. 'arterial'")
    parameter_file: Path | None = Field(
        default=None,
        description="pyradiomics YAML/JSON parameter file, relative to study.toml (default: "
        "remarkit's default_params.yaml: 1 mm B-spline resampling, bin width 25, original + "
        "LoG 1-5 mm + coif1 wavelet, all 3-D feature classes)",
    )
    near_constant_fraction: float = Field(
        default=0.9,
        gt=0.5,
        le=1.0,
        description="Drop a feature when one value (to 10 significant digits) holds at least "
        "this fraction of the training patients",
    )
    max_correlation: float = Field(
        default=0.9,
        gt=0.0,
        le=1.0,
        description="Of two features correlated beyond this |r| on the training set, keep the "
        "one that discriminates better (univariable training AUC)",
    )
    correlation: Literal["spearman", "pearson"] = Field(
        default="spearman", description="Correlation used by the redundancy filter"
    )
    lasso_folds: int = Field(default=5, ge=2, le=20, description="Folds choosing the LASSO penalty")
    lasso_cs: int = Field(
        default=30, ge=5, le=200, description="Penalties tried (log-spaced, scikit-learn's Cs)"
    )
    max_features: int = Field(
        default=10, ge=1, le=100, description="Largest number of LASSO-selected features kept"
    )
    n_estimators: int = Field(default=150, ge=10, le=5000, description="XGBoost trees")
    max_depth: int = Field(default=2, ge=1, le=10, description="XGBoost tree depth")
    learning_rate: float = Field(default=0.03, gt=0, le=1, description="XGBoost learning rate")
    subsample: float = Field(default=0.8, gt=0, le=1, description="XGBoost row subsampling")
    colsample_bytree: float = Field(default=1.0, gt=0, le=1, description="Feature subsampling")
    min_child_weight: float = Field(default=3.0, ge=0, description="XGBoost min_child_weight")
    reg_lambda: float = Field(default=1.0, ge=0, description="XGBoost L2 penalty")
    cv_folds: int = Field(
        default=5,
        ge=2,
        le=20,
        description="Folds of the cross-validated training AUC and of the out-of-fold training "
        "scores (score_oof) that cross-fitted downstream models use (whole pipeline refitted "
        "per fold)",
    )
    shap_display: int = Field(default=10, ge=1, le=50, description="Features shown in the beeswarm")
    icc_form: Literal["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"] = Field(
        default="ICC2",
        description="psych::ICC form of the feature reproducibility between the two "
        "segmentations (ICC2 = ICC(2,1): two-way random, absolute agreement, single rater)",
    )
    icc_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Drop features whose ICC between the two segmentations (training patients "
        "with a second mask) is below this, or cannot be computed, before selection, e.g. 0.75 "
        "(default: ICCs reported, nothing dropped)",
    )
    icc_min_patients: int = Field(
        default=5,
        ge=3,
        description="Fewest training patients with two segmentations an ICC filter needs",
    )
