"""A logistic model's out-of-fold linear predictor, for downstream models and its CV AUC.

A frozen logistic model (clinical model, integrator) publishes ``linear_predictor_oof`` and
``probability_oof``: each training patient in the fit scored by the logistic model refitted on
the other folds (its inputs are the upstream out-of-fold scores), so a model built on this one
(e.g. the radiomics signature plus clinical predictors) is cross-fitted in turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.special import expit

from remarkit import DerivedColumn, InputError, StatisticsError
from remarkit.modeling import training
from remarkit.modeling.crossfit import crossfit_folds, oof_column, out_of_fold
from remarkit.modeling.fit import ModelFit
from remarkit.modeling.frozen import Coefficient, linear_predictor


@dataclass(frozen=True)
class OutOfFold:
    """The out-of-fold linear predictor of the training patients in the fit."""

    lp: pd.Series
    failed_folds: int


def out_of_fold_lp(model: ModelFit, levels: dict[str, list[str]], k: int, seed: int) -> OutOfFold:
    """Refit the model on k - 1 folds of its training frame and score the held-out fold (folds
    stratified by the outcome, seeded with ``seed``)."""
    y = model.frame.data[training.OUTCOME].to_numpy(dtype=int)
    predictors = [v.variable for v in model.variables]
    return frame_out_of_fold(model.frame, predictors, levels, crossfit_folds(y, k, seed))


def frame_out_of_fold(
    frame: training.TrainFrame,
    predictors: list[str],
    levels: dict[str, list[str]],
    folds: np.ndarray,
) -> OutOfFold:
    """The out-of-fold linear predictor of every row of ``frame`` for the given ``folds``; a fold
    whose refit fails (separation, an absent level) leaves its rows missing."""
    data = frame.data
    failed = 0

    def fit_predict(fit_rows: np.ndarray, held_out: np.ndarray) -> np.ndarray:
        nonlocal failed
        part = replace(frame, data=data.iloc[fit_rows])
        try:
            fit = training.fit_logistic(part, predictors, ci="wald", level=0.95)
        except (StatisticsError, InputError, ValueError, np.linalg.LinAlgError):
            failed += 1
            return np.full(held_out.size, np.nan)
        if not all(math.isfinite(t.coef) for t in fit.terms) or not math.isfinite(fit.intercept):
            failed += 1
            return np.full(held_out.size, np.nan)
        coefficients = [
            Coefficient(term="(Intercept)", variable=None, level=None, coef=fit.intercept)
        ]
        coefficients += [
            Coefficient(term=t.term, variable=t.variable, level=t.level, coef=t.coef)
            for t in fit.terms
        ]
        return linear_predictor(data.iloc[held_out], coefficients, levels).to_numpy(dtype=float)

    lp = out_of_fold(folds, fit_predict)
    return OutOfFold(lp=pd.Series(lp, index=data.index), failed_folds=failed)


def oof_columns(oof: OutOfFold, ids: list[str], title: str) -> list[DerivedColumn]:
    """``probability_oof`` and ``linear_predictor_oof`` (training patients in the fit only)."""
    lp = {str(i): float(v) for i, v in oof.lp.items() if math.isfinite(v)}
    probability = {i: float(expit(v)) for i, v in lp.items()}  # no overflow for extreme v
    return [
        oof_column("probability", f"{title}: predicted probability", ids, probability),
        oof_column("linear_predictor", f"{title}: linear predictor (log odds)", ids, lp),
    ]


def auc(y: pd.Series, score: pd.Series) -> float | None:
    """Mann-Whitney AUC of ``score`` for ``y`` over rows with both (None if one class)."""
    from remarkit.stats import auc_ci

    use = y.notna() & score.notna()
    yy = y[use].to_numpy(dtype=int)
    if len(set(yy.tolist())) < 2:
        return None
    return float(auc_ci(yy, score[use].to_numpy(dtype=float)).auc)
