"""Logistic recalibration fits on logit(p) by Newton-Raphson (as ``rms::lrm.fit`` / R ``glm``)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit

from remarkit.errors import RemarkitWarning
from remarkit.stats._eval_inputs import FloatArray, IntArray

_MAX_ITER = 100
_TOL = 1e-12
_MAX_HALVINGS = 60


def _loglik(design: FloatArray, y: IntArray, offset: FloatArray, beta: FloatArray) -> float:
    """Bernoulli log-likelihood of the linear predictor (computed without overflow)."""
    eta = design @ beta + offset
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


def _newton(
    design: FloatArray, y: IntArray, offset: FloatArray, start: FloatArray, what: str
) -> FloatArray:
    beta = start.astype(np.float64).copy()
    loglik = _loglik(design, y, offset, beta)
    for _ in range(_MAX_ITER):
        mu = expit(design @ beta + offset)
        grad = design.T @ (y - mu)
        hess = design.T @ (design * (mu * (1.0 - mu))[:, None])
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        # step-halving, as rms::lrm.fit and glm.fit: a step may not lower the log-likelihood
        for _halving in range(_MAX_HALVINGS):
            trial = _loglik(design, y, offset, beta + step)
            if np.isfinite(trial) and trial >= loglik - 1e-12 * abs(loglik):
                break
            step = step / 2.0
        beta = beta + step
        loglik = _loglik(design, y, offset, beta)
        if np.max(np.abs(step)) <= _TOL * max(1.0, float(np.max(np.abs(beta)))):
            return beta
    warnings.warn(
        f"non-convergence: the {what} fit did not converge in {_MAX_ITER} Newton steps",
        RemarkitWarning,
        stacklevel=4,
    )
    return beta


def recalibration_fit(y: IntArray, logit_p: FloatArray) -> tuple[float, float]:
    """Intercept and slope of ``glm(y ~ logit(p), binomial)`` (val.prob's Intercept, Slope).

    Returns NaNs with a RemarkitWarning when logit(p) separates the outcomes (no finite MLE).
    """
    cases = logit_p[y == 1]
    controls = logit_p[y == 0]
    if cases.min() >= controls.max() or controls.min() >= cases.max():
        warnings.warn(
            "separation: the predicted probabilities separate the outcomes, so the calibration "
            "intercept and slope have no finite estimate; set to NaN",
            RemarkitWarning,
            stacklevel=3,
        )
        return float("nan"), float("nan")
    design = np.column_stack((np.ones_like(logit_p), logit_p))
    beta = _newton(design, y, np.zeros_like(logit_p), np.array([0.0, 1.0]), "calibration slope")
    return float(beta[0]), float(beta[1])


def intercept_with_offset(y: IntArray, logit_p: FloatArray) -> float:
    """Calibration-in-the-large: intercept of ``glm(y ~ 1, offset = logit(p), binomial)``."""
    design = np.ones((logit_p.size, 1))
    beta = _newton(design, y, logit_p, np.zeros(1), "calibration-in-the-large")
    return float(beta[0])
