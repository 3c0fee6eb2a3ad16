"""The network of partial contingency tables behind the exact r x c Fisher test.

Stage j holds every multiset of row margins that can remain after filling the first j columns,
stored as ascending vectors in lexicographic order. The arcs of a node are the ways to fill the
next column; rows with equal margins are interchangeable, so only fills that are non-increasing
within such a block are generated, each with the number of distinct permutations it stands for.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from remarkit.errors import StatisticsError

MAX_ARCS = 40_000_000
"""Memory limit: arcs held in the network (16 bytes each)."""

_BATCH = 2_000_000

_IntArr = NDArray[np.int64]
_FloatArr = NDArray[np.float64]
Pending = tuple[_FloatArr, _FloatArr]
"""Partial tables at one node: (path lengths, log masses)."""
Arcs = tuple[_IntArr, NDArray[np.int32], _FloatArr, NDArray[np.float32]]
"""One stage's arcs, grouped by node: (node start offsets, child index, length, multiplicity)."""


def log_factorials(n: int) -> _FloatArr:
    """``log(k!)`` for k = 0..n, by cumulative sums of logs."""
    out = np.zeros(n + 1)
    out[1:] = np.cumsum(np.log(np.arange(1, n + 1, dtype=float)))
    return out


class FisherTooLargeError(StatisticsError):
    """The table exceeds the exact enumeration limits (R's FEXACT fails with a workspace error)."""


def _too_large() -> StatisticsError:
    return FisherTooLargeError(
        "table too large for Fisher's exact test: the network exceeds the exact enumeration limit"
    )


def _ragged(lo: _IntArr, hi: _IntArr) -> tuple[_IntArr, _IntArr]:
    """For each i every value in lo[i]..hi[i]: (index i, value), in order."""
    count = np.maximum(hi - lo + 1, 0)
    parent = np.repeat(np.arange(lo.size), count)
    value = np.arange(parent.size) - np.repeat(np.cumsum(count) - count, count) + lo[parent]
    return parent, value


def _sort_rows(a: _IntArr) -> _IntArr:
    """Sort each row ascending (odd-even transposition network over the few columns)."""
    a = a.copy()
    k = a.shape[1]
    for step in range(k):
        for i in range(step % 2, k - 1, 2):
            lo = np.minimum(a[:, i], a[:, i + 1])
            a[:, i + 1] = np.maximum(a[:, i], a[:, i + 1])
            a[:, i] = lo
    return a


