"""Cox proportional-hazards fit by Newton-Raphson, as R's coxph (Efron or Breslow ties, strata).

The partial likelihood, score and information are computed per distinct event time (within a
stratum) with the Efron weights ``l / d`` (``l = 0..d-1``) applied to the sums over the ``d``
tied deaths (Breslow: weight 0). Risk sets are cumulative sums over the data sorted by stratum
and decreasing time, restricted to the subject's stratum. The covariates are centred on their
overall means first (as coxph does, leaving -1/0/1 columns as they are), which leaves the estimates unchanged. Iteration runs to
full convergence (coxph stops one step earlier, at a relative log-likelihood change of 1e-9, so
the two agree to ~1e-9), with coxph's step-halving when the likelihood decreases.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._surv_input import FloatArray, IntArray

Ties = Literal["efron", "breslow"]

MAX_ITER = 50
LOGLIK_EPS = 1e-13
INFINITE_TOL = np.sqrt(1e-9)  # coxph.control's toler.inf


@dataclass(frozen=True)
class RiskSets:
    """Per distinct (stratum, event time): deaths and the risk set in the sorted data."""

    order: IntArray  # subjects sorted by stratum, then decreasing time (censored first at a tie)
    risk_start: IntArray  # per event time, first sorted position of its stratum
    risk_end: IntArray  # per event time, one past the last sorted subject with time >= t
    group_start: IntArray  # per event time, index of its first death in death_index
    death_group: IntArray  # per death (in sorted order), index of its event time
    death_index: IntArray  # per death, position in the sorted data
    frac: FloatArray  # per death, Efron weight l / d (0 for Breslow)
    stratum_code: IntArray  # per sorted subject, stratum code


@dataclass(frozen=True)
class CoxFit:
    """Estimates and likelihood statistics of a Cox fit."""

    coef: FloatArray
    var: npt.NDArray[np.float64]
    means: FloatArray
    loglik_null: float
    loglik: float
    score_chisq: float
    iterations: int
    risk_sets: RiskSets


def risk_sets(time: FloatArray, event: IntArray, strata: IntArray, ties: Ties) -> RiskSets:
    """Sort the data and index the risk set of every distinct event time within strata."""
    order = np.lexsort((event, -time, strata))
    t, e, s = time[order], event[order], strata[order]
    death_pos = np.flatnonzero(e == 1)
    new = np.ones(death_pos.size, dtype=bool)
    new[1:] = (t[death_pos][1:] != t[death_pos][:-1]) | (s[death_pos][1:] != s[death_pos][:-1])
    group = np.cumsum(new) - 1
    group_start = np.flatnonzero(new)
    counts = np.diff(np.append(group_start, death_pos.size))
    # deaths follow the censored at a tie, so a group's last death ends its risk set
    risk_end = death_pos[np.append(group_start[1:], death_pos.size) - 1] + 1
    stratum_first = np.searchsorted(s, s[death_pos[group_start]], side="left")
    if ties == "efron":
        frac = (np.arange(death_pos.size) - group_start[group]) / counts[group]
    else:
        frac = np.zeros(death_pos.size)
    return RiskSets(
        order.astype(np.int64),
        stratum_first.astype(np.int64),
        risk_end.astype(np.int64),
        group_start.astype(np.int64),
        group.astype(np.int64),
        death_pos.astype(np.int64),
        frac.astype(np.float64),
        s.astype(np.int64),
    )


def _window(values: npt.NDArray[np.float64], rs: RiskSets) -> npt.NDArray[np.float64]:
    """Sums of ``values`` (sorted data, first axis) over each event time's risk set."""
    cum = np.concatenate((np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0)))
    return np.asarray(cum[rs.risk_end] - cum[rs.risk_start], dtype=np.float64)


def death_moments(
    x: FloatArray, w: FloatArray, rs: RiskSets
) -> tuple[FloatArray, npt.NDArray[np.float64]]:
    """Per death: Efron-adjusted risk-set sum ``s0`` and weighted covariate mean ``s1 / s0``."""
    g, dpos, f = rs.death_group, rs.death_index, rs.frac
    wx = w[:, None] * x
    s0 = _window(w, rs)[g] - f * np.add.reduceat(w[dpos], rs.group_start)[g]
    s1 = _window(wx, rs)[g] - f[:, None] * np.add.reduceat(wx[dpos], rs.group_start, axis=0)[g]
    return s0, s1 / s0[:, None]


