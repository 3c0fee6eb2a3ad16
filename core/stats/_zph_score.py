"""Score vector, information and Schoenfeld residuals of cox.zph's time-interaction test.

As survival's ``zph1``: at the fitted coefficients, the model is augmented with the covariates
times a centred function of time ``g(t)``; the score of the new terms and the full ``2p x 2p``
information are per-death sums of ``x - mean`` and ``V = s2/s0 - mean mean'`` weighted by
1, ``g`` and ``g^2``, with Efron's weights over tied deaths. Schoenfeld residuals are
``x - mean``, for Efron ties the mean averaged over the tied deaths' Efron steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from remarkit.stats._cox_fit import RiskSets, death_moments, weighted_s2
from remarkit.stats._surv_input import FloatArray, IntArray


@dataclass(frozen=True)
class ZphScore:
    """Per-death pieces of the zph test, deaths in R's order (stratum, time, row)."""

    u: FloatArray  # 2p score vector
    imat: npt.NDArray[np.float64]  # 2p x 2p information
    schoen: npt.NDArray[np.float64]  # deaths x p Schoenfeld residuals
    death_rows: IntArray  # original row of each death, R's order
    used: npt.NDArray[np.int64]  # strata x p: events in the stratum if x varies there, else 0


def _used(x: FloatArray, event: IntArray, codes: IntArray) -> npt.NDArray[np.int64]:
    levels = np.unique(codes)
    out = np.zeros((levels.size, x.shape[1]), dtype=np.int64)
    for i, s in enumerate(levels):
        m = codes == s
        varies = np.ptp(x[m], axis=0) > 0
        out[i] = np.where(varies, int(event[m].sum()), 0)
    return out


def zph_score(
    x: FloatArray,
    event: IntArray,
    time: FloatArray,
    codes: IntArray,
    rs: RiskSets,
    beta: FloatArray,
    gtime: FloatArray,
) -> ZphScore:
    """Evaluate the augmented score and information at ``beta`` (x centred, original rows)."""
    xs = x[rs.order]
    eta = xs @ beta
    w = np.exp(eta - eta.max())
    g, dpos = rs.death_group, rs.death_index
    s0, mean = death_moments(xs, w, rs)
    gt = gtime[rs.order][dpos]
    resid = xs[dpos] - mean
    u = np.concatenate((resid.sum(axis=0), (gt[:, None] * resid).sum(axis=0)))
    i11 = weighted_s2(xs, w, rs, s0, np.ones(s0.size)) - mean.T @ mean
    i12 = weighted_s2(xs, w, rs, s0, gt) - mean.T @ (gt[:, None] * mean)
    i22 = weighted_s2(xs, w, rs, s0, gt * gt) - mean.T @ ((gt * gt)[:, None] * mean)
    imat = np.block([[i11, i12], [i12.T, i22]])
    counts = np.diff(np.append(rs.group_start, dpos.size))
    group_mean = np.add.reduceat(mean, rs.group_start, axis=0) / counts[:, None]
    schoen = xs[dpos] - group_mean[g]
    rows = rs.order[dpos]
    r_order = np.lexsort((rows, time[rows], codes[rows]))
    return ZphScore(u, imat, schoen[r_order], rows[r_order], _used(x, event, codes))
