"""DeLong placement values by the fast midrank algorithm (Sun & Xu 2014), O(n log n).

For cases ``X`` (m of them) and controls ``Y`` (n), the placement of case ``i`` is the share of
controls below it (ties 1/2): ``V10_i = (Tz_i - Tx_i) / n`` where ``Tz`` are midranks in the pooled
sample and ``Tx`` midranks among the cases; likewise ``V01_j = 1 - (Tz_j - Ty_j) / m``. The AUC is
the mean of either set, and DeLong's variance is ``var(V10)/m + var(V01)/n`` (n-1 denominators).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from remarkit.stats._eval_inputs import FloatArray


@dataclass(frozen=True)
class Placements:
    """Placement values of one score: ``v10`` per case, ``v01`` per control, and the AUC."""

    v10: FloatArray
    v01: FloatArray
    auc: float


def placements(cases: FloatArray, controls: FloatArray) -> Placements:
    """Placement values for direction ``<`` (negate both inputs for ``>``)."""
    m = cases.size
    n = controls.size
    pooled = rankdata(np.concatenate((cases, controls)), method="average")
    v10 = (pooled[:m] - rankdata(cases, method="average")) / n
    v01 = 1.0 - (pooled[m:] - rankdata(controls, method="average")) / m
    return Placements(v10=v10, v01=v01, auc=float(np.mean(v10)))


def auc_variance(pl: Placements) -> float:
    """DeLong variance of one AUC: ``S10/m + S01/n``; NaN with fewer than two per class."""
    m = pl.v10.size
    n = pl.v01.size
    if m < 2 or n < 2:
        return float("nan")
    s10 = float(np.sum((pl.v10 - pl.auc) ** 2)) / (m - 1)
    s01 = float(np.sum((pl.v01 - pl.auc) ** 2)) / (n - 1)
    return s10 / m + s01 / n


def difference_variance(a: Placements, b: Placements) -> float:
    """DeLong variance of ``auc_a - auc_b`` for paired scores: ``L S L'`` with ``L = (1, -1)``."""
    m = a.v10.size
    n = a.v01.size
    da10 = a.v10 - a.auc
    db10 = b.v10 - b.auc
    da01 = a.v01 - a.auc
    db01 = b.v01 - b.auc
    sx = np.array(
        [
            [da10 @ da10, da10 @ db10],
            [db10 @ da10, db10 @ db10],
        ]
    ) / (m - 1)
    sy = np.array(
        [
            [da01 @ da01, da01 @ db01],
            [db01 @ da01, db01 @ db01],
        ]
    ) / (n - 1)
    s = sx / m + sy / n
    contrast = np.array([1.0, -1.0])
    return float(contrast @ s @ contrast)
