"""The radiomics model: selection + XGBoost fitted on training rows, scoring, CV AUC and SHAP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.selection import Selection, select_features


def xgboost_config(params: RadiomicsParams, seed: int) -> dict[str, Any]:
    """The documented XGBoost configuration (single-threaded, seeded: bit-for-bit repeatable)."""
    return {
        "objective": "binary:logistic",
        "eval_metric": "logloss",
        "tree_method": "exact",
        "n_estimators": params.n_estimators,
        "max_depth": params.max_depth,
        "learning_rate": params.learning_rate,
        "subsample": params.subsample,
        "colsample_bytree": params.colsample_bytree,
        "min_child_weight": params.min_child_weight,
        "reg_lambda": params.reg_lambda,
        "random_state": seed,
        "n_jobs": 1,
    }


@dataclass(frozen=True)
class FittedModel:
    """Everything fitted on the training rows: selection, imputation medians, the booster."""

    selection: Selection
    medians: dict[str, float]
    booster: Any  # xgboost.XGBClassifier

    @property
    def features(self) -> list[str]:
        """The selected features, in model column order."""
        return list(self.selection.features)


class Scorer(Protocol):
    """What scoring needs: the model's features in column order, their training medians (the
    imputation of non-finite values) and the fitted ``XGBClassifier``."""

    @property
    def features(self) -> list[str]:
        """The selected features, in model column order."""
        ...

    @property
    def medians(self) -> dict[str, float]:
        """Training median of every selected feature."""
        ...

    @property
    def booster(self) -> Any:
        """The fitted ``xgboost.XGBClassifier``."""
        ...


def fit(x: pd.DataFrame, y: np.ndarray, params: RadiomicsParams, seed: int) -> FittedModel:
    """Select features and fit XGBoost on training rows ``x`` / ``y`` only."""
    from xgboost import XGBClassifier

    selection = select_features(x, y, params, seed)
    chosen = x[list(selection.features)]
    medians = {str(n): float(np.median(chosen[n].to_numpy(dtype=float))) for n in chosen.columns}
    booster = XGBClassifier(**xgboost_config(params, seed))
    booster.fit(chosen.to_numpy(dtype=float), y)
    return FittedModel(selection, medians, booster)


def design(model: Scorer, x: pd.DataFrame) -> tuple[np.ndarray, int]:
    """The model's columns of ``x``, non-finite values replaced by training medians (and how many)."""
    values = x[model.features].to_numpy(dtype=float).copy()
    bad = ~np.isfinite(values)
    if bad.any():
        medians = np.array([model.medians[n] for n in model.features])
        values[bad] = np.broadcast_to(medians, values.shape)[bad]
    return values, int(bad.sum())


def predict(model: Scorer, x: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Probability of the positive outcome for every row of ``x``, and imputed-value count."""
    values, imputed = design(model, x)
    return np.asarray(model.booster.predict_proba(values)[:, 1], dtype=float), imputed


def cross_validated_auc(
    x: pd.DataFrame, y: np.ndarray, params: RadiomicsParams, seed: int, folds: np.ndarray
) -> tuple[float, list[float], np.ndarray]:
    """Out-of-fold AUC over the training rows, refitting selection and XGBoost in every fold
    (``folds``: the fold of each row, :func:`remarkit.modeling.crossfit.crossfit_folds`).

    Returns the pooled AUC, the AUC of each fold and the out-of-fold score of every row: a row's
    score comes from a model fitted on the other folds only, so it never depends on its own
    outcome.
    """
    from remarkit.modeling.crossfit import out_of_fold

    def fit_predict(fit_rows: np.ndarray, held_out: np.ndarray) -> np.ndarray:
        model = fit(x.iloc[fit_rows], y[fit_rows], params, seed)
        return predict(model, x.iloc[held_out])[0]

    pooled = out_of_fold(folds, fit_predict)
    per_fold = [float(roc_auc_score(y[folds == k], pooled[folds == k])) for k in np.unique(folds)]
    return float(roc_auc_score(y, pooled)), per_fold, pooled


def shap_values(model: FittedModel, x: pd.DataFrame) -> np.ndarray:
    """TreeSHAP values (log-odds scale) of the model's features for the rows of ``x``."""
    import shap

    values, _ = design(model, x)
    explainer = shap.TreeExplainer(model.booster)
    return np.asarray(explainer.shap_values(values), dtype=float)


def gains(model: FittedModel) -> dict[str, float]:
    """XGBoost total gain per selected feature (0 for features no tree uses)."""
    raw = model.booster.get_booster().get_score(importance_type="total_gain")
    return {name: float(raw.get(f"f{i}", 0.0)) for i, name in enumerate(model.features)}
