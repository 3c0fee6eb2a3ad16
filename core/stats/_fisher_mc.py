"""Monte Carlo p-value of Fisher's test for tables too large to enumerate exactly.

As R's ``fisher.test(x, simulate.p.value = TRUE, B = 2000)``: ``B`` random tables with the
observed margins are drawn under independence (each column filled from the rows' remaining
counts by sequential hypergeometric draws, which gives the tables their exact null
probabilities, as R's ``r2dtable``), and ``p = (1 + #{P(table) <= P(observed)}) / (B + 1)`` with
R's relative tolerance ``1 + 64 eps`` on ``-sum(log x!)``. The generator is numpy's
``default_rng(seed)``, so the p-value is reproducible but not R's random stream.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from remarkit.stats._fisher_network import log_factorials

DEFAULT_REPLICATES = 2000
ALMOST_ONE = 1.0 + 64.0 * np.finfo(float).eps


def random_tables(
    rows: NDArray[np.int64], cols: NDArray[np.int64], replicates: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """``replicates`` random tables (replicates x rows x cols) with the given margins."""
    left = np.tile(np.asarray(rows, dtype=np.int64), (replicates, 1))
    out = np.zeros((replicates, rows.size, cols.size), dtype=np.int64)
    for j in range(cols.size - 1):
        need = np.full(replicates, int(cols[j]), dtype=np.int64)
        others = left.sum(axis=1)
        for i in range(rows.size - 1):
            others = others - left[:, i]
            x = rng.hypergeometric(left[:, i], others, need)
            out[:, i, j] = x
            need = need - x
        out[:, -1, j] = need
        left = left - out[:, :, j]
    out[:, :, -1] = left
    return out


def fisher_mc_pvalue(table: NDArray[np.int64], *, replicates: int, seed: int) -> float:
    """Monte Carlo two-sided Fisher p-value of an r x c table (R ``simulate.p.value = TRUE``)."""
    counts = np.asarray(table, dtype=np.int64)
    lf = log_factorials(int(counts.sum()))
    statistic = -float(lf[counts].sum())
    rng = np.random.default_rng(seed)
    hits = 0
    done = 0
    chunk = max(1, 2_000_000 // counts.size)
    while done < replicates:
        size = min(chunk, replicates - done)
        tables = random_tables(counts.sum(axis=1), counts.sum(axis=0), size, rng)
        simulated = -lf[tables].sum(axis=(1, 2))
        hits += int(np.sum(simulated <= statistic / ALMOST_ONE))
        done += size
    return (1.0 + hits) / (replicates + 1.0)
