"""Per-sample gene ranks in the form GSVA's ssGSEA uses them (one sort per sample)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
TieOrder = Literal["gsva", "gseapy"]


def walk_ranks(values: FloatArray, *, ties: TieOrder = "gsva") -> tuple[FloatArray, IntArray]:
    """Average ranks and walk positions of each row of ``values`` (samples x genes, finite).

    Returns ``(average, position)``, both samples x genes:

    * ``average`` - the average rank of each gene within its sample (R ``rank(ties="average")``,
      so a tie group spanning ranks ``a..b`` gets ``(a + b) / 2``);
    * ``position`` - ``n - p + 1`` where ``p`` is the gene's 1-based place in R's
      ``order(rank, decreasing = TRUE)``, which is stable: inside a tie group the gene listed
      first in the matrix is visited first, so it gets the highest position ``b``.
      With ``ties="gseapy"`` the walk follows gseapy, which reverses an ascending stable sort:
      inside a tie group the gene listed last is visited first, so ``position`` is the gene's
      place in the ascending stable sort.

    GSVA truncates ``average`` to an integer (``mode(R) <- "integer"``); truncation never merges
    tie groups, so ``position`` is the same for truncated and untruncated ranks.
    """
    n_samples, n_genes = values.shape
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    place = np.arange(1, n_genes + 1, dtype=np.int64)

    starts_group = np.ones((n_samples, n_genes), dtype=bool)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends_group = np.ones((n_samples, n_genes), dtype=bool)
    ends_group[:, :-1] = starts_group[:, 1:]
    del ordered

    first = np.maximum.accumulate(np.where(starts_group, place, 0), axis=1)
    last_rev = np.where(ends_group, place, n_genes + 1)[:, ::-1]
    last = np.minimum.accumulate(last_rev, axis=1)[:, ::-1]
    del starts_group, ends_group, last_rev

    average_sorted = (first + last) / 2.0
    position_sorted = (
        first + last - place if ties == "gsva" else np.broadcast_to(place, first.shape)
    )
    average = np.empty((n_samples, n_genes), dtype=np.float64)
    position = np.empty((n_samples, n_genes), dtype=np.int64)
    np.put_along_axis(average, order, average_sorted, axis=1)
    np.put_along_axis(position, order, position_sorted, axis=1)
    return average, position
