"""Exact Fisher test p-value for an r x c contingency table (network algorithm).

The p-value is the total hypergeometric probability of the tables with the observed margins whose
probability does not exceed the observed one, ``P(t) <= P(obs) * exp(3.45254e-7)``: the tolerance
R's FEXACT (``fisher.test``) applies on the log scale.

A table is a path through a network: stage j holds the multisets (sorted vectors) of row margins
left after filling j columns, an arc fills one column and has length ``sum(log x!)``. The exact
shortest and longest completion of every node (a backward dynamic programme) decide most partial
tables at once: if every completion is at least as extreme as the observed table, their closed-form
total ``n! / (prod r! prod c!)`` is added, if none is the partial table is dropped, otherwise it is
carried to the next stage, where equal lengths are merged (Mehta & Patel 1983). Partial tables that
reach the last free column are matched exactly against the sorted lengths of their completions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from remarkit.errors import StatisticsError
from remarkit.stats._fisher_network import FisherTooLargeError, Network, Pending, log_factorials

FEXACT_TOL = 3.45254e-7
"""Log-scale tolerance of R's FEXACT when comparing a table's probability with the observed one."""

MAX_CARRIED = 20_000_000
"""Memory limit: distinct partial tables held between two stages."""

MAX_WORK = 100_000_000
"""Time limit (the workspace): partial tables extended in all (about 10-30 s of work)."""

MAX_NODES = 10_000_000
"""Checked before any work: a bound on the nodes of one stage (row-margin vectors left)."""

_GRID = 1e-9  # path lengths closer than this are merged / compared on this grid
_KEY_SPAN = 2**43
_CHUNK = 4_000_000

_IntArr = NDArray[np.int64]
_FloatArr = NDArray[np.float64]
_NodeArr = NDArray[np.int32]  # child node indices, as the network stores them
_Carried = tuple[_NodeArr, _FloatArr, _FloatArr]


def fisher_rxc_pvalue(table: NDArray[np.int64]) -> float:
    """Exact two-sided Fisher p-value of an r x c table of counts (R ``fisher.test``).

    Raises :class:`FisherTooLargeError` if the table is too large for exact enumeration: before any
    work when a stage could hold more than :data:`MAX_NODES` row-margin vectors (the product of
    the smaller margins + 1 of all rows but the largest), or when the enumeration exceeds the
    network or work limits (R's FEXACT stops with a workspace error on such tables too).
    """
    counts = np.asarray(table, dtype=np.int64)
    if counts.ndim != 2 or min(counts.shape) < 2 or (counts < 0).any():
        raise StatisticsError(
            "Fisher's exact test needs a table of counts with >= 2 rows and columns"
        )
    if counts.shape[0] > counts.shape[1]:
        counts = counts.T
    rows = np.sort(counts.sum(axis=1))
    if float(np.prod(rows[:-1] + 1.0)) > MAX_NODES:
        raise FisherTooLargeError(
            "table too large for Fisher's exact test: the network could exceed "
            f"{MAX_NODES:,} nodes per stage"
        )
    cols = _column_order(counts.sum(axis=0))
    lf = log_factorials(int(counts.sum()))
    log_const = float(lf[rows].sum() + lf[cols].sum() - lf[counts.sum()])
    threshold = float(lf[counts].sum()) - FEXACT_TOL
    net = Network(rows, cols, lf)
    return min(1.0, max(0.0, _tail_probability(net, threshold, log_const)))


def _column_order(cols: _IntArr) -> _IntArr:
    """Largest column first (one root node), second largest last (forced), the rest ascending."""
    desc = np.sort(cols)[::-1]
    return np.concatenate([desc[:1], np.sort(desc[2:]), desc[1:2]]).astype(np.int64)


class _Futures:
    """Sorted completion lengths of the last-free-column nodes as one composite-key array."""

    def __init__(self, net: Network) -> None:
        stage = net.n_stages - 2
        start, child, length, mult = net.arcs[stage]
        node = np.repeat(np.arange(start.size - 1), np.diff(start))
        full = length + net.min_rest[stage + 1][child]
        self.node_min = np.minimum.reduceat(full, start[:-1])
        base = float(self.node_min.min())
        grid = np.rint((full - base) / _GRID).astype(np.int64)
        if grid.max() > _KEY_SPAN or start.size > 2**19:
            raise FisherTooLargeError(
                "table too large for Fisher's exact test (exact enumeration limit)"
            )
        key = grid + node * (_KEY_SPAN + 2)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        weight = mult[order] * np.exp(-(full[order] - self.node_min[node[order]]))
        # per node: suffix sums of weight, then a trailing zero; node u starts at start[u] + u
        tails = np.empty(full.size + start.size - 1)
        pos = start[:-1] + np.arange(start.size - 1)
        for u in range(start.size - 1):
            seg = weight[start[u] : start[u + 1]]
            tails[pos[u] : pos[u] + seg.size] = np.cumsum(seg[::-1])[::-1]
            tails[pos[u] + seg.size] = 0.0
        self.tail = tails
        self.base = base

    def resolve(self, node: _NodeArr, past: _FloatArr, mass: _FloatArr, threshold: float) -> float:
        """Total probability of the completions of (node, past length, log mass) beyond threshold."""
        query = np.rint((threshold - past - self.base) / _GRID)
        node64 = node.astype(np.int64)
        query = np.clip(query, -1, _KEY_SPAN + 1).astype(np.int64) + node64 * (_KEY_SPAN + 2)
        idx = np.searchsorted(self.key, query, side="left")
        return float(np.sum(np.exp(mass - self.node_min[node64]) * self.tail[idx + node64]))


def _tail_probability(net: Network, threshold: float, log_const: float) -> float:
    """Sum of P(t) over complete tables t with sum(log x!) >= threshold."""
    futures = _Futures(net)
    last_free = net.n_stages - 2
    root: Pending = (np.zeros(1), np.full(1, log_const))
    if last_free == 0:
        return futures.resolve(np.zeros(1, dtype=np.int64), root[0], root[1], threshold)
    pending: list[Pending] = [root]
    total = 0.0
    work = 0
    for stage in range(last_free):
        start, child, length, mult = net.arcs[stage]
        bounds = (net.min_rest[stage + 1], net.max_rest[stage + 1], net.log_mass[stage + 1])
        log_mult = np.log(mult.astype(np.float64))
        final = stage + 1 == last_free
        merged: list[_Carried] = []  # chunks already merged
        stored = 0
        chunk: list[_Carried] = []
        held = 0
        for node, (past, mass) in enumerate(pending):
            if past.size == 0:
                continue
            seg = slice(start[node], start[node + 1])
            part, out = _extend(
                past, mass, (child[seg], length[seg], log_mult[seg]), bounds, threshold
            )
            total += part
            chunk.append(out)
            held += out[0].size
            work += out[0].size
            if work > MAX_WORK:
                raise _too_large()
            if held > _CHUNK:
                if final:
                    total += futures.resolve(*_concat(chunk), threshold)
                else:
                    merged.append(_merge(chunk))
                    stored += merged[-1][0].size
                    if stored > MAX_CARRIED:
                        raise _too_large()
                chunk, held = [], 0
        if final:
            if chunk:
                total += futures.resolve(*_concat(chunk), threshold)
        else:
            pending = _split(_merge(merged + chunk), net.n_nodes(stage + 1))
    return total


def _too_large() -> StatisticsError:
    return FisherTooLargeError(
        "table too large for Fisher's exact test: partial tables exceed the work limit "
        "(R's fisher.test fails on such tables too; consider chi_square)"
    )


def _extend(
    past: _FloatArr,
    mass: _FloatArr,
    arcs: tuple[_NodeArr, _FloatArr, _FloatArr],
    bounds: tuple[_FloatArr, _FloatArr, _FloatArr],
    threshold: float,
) -> tuple[float, _Carried]:
    """Extend one node's partial tables by each arc: total the decided ones, carry the others."""
    child, length, log_mult = arcs
    min_rest, max_rest, log_mass = bounds
    order = np.argsort(past)
    past, mass = past[order], mass[order]
    peak = float(mass.max())
    tail = np.concatenate([np.cumsum(np.exp(mass - peak)[::-1])[::-1], [0.0]])
    first_all = np.searchsorted(past, threshold - length - min_rest[child], side="left")
    first_any = np.searchsorted(past, threshold - length - max_rest[child], side="left")
    arc_mass = log_mult - length
    total = float(np.sum(tail[first_all] * np.exp(peak + arc_mass + log_mass[child])))
    width = first_all - first_any
    keep = np.flatnonzero(width > 0)
    width, first = width[keep], first_any[keep]
    arc = np.repeat(keep, width)
    idx = np.repeat(first - (np.cumsum(width) - width), width) + np.arange(arc.size)
    return total, (child[arc], past[idx] + length[arc], mass[idx] + arc_mass[arc])


def _concat(parts: list[_Carried]) -> _Carried:
    node, past, mass = (np.concatenate(p) for p in zip(*parts, strict=True))
    return node, past, mass


def _merge(parts: list[_Carried]) -> _Carried:
    """Merge carried partial tables with the same node and path length (log-sum of masses)."""
    node, length, mass = _concat(parts)
    if node.size == 0:
        return node, length, mass
    grid = np.rint(length / _GRID).astype(np.int64)
    order = np.lexsort((grid, node))
    node, grid, length, mass = node[order], grid[order], length[order], mass[order]
    new = np.ones(node.size, dtype=bool)
    new[1:] = (node[1:] != node[:-1]) | (grid[1:] != grid[:-1])
    first = np.flatnonzero(new)
    peak = np.maximum.reduceat(mass, first)
    summed = peak + np.log(np.add.reduceat(np.exp(mass - peak[np.cumsum(new) - 1]), first))
    return node[first], length[first], summed


def _split(carried: _Carried, n_nodes: int) -> list[Pending]:
    """Per node of the next stage: its (path lengths, log masses); carried is sorted by node."""
    node, length, mass = carried
    cut = np.searchsorted(node, np.arange(n_nodes + 1))
    return [(length[cut[i] : cut[i + 1]], mass[cut[i] : cut[i + 1]]) for i in range(n_nodes)]