def weighted_s2(
    x: FloatArray, w: FloatArray, rs: RiskSets, s0: FloatArray, dw: FloatArray
) -> npt.NDArray[np.float64]:
    """``sum_d dw_d s2_d / s0_d`` without forming the n x p x p array of ``w x x'``.

    Each subject's ``w x x'`` enters every death whose risk set holds it, with weight
    ``dw_d / s0_d`` (less ``f_d dw_d / s0_d`` for the tied deaths themselves under Efron), so the
    sum is one weighted cross-product ``x' diag(c) x``.
    """
    ng = rs.risk_end.size
    a = np.bincount(rs.death_group, weights=dw / s0, minlength=ng)
    b = np.bincount(rs.death_group, weights=dw * rs.frac / s0, minlength=ng)
    tail = np.concatenate((np.cumsum(a[::-1])[::-1], [0.0]))
    pos = np.arange(w.size)
    first = np.searchsorted(rs.risk_end, pos, side="right")  # first risk set holding pos
    last = np.searchsorted(rs.risk_start, pos, side="right")  # past its stratum's risk sets
    c = w * (tail[first] - tail[last])
    c[rs.death_index] -= w[rs.death_index] * b[rs.death_group]
    return np.asarray(x.T @ (c[:, None] * x), dtype=np.float64)


def evaluate(x: FloatArray, rs: RiskSets, beta: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """Log partial likelihood, score vector and information matrix at ``beta`` (sorted x)."""
    eta = x @ beta
    shift = eta.max()
    w = np.exp(eta - shift)
    dpos = rs.death_index
    s0, mean = death_moments(x, w, rs)
    loglik = float(np.sum(eta[dpos] - shift) - np.sum(np.log(s0)))
    score = x[dpos].sum(axis=0) - mean.sum(axis=0)
    info = weighted_s2(x, w, rs, s0, np.ones(s0.size)) - mean.T @ mean
    return loglik, score, info


def centring_means(x: FloatArray) -> FloatArray:
    """coxph's centring: column means, except 0 for columns of only -1, 0 and 1 (nocenter)."""
    no_centre = np.all(np.isin(x, (-1.0, 0.0, 1.0)), axis=0)
    return np.asarray(np.where(no_centre, 0.0, x.mean(axis=0)), dtype=np.float64)


def _solve(info: FloatArray, score: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(info, score), dtype=np.float64)
    except np.linalg.LinAlgError as exc:
        raise StatisticsError("the Cox information matrix is singular") from exc


def fit_cox(
    time: FloatArray,
    event: IntArray,
    x: FloatArray,
    *,
    ties: Ties = "efron",
    strata: IntArray | None = None,
) -> CoxFit:
    """Fit a Cox model by Newton-Raphson from beta = 0."""
    means = centring_means(x)
    xc = x - means
    codes = np.zeros(time.size, dtype=np.int64) if strata is None else strata
    rs = risk_sets(time, event, codes, ties)
    xs = xc[rs.order]
    beta = np.zeros(x.shape[1])
    loglik0, score0, info0 = evaluate(xs, rs, beta)
    score_chisq = float(score0 @ _solve(info0, score0))
    loglik, score, info = loglik0, score0, info0
    iterations = 0
    for iteration in range(1, MAX_ITER + 1):
        iterations = iteration
        step = _solve(info, score)
        new = beta + step
        new_ll, new_score, new_info = evaluate(xs, rs, new)
        halvings = 0
        # halve only on a real decrease, not on rounding noise at convergence
        while (not np.isfinite(new_ll) or new_ll < loglik - 1e-12 * abs(loglik)) and halvings < 30:
            new = (new + beta) / 2.0
            new_ll, new_score, new_info = evaluate(xs, rs, new)
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
    return CoxFit(beta, var, means, loglik0, loglik, score_chisq, iterations, rs)
