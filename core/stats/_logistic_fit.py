"""Data preparation and maximum-likelihood fit of a logistic regression (R ``glm(binomial)``)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit

from remarkit.errors import StatisticsError
from remarkit.stats._design import Design, build_design, check_full_rank
from remarkit.stats._group_input import FloatArray

TOL = 1e-13
"""Relative change in deviance at which IRLS stops (R's glm default is 1e-8)."""
MAX_ITER = 200


@dataclass(frozen=True)
class Prepared:
    """Complete cases of the model variables, as a design matrix with an intercept."""

    x: FloatArray  # intercept first
    y: FloatArray
    design: Design
    n_missing: int


@dataclass(frozen=True)
class Fit:
    """Estimates, covariance at the estimates, and deviance."""

    coef: FloatArray
    cov: FloatArray
    deviance: float
    converged: bool
    iterations: int


def _names(outcome: Any, predictors: Any) -> list[str]:
    if not isinstance(outcome, str):
        raise StatisticsError("outcome must be a column name (string)")
    names = [predictors] if isinstance(predictors, str) else list(predictors)
    if not names:
        raise StatisticsError("predictors is empty")
    if not all(isinstance(p, str) for p in names):
        raise StatisticsError("predictors must be column names (strings)")
    if len(set(names)) != len(names):
        raise StatisticsError("predictors contains a name more than once")
    if outcome in names:
        raise StatisticsError(f"outcome {outcome!r} is also listed as a predictor")
    return names


def prepare(
    data: Any, outcome: Any, predictors: Any, reference: Mapping[str, Any] | None
) -> Prepared:
    """Complete cases, 0/1 outcome with both classes, dummy-coded full-rank design."""
    names = _names(outcome, predictors)
    if not isinstance(data, pd.DataFrame):
        raise StatisticsError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    absent = [c for c in [outcome, *names] if c not in data.columns]
    if absent:
        raise StatisticsError(f"data has no column(s) {', '.join(map(repr, absent))}")
    frame = data[[outcome, *names]]
    complete = frame.notna().all(axis=1).to_numpy()
    n_missing = int((~complete).sum())
    frame = frame[complete].reset_index(drop=True)
    if frame.shape[0] == 0:
        raise StatisticsError("no complete cases: every row has a missing outcome or predictor")
    try:
        y = frame[outcome].to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatisticsError(f"outcome {outcome!r} must be 0/1") from exc
    if not np.isin(y, (0.0, 1.0)).all():
        raise StatisticsError(f"outcome {outcome!r} must contain only 0 and 1")
    if y.sum() == 0 or y.sum() == y.size:
        which = "events (1)" if y.sum() == 0 else "non-events (0)"
        raise StatisticsError(f"outcome {outcome!r} has no {which} among the complete cases")
    design = build_design(frame, names, reference)
    check_full_rank(design, "logistic regression")
    x = np.column_stack([np.ones(y.size), design.x])
    return Prepared(x, y, design, n_missing)


def fit_logit(x: FloatArray, y: FloatArray) -> Fit:
    """IRLS fit to a tight tolerance; covariance = inverse information at the estimates.

    R's ``vcov(glm)`` uses the weights of the last IRLS iterate instead, which differs by about
    the convergence tolerance (~1e-6 relative at glm's default ``epsilon = 1e-8``).
    """
    with warnings.catch_warnings():
        # separation is detected and reported by the caller; statsmodels' own warnings about it
        # (and overflow in exp() along a diverging fit) would only duplicate that
        warnings.simplefilter("ignore")
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            model = sm.GLM(y, x, family=sm.families.Binomial())
            res = model.fit(tol=TOL, maxiter=MAX_ITER)
            converged = bool(res.converged)
            iterations = int(res.fit_history["iteration"])
    coef = np.asarray(res.params, dtype=np.float64)
    try:
        cov = np.linalg.inv(information(x, coef, np.zeros(y.size))).astype(np.float64, copy=False)
    except np.linalg.LinAlgError:
        cov = np.full((coef.size, coef.size), np.nan)
    return Fit(
        coef=coef,
        cov=cov,
        deviance=deviance_at(x, y, coef, np.zeros(y.size)),
        converged=converged,
        iterations=iterations,
    )


def information(x: FloatArray, coef: FloatArray, offset: FloatArray) -> FloatArray:
    """Fisher information X' W X at the linear predictor x @ coef + offset."""
    mu = expit(x @ coef + offset)
    return np.asarray(x.T @ ((mu * (1.0 - mu))[:, None] * x), dtype=np.float64)


def newton_logit(x: FloatArray, y: FloatArray, offset: FloatArray, start: FloatArray) -> FloatArray:
    """Maximum-likelihood coefficients with an offset: Newton-Raphson with step halving.

    Used for the many constrained fits of the likelihood profile, started from a nearby solution
    (plain IRLS, as in statsmodels, can diverge when the offset is far from the estimate).
    """
    coef = start.copy()
    dev = deviance_at(x, y, coef, offset)
    for _ in range(MAX_ITER):
        mu = expit(x @ coef + offset)
        try:
            step = np.linalg.solve(information(x, coef, offset), x.T @ (y - mu))
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information(x, coef, offset), x.T @ (y - mu), rcond=None)[0]
        scale = 1.0
        new_dev = deviance_at(x, y, coef + step, offset)
        while not new_dev <= dev and scale > 1e-10:  # step halving (also rejects NaN)
            scale /= 2.0
            new_dev = deviance_at(x, y, coef + scale * step, offset)
        if not new_dev <= dev:
            break  # no step lowers the deviance: at the minimum to rounding
        change = dev - new_dev
        coef, dev = coef + scale * step, new_dev
        if change <= TOL * (abs(dev) + 0.1) and np.max(np.abs(scale * step)) < 1e-9:
            break
    return coef


def deviance_at(x: FloatArray, y: FloatArray, coef: FloatArray, offset: FloatArray) -> float:
    """Binomial deviance -2 log L of the linear predictor x @ coef + offset."""
    eta = x @ coef + offset
    # log(1 + exp(eta)) - y * eta, computed without overflow
    return float(2.0 * np.sum(np.logaddexp(0.0, eta) - y * eta))
