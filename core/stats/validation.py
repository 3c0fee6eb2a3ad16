"""Internal validation of a logistic model by Harrell's bootstrap optimism correction.

As ``rms::validate`` on an ``lrm`` fit (method "boot"): the model is refitted in each bootstrap
sample; each index is computed on that sample with its own fit (training) and on the original
data with the same coefficients (test); optimism = mean(training - test) and the corrected
index = apparent - optimism. Indexes: AUC (= Dxy / 2 + 0.5, Mann-Whitney with ties 1/2),
calibration intercept and slope (logistic regression of the outcome on the linear predictor:
0 and 1 by definition on the data a model was fitted to) and the Brier score.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from pydantic import Field
from scipy.special import expit
from scipy.stats import rankdata
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._design import build_design, check_full_rank
from remarkit.stats._surv_input import (
    FloatArray,
    IntArray,
    as_binary,
    as_name_list,
    check_columns,
)

__all__ = ["INDEXES", "BootstrapOptimismResult", "bootstrap_optimism"]

INDEXES = ("auc", "calibration_intercept", "calibration_slope", "brier")
_FAILURES = (
    np.linalg.LinAlgError,
    PerfectSeparationError,
    PerfectSeparationWarning,
    ConvergenceWarning,
    HessianInversionWarning,
    RuntimeWarning,
)


class BootstrapOptimismResult(StatResult):
    """Apparent, optimism and optimism-corrected performance of a logistic model."""

    kind: Literal["bootstrap_optimism"] = Field(
        "bootstrap_optimism", description="Result type tag."
    )
    table: pd.DataFrame = Field(
        description="One row per index (auc, calibration_intercept, calibration_slope, brier): "
        "apparent (rms index.orig), training and test (means over successful bootstrap fits), "
        "optimism (training - test), corrected (apparent - optimism)."
    )
    replicates: pd.DataFrame = Field(
        description="One row per bootstrap sample: replicate, failed (bool), and "
        "<index>_training / <index>_test (NaN where the fit failed)."
    )
    n: int = Field(description="Number of subjects.")
    events: int = Field(description="Number of subjects with the outcome.")
    n_boot: int = Field(description="Bootstrap samples drawn.")
    n_successful: int = Field(description="Bootstrap samples whose fit succeeded (rms's n).")
    n_failed: int = Field(
        description="Bootstrap samples left out because the refit failed: one outcome class, "
        "a dummy level absent (collinear design), separation or non-convergence."
    )
    seed: int = Field(description="Seed of the numpy Generator that drew the samples.")
    terms: list[str] = Field(description="Model terms (dummy columns named 'variable[level]').")


def _fit_logistic(y: IntArray, x1: FloatArray) -> FloatArray | None:
    """Maximum-likelihood logistic coefficients (statsmodels, Newton), or None if it fails."""
    if y.min() == y.max() or np.linalg.matrix_rank(x1) < x1.shape[1]:
        return None
    with warnings.catch_warnings():
        for category in (PerfectSeparationWarning, ConvergenceWarning, HessianInversionWarning):
            warnings.simplefilter("error", category)
        warnings.simplefilter("error", RuntimeWarning)
        try:
            res = sm.Logit(y, x1).fit(method="newton", maxiter=100, tol=1e-10, disp=False)
        except _FAILURES:
            return None
    params = np.asarray(res.params, dtype=np.float64)
    if not res.mle_retvals.get("converged", False) or not np.isfinite(params).all():
        return None
    return params


def _auc(y: IntArray, lp: FloatArray) -> float:
    """AUC of ``lp`` for ``y`` (rank form of Mann-Whitney, ties 1/2), as Hmisc's somers2."""
    n1 = int(y.sum())
    n0 = y.size - n1
    ranks = rankdata(lp, method="average")
    return float((ranks[y == 1].mean() - (n1 + 1) / 2.0) / n0)


def _brier(y: IntArray, lp: FloatArray) -> float:
    return float(np.mean((y - expit(lp)) ** 2))


