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

from remarkit.stats._cox_fit import RiskSets
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
    w = np.exp(xs @ beta - (xs @ beta).max())
    wx = w[:, None] * xs
    wxx = wx[:, :, None] * xs[:, None, :]

    def window(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        cum = np.concatenate((np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0)))
        return np.asarray(cum[rs.risk_end] - cum[rs.risk_start], dtype=np.float64)

    g, dpos, f = rs.death_group, rs.death_index, rs.frac
    s0 = window(w)[g] - f * np.add.reduceat(w[dpos], rs.group_start)[g]
    s1 = window(wx)[g] - f[:, None] * np.add.reduceat(wx[dpos], rs.group_start, axis=0)[g]
    s2 = window(wxx)[g] - f[:, None, None] * np.add.reduceat(wxx[dpos], rs.group_start, axis=0)[g]
    mean = s1 / s0[:, None]
    v = s2 / s0[:, None, None] - mean[:, :, None] * mean[:, None, :]
    gt = gtime[rs.order][dpos]
    resid = xs[dpos] - mean
    u = np.concatenate((resid.sum(axis=0), (gt[:, None] * resid).sum(axis=0)))
    i11 = v.sum(axis=0)
    i12 = np.einsum("d,dij->ij", gt, v)
    i22 = np.einsum("d,dij->ij", gt * gt, v)
    imat = np.block([[i11, i12], [i12.T, i22]])
    counts = np.diff(np.append(rs.group_start, dpos.size))
    group_mean = np.add.reduceat(mean, rs.group_start, axis=0) / counts[:, None]
    schoen = xs[dpos] - group_mean[g]
    rows = rs.order[dpos]
    r_order = np.lexsort((rows, time[rows], codes[rows]))
    return ZphScore(u, imat, schoen[r_order], rows[r_order], _used(x, event, codes))
