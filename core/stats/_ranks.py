"""Per-sample gene ranks in the form GSVA's ssGSEA uses them (one sort per sample)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
TieOrder = Literal["gsva", "gseapy"]


def walk_ranks(
    values: FloatArray, *, ties: TieOrder = "gsva", columns: IntArray | None = None
) -> tuple[FloatArray, IntArray]:
    """Average ranks and walk positions of each row of ``values`` (samples x genes, finite).

    Returns ``(average, position)``, both samples x genes (only the genes in ``columns``, in
    that order, when given):

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

    Each row is argsorted once with numpy's SIMD (unstable) sort; rows with tied values are then
    made stable, and only they pay for the tie-group bookkeeping.
    """
    n_samples, n_genes = values.shape
    order = np.argsort(values, axis=1)  # not stable, but SIMD-fast; ties are put right below
    ordered = np.empty_like(values)
    for row in range(n_samples):  # row by row: cheaper than take_along_axis's index grids
        ordered[row] = values[row, order[row]]
    equal_next = ordered[:, 1:] == ordered[:, :-1]
    del ordered
    tied = np.flatnonzero(equal_next.any(axis=1))
    place = np.arange(1, n_genes + 1, dtype=np.int64)

    first = last = np.empty((0, n_genes), dtype=np.int64)
    if tied.size:
        first, last = _tie_groups(equal_next[tied], place)
        order[tied] = _stable_ties(order[tied], first)
    del equal_next

    inverse = np.empty((n_samples, n_genes), dtype=np.int64)
    for row in range(n_samples):
        inverse[row, order[row]] = place
    del order
    sorted_place = inverse if columns is None else inverse[:, columns]
    average = sorted_place.astype(np.float64)
    position = sorted_place.copy()
    if tied.size:
        at = sorted_place[tied] - 1
        group_first = np.take_along_axis(first, at, axis=1)
        group_last = np.take_along_axis(last, at, axis=1)
        average[tied] = (group_first + group_last) / 2.0
        if ties == "gsva":
            position[tied] = group_first + group_last - sorted_place[tied]
    return average, position


def _tie_groups(equal_next: npt.NDArray[np.bool_], place: IntArray) -> tuple[IntArray, IntArray]:
    """First and last 1-based sorted place of each element's tie group (rows of sorted data)."""
    n_rows, n_genes = equal_next.shape[0], place.size
    starts_group = np.ones((n_rows, n_genes), dtype=bool)
    starts_group[:, 1:] = ~equal_next
    ends_group = np.ones((n_rows, n_genes), dtype=bool)
    ends_group[:, :-1] = ~equal_next
    first = np.maximum.accumulate(np.where(starts_group, place, 0), axis=1)
    last_rev = np.where(ends_group, place, n_genes + 1)[:, ::-1]
    last = np.ascontiguousarray(np.minimum.accumulate(last_rev, axis=1)[:, ::-1])
    return first, last


def _stable_ties(order: IntArray, first: IntArray) -> IntArray:
    """``order`` made a stable argsort: inside each tie group, genes by listing order.

    ``first`` (the 1-based place where each element's tie group starts) is
    non-decreasing along a row, so sorting ``first * n + gene`` keeps every group where it is
    and orders the genes inside it.
    """
    n_genes = order.shape[1]
    key = (first - 1) * n_genes + order
    key.sort(axis=1)
    return np.asarray(key % n_genes, dtype=np.int64)
