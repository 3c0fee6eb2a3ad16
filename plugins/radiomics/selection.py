"""Feature selection on the training set: finite, not near-constant, not redundant, then LASSO.

Every function takes the training rows only; nothing here sees a test patient.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from remarkit import StatisticsError
from remarkit.plugins.radiomics.params import RadiomicsParams


@dataclass(frozen=True)
class Selection:
    """The outcome of selection: features kept after each step, LASSO's choice and penalty."""

    steps: tuple[tuple[str, int], ...]
    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    c: float
    cv_auc: float
    widened: bool


def univariable_auc(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """AUC of every column against ``y`` (Mann-Whitney, ties count one half)."""
    from scipy.stats import rankdata

    ranks = rankdata(x, axis=0)
    n1 = int(y.sum())
    n0 = len(y) - n1
    u = ranks[y == 1].sum(axis=0) - n1 * (n1 + 1) / 2
    return np.asarray(u / (n1 * n0), dtype=float)


def finite_features(x: pd.DataFrame) -> list[str]:
    """Columns with a finite value for every training patient."""
    ok = np.isfinite(x.to_numpy(dtype=float)).all(axis=0)
    return [c for c, keep in zip(x.columns, ok, strict=True) if keep]


def not_near_constant(x: pd.DataFrame, fraction: float) -> list[str]:
    """Columns whose most frequent value (10 significant digits) holds < ``fraction`` of rows."""
    kept: list[str] = []
    limit = fraction * len(x)
    for name in x.columns:
        values = x[name].to_numpy(dtype=float)
        rounded = np.array([float(f"{v:.10g}") for v in values])
        _, counts = np.unique(rounded, return_counts=True)
        if counts.max() < limit:
            kept.append(name)
    return kept


def decorrelate(x: pd.DataFrame, y: np.ndarray, threshold: float, method: str) -> list[str]:
    """Greedy redundancy filter: features in order of univariable |AUC - 0.5| (then name); a
    feature is kept unless its |r| with an already kept feature exceeds ``threshold``."""
    from scipy.stats import rankdata

    values = x.to_numpy(dtype=float)
    if method == "spearman":
        values = rankdata(values, axis=0)
    strength = np.abs(univariable_auc(x.to_numpy(dtype=float), y) - 0.5)
    order = sorted(range(len(x.columns)), key=lambda i: (-strength[i], x.columns[i]))
    centred = values - values.mean(axis=0)
    norms = np.sqrt((centred**2).sum(axis=0))
    unit = centred / np.where(norms > 0, norms, 1.0)
    kept: list[int] = []
    for i in order:
        if kept and np.max(np.abs(unit[:, kept].T @ unit[:, i])) > threshold:
            continue
        kept.append(i)
    return [x.columns[i] for i in sorted(kept, key=lambda i: x.columns[i])]


def lasso(
    x: pd.DataFrame, y: np.ndarray, params: RadiomicsParams, seed: int
) -> tuple[list[str], list[float], float, float, bool]:
    """L1 logistic regression, penalty chosen by stratified K-fold AUC (scikit-learn).

    Returns the features with non-zero coefficients (at most ``max_features``, by |coefficient|),
    their coefficients on standardised features, C, its cross-validated AUC, and whether the
    penalty had to be relaxed because the chosen one kept no feature.
    """
    z = StandardScaler().fit_transform(x.to_numpy(dtype=float))
    folds = StratifiedKFold(n_splits=params.lasso_folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = LogisticRegressionCV(
            Cs=params.lasso_cs,
            l1_ratios=(1.0,),
            cv=folds,
            solver="liblinear",
            scoring="roc_auc",
            max_iter=2000,
            random_state=seed,
            use_legacy_attributes=False,
        ).fit(z, y)
    cs = np.asarray(search.Cs_, dtype=float)
    scores = np.asarray(search.scores_, dtype=float).reshape(params.lasso_folds, -1, len(cs))
    mean = scores.mean(axis=(0, 1))
    best = int(np.argmax(mean))
    widened = False
    for index in [best, *range(best + 1, len(cs))]:
        coef = _fit_l1(z, y, float(cs[index]), seed)
        if np.any(coef != 0):
            widened = index != best
            best = index
            break
    else:
        raise StatisticsError("LASSO kept no feature at any penalty tried")
    columns = [str(c) for c in x.columns]
    nonzero = [int(i) for i in np.flatnonzero(coef)]
    order = sorted(nonzero, key=lambda i: (-abs(coef[i]), columns[i]))[: params.max_features]
    names = [columns[i] for i in order]
    return names, [float(coef[i]) for i in order], float(cs[best]), float(mean[best]), widened


def _fit_l1(z: np.ndarray, y: np.ndarray, c: float, seed: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(
            C=c, l1_ratio=1.0, solver="liblinear", max_iter=2000, random_state=seed
        ).fit(z, y)
    return np.asarray(model.coef_[0], dtype=float)


def select_features(
    x: pd.DataFrame, y: np.ndarray, params: RadiomicsParams, seed: int
) -> Selection:
    """Run every selection step on training rows ``x`` (patients x features) and outcome ``y``."""
    if int(y.sum()) < params.lasso_folds or int((1 - y).sum()) < params.lasso_folds:
        raise StatisticsError(
            f"too few training patients per outcome class for {params.lasso_folds}-fold LASSO"
        )
    steps = [("extracted", x.shape[1])]
    names = finite_features(x)
    steps.append(("finite for every training patient", len(names)))
    names = not_near_constant(x[names], params.near_constant_fraction)
    steps.append(
        (f"not near-constant (< {params.near_constant_fraction:g} share one value)", len(names))
    )
    if not names:
        raise StatisticsError("every feature is near-constant on the training set")
    names = decorrelate(x[names], y, params.max_correlation, params.correlation)
    steps.append((f"{params.correlation} |r| <= {params.max_correlation:g}", len(names)))
    chosen, coefs, c, cv_auc, widened = lasso(x[names], y, params, seed)
    steps.append(("LASSO non-zero (at most max_features)", len(chosen)))
    return Selection(tuple(steps), tuple(chosen), tuple(coefs), c, cv_auc, widened)