def _test_indexes(y: IntArray, lp: FloatArray) -> FloatArray | None:
    """Indexes of a fitted linear predictor on other data; None if recalibration fails."""
    cal = _fit_logistic(y, np.column_stack((np.ones(lp.size), lp)))
    if cal is None:
        return None
    return np.array([_auc(y, lp), cal[0], cal[1], _brier(y, lp)])


def _train_indexes(y: IntArray, lp: FloatArray) -> FloatArray:
    """Indexes of a fit on the data it was fitted to (intercept 0 and slope 1 by definition)."""
    return np.array([_auc(y, lp), 0.0, 1.0, _brier(y, lp)])


def bootstrap_optimism(
    data: pd.DataFrame,
    outcome: str,
    predictors: Any,
    *,
    n_boot: int = 200,
    seed: int = 0,
    reference: Mapping[str, Any] | None = None,
) -> BootstrapOptimismResult:
    """Bootstrap optimism-corrected AUC, calibration and Brier, as ``rms::validate(lrm(...))``.

    ``outcome`` names a 0/1 column; ``predictors`` lists columns (categoricals dummy-coded as in
    :func:`cox_regression`). Samples are drawn with ``numpy.random.default_rng(seed)``, so the
    result is reproducible but not R's. The apparent column equals R's ``index.orig``.
    """
    names = as_name_list(predictors)
    if outcome in names:
        raise StatisticsError("the outcome cannot also be a predictor")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise StatisticsError(f"n_boot must be a positive integer, got {n_boot!r}")
    check_columns(data, [outcome, *names])
    y = as_binary(data[outcome].to_numpy(), f"outcome {outcome!r}")
    if y.min() == y.max():
        raise StatisticsError(f"outcome {outcome!r} has a single class")
    design = build_design(data, names, reference)
    check_full_rank(design, "logistic model")
    x1 = np.column_stack((np.ones(y.size), design.x))
    beta = _fit_logistic(y, x1)
    if beta is None:
        raise StatisticsError("the logistic model cannot be fitted (separation or no convergence)")
    apparent = _train_indexes(y, x1 @ beta)
    rng = np.random.default_rng(seed)
    train = np.full((n_boot, len(INDEXES)), np.nan)
    test = np.full((n_boot, len(INDEXES)), np.nan)
    for b in range(n_boot):
        idx = rng.integers(0, y.size, size=y.size)
        coef = _fit_logistic(y[idx], x1[idx])
        if coef is None:
            continue
        tested = _test_indexes(y, x1 @ coef)
        if tested is None:
            continue
        train[b] = _train_indexes(y[idx], x1[idx] @ coef)
        test[b] = tested
    failed = np.isnan(train[:, 0])
    n_ok = int((~failed).sum())
    if n_ok == 0:
        raise StatisticsError(
            f"the model could not be refitted in any of {n_boot} bootstrap samples"
        )
    table, replicates = optimism_tables(apparent, train, test)
    return BootstrapOptimismResult(
        table=table,
        replicates=replicates,
        n=int(y.size),
        events=int(y.sum()),
        n_boot=int(n_boot),
        n_successful=n_ok,
        n_failed=n_boot - n_ok,
        seed=int(seed),
        terms=design.names,
    )


def optimism_tables(
    apparent: np.ndarray, train: np.ndarray, test: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The optimism table (apparent, training, test, optimism, corrected per index) and the
    per-replicate table from bootstrap index matrices (replicates x :data:`INDEXES`; a failed
    replicate is a NaN row, left out of the means)."""
    failed = np.isnan(train[:, 0])
    mean_train = train[~failed].mean(axis=0)
    mean_test = test[~failed].mean(axis=0)
    optimism = mean_train - mean_test
    table = pd.DataFrame(
        {
            "index": list(INDEXES),
            "apparent": apparent,
            "training": mean_train,
            "test": mean_test,
            "optimism": optimism,
            "corrected": apparent - optimism,
        }
    )
    replicates = pd.DataFrame({"replicate": np.arange(1, len(train) + 1), "failed": failed})
    for j, name in enumerate(INDEXES):
        replicates[f"{name}_training"] = train[:, j]
        replicates[f"{name}_test"] = test[:, j]
    return table, replicates
