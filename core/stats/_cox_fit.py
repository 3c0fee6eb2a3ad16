"""Cox proportional-hazards fit with Efron's tie correction by Newton-Raphson, as R's coxph.

The partial likelihood, score and information are computed per distinct event time with the
Efron weights ``l / d`` (``l = 0..d-1``) applied to the sums over the ``d`` tied deaths; the
covariates are centred first (as coxph does), which leaves the estimates unchanged. Iteration
runs to full convergence (coxph stops one step earlier, at a relative log-likelihood change of
1e-9, so the two agree to ~1e-9), with coxph's step-halving when the likelihood decreases.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._surv_input import FloatArray, IntArray

MAX_ITER = 50
LOGLIK_EPS = 1e-13
INFINITE_TOL = np.sqrt(1e-9)  # coxph.control's toler.inf


@dataclass(frozen=True)
class _RiskSets:
    """Per distinct event time: indices of deaths and the end of the risk set (sorted data)."""

    order: IntArray  # subjects sorted by decreasing time
    risk_end: IntArray  # per event time, number of sorted subjects with time >= t
    death_group: IntArray  # per death (in sorted order), index of its event time
    death_index: IntArray  # per death, position in the sorted data
    frac: FloatArray  # per death, Efron weight l / d


@dataclass(frozen=True)
class CoxFit:
    """Estimates and likelihood statistics of a Cox fit."""

    coef: FloatArray
    var: npt.NDArray[np.float64]
    loglik_null: float
    loglik: float
    score_chisq: float
    iterations: int


def _risk_sets(time: FloatArray, event: IntArray) -> _RiskSets:
    order = np.lexsort((event, -time))  # decreasing time; at a tie censored before deaths
    t = time[order]
    e = event[order]
    death_pos = np.flatnonzero(e == 1)
    death_times, group, counts = np.unique(-t[death_pos], return_inverse=True, return_counts=True)
    # number of subjects with time >= t_j: every sorted subject up to the last one at t_j
    risk_end = np.searchsorted(-t, death_times, side="right").astype(np.int64)
    rank_in_group = np.arange(death_pos.size) - np.searchsorted(group, group, side="left")
    frac = rank_in_group / counts[group]
    return _RiskSets(order, risk_end, group.astype(np.int64), death_pos, frac)


def _evaluate(
    x: FloatArray, rs: _RiskSets, beta: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Efron log partial likelihood, score vector and information matrix at ``beta``."""
    eta = x @ beta
    w = np.exp(eta - eta.max())
    wx = w[:, None] * x
    wxx = wx[:, :, None] * x[:, None, :]
    c0 = np.concatenate(([0.0], np.cumsum(w)))[rs.risk_end]
    c1 = np.concatenate((np.zeros((1, x.shape[1])), np.cumsum(wx, axis=0)))[rs.risk_end]
    c2 = np.concatenate((np.zeros((1, *wxx.shape[1:])), np.cumsum(wxx, axis=0)))[rs.risk_end]
    g = rs.death_group
    dpos = rs.death_index
    ng = rs.risk_end.size
    a0 = np.bincount(g, weights=w[dpos], minlength=ng)
    a1 = np.zeros_like(c1)
    np.add.at(a1, g, wx[dpos])
    a2 = np.zeros_like(c2)
    np.add.at(a2, g, wxx[dpos])
    f = rs.frac
    s0 = c0[g] - f * a0[g]
    s1 = c1[g] - f[:, None] * a1[g]
    s2 = c2[g] - f[:, None, None] * a2[g]
    loglik = float(np.sum(eta[dpos] - eta.max()) - np.sum(np.log(s0)))
    mean = s1 / s0[:, None]
    score = x[dpos].sum(axis=0) - mean.sum(axis=0)
    info = np.sum(s2 / s0[:, None, None], axis=0) - np.einsum("di,dj->ij", mean, mean)
    return loglik, score, info


def _solve(info: FloatArray, score: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(info, score), dtype=np.float64)
    except np.linalg.LinAlgError as exc:
        raise StatisticsError("the Cox information matrix is singular") from exc


def fit_cox(time: FloatArray, event: IntArray, x: FloatArray) -> CoxFit:
    """Fit a Cox model by Newton-Raphson from beta = 0 (Efron ties)."""
    xc = x - x.mean(axis=0)
    rs = _risk_sets(time, event)
    xs = xc[rs.order]
    beta = np.zeros(x.shape[1])
    loglik0, score0, info0 = _evaluate(xs, rs, beta)
    score_chisq = float(score0 @ _solve(info0, score0))
    loglik, score, info = loglik0, score0, info0
    iterations = 0
    for iteration in range(1, MAX_ITER + 1):
        iterations = iteration
        step = _solve(info, score)
        new = beta + step
        new_ll, new_score, new_info = _evaluate(xs, rs, new)
        halvings = 0
        while (not np.isfinite(new_ll) or new_ll < loglik) and halvings < 30:
            new = (new + beta) / 2.0
            new_ll, new_score, new_info = _evaluate(xs, rs, new)
            halvings += 1
        done = abs(1.0 - loglik / new_ll) <= LOGLIK_EPS or np.all(
            np.abs(new - beta) <= 1e-12 * (1.0 + np.abs(beta))
        )
        beta, loglik, score, info = new, new_ll, new_score, new_info
        if done:
            break
    else:
        raise StatisticsError(f"the Cox model did not converge in {MAX_ITER} iterations")
    remaining = np.abs(_solve(info, score))
    if np.any((remaining > 1e-9) & (remaining > INFINITE_TOL * np.abs(beta))):
        warnings.warn(
            "Cox log-likelihood converged before the coefficients; a coefficient may be "
            "infinite (monotone likelihood)",
            RemarkitWarning,
            stacklevel=3,
        )
    var = np.linalg.inv(info).astype(np.float64, copy=False)
    return CoxFit(beta, var, loglik0, loglik, score_chisq, iterations)


def concordance(time: FloatArray, event: IntArray, lp: FloatArray) -> float:
    """Harrell's C as coxph reports it: a higher linear predictor should fail earlier.

    A pair is comparable when the shorter time is a death; a death and a censoring at the same
    time are comparable (the censored subject was still at risk), two deaths at one time are not.
    Ties in the linear predictor count 1/2.
    """
    concordant = 0.0
    discordant = 0.0
    tied = 0.0
    for i in np.flatnonzero(event == 1):
        later = (time > time[i]) | ((time == time[i]) & (event == 0))
        other = lp[later]
        concordant += float(np.count_nonzero(other < lp[i]))
        discordant += float(np.count_nonzero(other > lp[i]))
        tied += float(np.count_nonzero(other == lp[i]))
    total = concordant + discordant + tied
    return float("nan") if total == 0 else (concordant + tied / 2.0) / total
