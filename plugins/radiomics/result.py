"""Result model of the radiomics_score unit: raw numbers only, formatted by its template."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from remarkit import DerivedColumn, UnitResult
from remarkit.modeling.crossfit import oof_column
from remarkit.plugins.radiomics.harmonize_result import Harmonization
from remarkit.plugins.radiomics.reproducibility import Reproducibility


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FailedCase(_Frozen):
    """A case pyradiomics could not extract; the patient has no score."""

    patient: str = Field(description="Patient id")
    split: str = Field(description="'train' or 'test'")
    reason: str = Field(description="Why extraction failed")


class SelectedFeature(_Frozen):
    """A feature kept by LASSO and used by XGBoost."""

    name: str = Field(description="pyradiomics feature name (image type_class_feature)")
    lasso_coefficient: float = Field(description="LASSO coefficient on the standardised feature")
    mean_abs_shap: float = Field(description="Mean |SHAP value| over the training patients")
    shap_direction: float = Field(
        description="Spearman correlation of the feature with its SHAP value (training set): "
        "positive when higher values raise the score"
    )
    gain: float = Field(description="XGBoost total gain of the feature")


class FilterStep(_Frozen):
    """Features remaining after one selection step (training set only)."""

    step: str = Field(description="Selection step")
    remaining: int = Field(description="Features remaining after the step")
    removed: int | None = Field(
        default=None, description="Features the step removed (None for the first row)"
    )


class RadiomicsResult(UnitResult):
    """A CT phase's radiomics score: extraction counts, selection, model and its explanation."""

    kind: Literal["radiomics_score"] = "radiomics_score"
    phase: str = Field(description="CT phase")
    n_patients: int = Field(description="Cohort patients")
    n_extracted: int = Field(description="Cases with features")
    failed: list[FailedCase] = Field(description="Cases that could not be extracted")
    n_train: int = Field(
        description="Training patients with features and a known outcome (model fitted on them)"
    )
    n_train_events: int = Field(description="Outcome events among them")
    filters: list[FilterStep] = Field(description="Features remaining after each step")
    lasso_c: float = Field(description="Inverse LASSO penalty chosen by cross-validation")
    lasso_cv_auc: float = Field(description="Cross-validated AUC at the chosen penalty")
    selected: list[SelectedFeature] = Field(description="Selected features, by mean |SHAP|")
    xgboost: dict[str, float | int | str] = Field(description="XGBoost configuration")
    cv_auc: float = Field(
        description="Cross-validated training AUC (pooled out-of-fold scores, also published "
        "as the score_oof column for downstream models)"
    )
    cv_auc_folds: list[float] = Field(description="AUC of each cross-validation fold")
    apparent_auc: float = Field(description="Training AUC of the final model on its own data")
    imputed_test_values: int = Field(
        description="Non-finite selected-feature values of scored patients replaced by the "
        "training median"
    )
    pyradiomics_version: str = Field(description="pyradiomics version")
    parameter_file: str = Field(description="Parameter file used")
    parameter_file_sha256: str = Field(description="sha256 of the parameter file")
    settings: dict[str, str] = Field(description="pyradiomics settings (as text)")
    image_types: list[str] = Field(description="Enabled image types with their options")
    feature_classes: list[str] = Field(description="Enabled feature classes")
    n_features: int = Field(description="Features extracted per case")
    cropping: str = Field(description="How images were cropped before filtering")
    artefacts: dict[str, str] = Field(description="Saved files (feature tables, model)")
    reproducibility: Reproducibility | None = Field(
        default=None,
        description="Feature ICCs between two segmentations and the ICC filter (None when no "
        "patient has a second segmentation of the phase)",
    )
    harmonization: Harmonization | None = Field(
        default=None, description="ComBat harmonisation across batches (None when off)"
    )


def _label(phase: str) -> str:
    return f"{phase.capitalize()}-phase radiomics score"


def score_column(phase: str, patients: list[str], values: list[float | None]) -> DerivedColumn:
    """The unit's patient-level output ``score`` (the same under ``run`` and ``apply``)."""
    return DerivedColumn(
        name="score", kind="continuous", ids=patients, values=list(values), label=_label(phase)
    )


def oof_score_column(phase: str, patients: list[str], oof: dict[str, float]) -> DerivedColumn:
    """``score_oof``: each training patient's score from the cross-validation refit that held it
    out (None for the others), what downstream models train on when cross-fitted."""
    return oof_column("score", _label(phase), patients, oof)