def _sorted_vectors(caps: _IntArr, total: int) -> _IntArr:
    """All ascending integer vectors s with s <= caps (ascending) and sum(s) == total."""
    k = caps.size
    suffix = np.concatenate([np.cumsum(caps[::-1])[::-1], [0]])
    rows = np.zeros((1, 0), dtype=np.int64)
    used = np.zeros(1, dtype=np.int64)
    prev = np.zeros(1, dtype=np.int64)
    for i in range(k - 1):
        left = total - used
        lo = np.maximum(prev, left - suffix[i + 1])
        hi = np.minimum(caps[i], left // (k - i))
        parent, value = _ragged(lo, hi)
        rows = np.column_stack([rows[parent], value])
        used, prev = used[parent] + value, value
    last = total - used
    ok = (last >= prev) & (last <= caps[-1])
    return np.column_stack([rows[ok], last[ok]])


def _fills(margins: _IntArr, total: int) -> tuple[_IntArr, _IntArr, _IntArr]:
    """Canonical fills of one column for each node: (node index, fill matrix, multiplicity).

    Within a block of equal margins the fill is non-increasing; its multiplicity is the number of
    distinct permutations of it inside the blocks (a product of multinomial coefficients).
    """
    n_nodes, k = margins.shape
    same = np.zeros((n_nodes, k), dtype=bool)
    same[:, 1:] = margins[:, 1:] == margins[:, :-1]
    later = np.zeros((n_nodes, k), dtype=np.int64)  # rows after i in i's block
    for i in range(k - 2, -1, -1):
        later[:, i] = np.where(same[:, i + 1], later[:, i + 1] + 1, 0)
    suffix = np.cumsum(margins[:, ::-1], axis=1)[:, ::-1]
    other = np.zeros((n_nodes, k), dtype=np.int64)  # capacity of rows after i's block
    other[:, :-1] = suffix[:, 1:] - later[:, :-1] * margins[:, :-1]
    node = np.arange(n_nodes)
    used = np.zeros(n_nodes, dtype=np.int64)
    prev = np.zeros(n_nodes, dtype=np.int64)
    mult = np.ones(n_nodes, dtype=np.int64)
    block = np.ones(n_nodes, dtype=np.int64)
    run = np.ones(n_nodes, dtype=np.int64)
    values: list[_IntArr] = []
    parents: list[_IntArr] = []
    for i in range(k):
        cap = margins[:, i][node]
        in_block = same[:, i][node]
        left = total - used
        if i < k - 1:
            lo = np.maximum(0, -((other[:, i][node] - left) // (1 + later[:, i][node])))
            hi = np.minimum(cap, left)
            hi = np.where(in_block, np.minimum(hi, prev), hi)
            parent, value = _ragged(lo, hi)
        else:
            ok = (left <= cap) & ~(in_block & (left > prev))
            parent = np.flatnonzero(ok)
            value = left[parent]
        node, used = node[parent], used[parent] + value
        if i == 0:
            mult, block, run = mult[parent], block[parent], run[parent]
        else:
            in_block = in_block[parent]
            block = np.where(in_block, block[parent] + 1, 1)
            run = np.where(in_block & (value == prev[parent]), run[parent] + 1, 1)
            mult = np.where(in_block, mult[parent] * block // run, mult[parent])
        prev = value
        values.append(value)
        parents.append(parent)
    x = np.empty((node.size, k), dtype=np.int64)
    idx = np.arange(node.size)
    for i in range(k - 1, -1, -1):
        x[:, i] = values[i][idx]
        idx = parents[i][idx]
    return node, x, mult


class Network:
    """Nodes per stage, arcs between consecutive stages, and exact completion bounds."""

    def __init__(self, rows: _IntArr, cols: _IntArr, lf: _FloatArr) -> None:
        self.cols = cols
        self.n_stages = cols.size
        self.lf = lf
        k = rows.size
        radix = int(rows.max()) + 1
        if k * np.log2(radix) >= 62:
            raise _too_large()
        self.weights = radix ** np.arange(k - 1, -1, -1, dtype=np.int64)
        remaining = int(rows.sum()) - np.concatenate([[0], np.cumsum(cols)[:-1]])
        self.nodes = [rows[None, :].astype(np.int64)]
        self.nodes += [_sorted_vectors(rows, int(r)) for r in remaining[1:]]
        self.keys = [n @ self.weights for n in self.nodes]
        self.arcs: list[Arcs] = []
        n_arcs = 0
        for stage in range(self.n_stages - 1):
            self.arcs.append(self._stage_arcs(stage))
            n_arcs += self.arcs[-1][1].size
            if n_arcs > MAX_ARCS:
                raise _too_large()
        self._bounds()

    def n_nodes(self, stage: int) -> int:
        return int(self.nodes[stage].shape[0])

    def _stage_arcs(self, stage: int) -> Arcs:
        margins = self.nodes[stage]
        col = int(self.cols[stage])
        k = margins.shape[1]
        per_node = float(np.prod(np.arange(col + 1, col + k)) / np.prod(np.arange(1, k)))
        batch = max(1, int(_BATCH / max(per_node, 1.0)))
        keys_next = self.keys[stage + 1]
        nodes, children, lengths, mults = [], [], [], []
        for first in range(0, margins.shape[0], batch):
            node, x, mult = _fills(margins[first : first + batch], col)
            if node.size > MAX_ARCS:
                raise _too_large()
            child = _sort_rows(margins[first + node] - x)
            child_key = child[:, 0] * self.weights[0]
            for i in range(1, k):
                child_key += child[:, i] * self.weights[i]
            idx = np.searchsorted(keys_next, child_key)
            if (keys_next[np.minimum(idx, keys_next.size - 1)] != child_key).any():
                raise RuntimeError("Fisher network: a child node is missing from the next stage")
            length = self.lf[x[:, 0]]
            for i in range(1, k):
                length += self.lf[x[:, i]]
            nodes.append((node + first).astype(np.int32))
            children.append(idx.astype(np.int32))
            lengths.append(length)
            mults.append(mult.astype(np.float32))  # small integers (at most k!): exact
        node = np.concatenate(nodes)
        start = np.searchsorted(node, np.arange(margins.shape[0] + 1))
        return (
            start,
            np.concatenate(children),
            np.concatenate(lengths),
            np.concatenate(mults),
        )

    def _bounds(self) -> None:
        """Exact shortest / longest completion and log total completion mass of every node."""
        fixed = self.lf[self.nodes[-1]].sum(axis=1)
        self.min_rest: list[_FloatArr] = [fixed]
        self.max_rest: list[_FloatArr] = [fixed]
        for stage in range(self.n_stages - 2, -1, -1):
            start, child, length, _ = self.arcs[stage]
            low = np.minimum.reduceat(length + self.min_rest[0][child], start[:-1])
            high = np.maximum.reduceat(length + self.max_rest[0][child], start[:-1])
            self.min_rest.insert(0, low)
            self.max_rest.insert(0, high)
        self.log_mass = [
            self.lf[nodes.sum(axis=1)]
            - self.lf[nodes].sum(axis=1)
            - float(self.lf[self.cols[stage:]].sum())
            for stage, nodes in enumerate(self.nodes)
        ]
