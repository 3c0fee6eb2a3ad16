"""Pair counts of Harrell's concordance in O(n log^2 n), vectorised with numpy.

For every subject the numbers of concordant, discordant and score-tied comparable pairs it
belongs to are needed (survival's influence matrix). They are two-dimensional dominance counts
("among the subjects ordered before me, how many have a smaller/equal score"), computed with a
merge-sort tree: the prefix of a query is split into at most log2(n) power-of-two blocks, and
each level's blocks are sorted by score, so every count is three binary searches per level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from remarkit.stats._surv_input import FloatArray, IntArray


def prefix_counts(
    xr: IntArray, prefix: IntArray, qx: IntArray, nx: int
) -> tuple[IntArray, IntArray]:
    """Among the first ``prefix[q]`` points, how many have rank ``< qx[q]`` and ``== qx[q]``.

    ``xr`` holds the points' integer score ranks (0..nx-1) in their (already sorted) order.
    Points and queries are kept sorted by (block, rank) from level to level: each level merges
    pairs of sorted runs (a stable sort, near linear), and sorted queries make the binary
    searches cache-friendly.
    """
    n = xr.size
    less = np.zeros(prefix.size, dtype=np.int64)
    equal = np.zeros(prefix.size, dtype=np.int64)
    m = np.int64(nx + 1)
    pos = np.arange(n, dtype=np.int64)
    pts = xr.astype(np.int64)
    qord = np.lexsort((qx, prefix))
    k = 0
    while (1 << k) <= n:
        keys = (pos >> k) * m + pts
        qa = prefix[qord]
        sel = qord[((qa >> k) & 1) == 1]
        base = ((prefix[sel] >> k) - 1) * m
        lo = np.searchsorted(keys, base, side="left")
        lt = np.searchsorted(keys, base + qx[sel], side="left")
        le = np.searchsorted(keys, base + qx[sel], side="right")
        less[sel] += lt - lo
        equal[sel] += le - lt
        k += 1
        step = np.argsort((pos >> k) * m + pts, kind="stable")
        pos, pts = pos[step], pts[step]
        qord = qord[np.argsort((qa >> k) * m + qx[qord], kind="stable")]
    return less, equal


@dataclass(frozen=True)
class PairCounts:
    """Per-subject pair counts (higher score = longer survival is concordant) and totals."""

    concordant: IntArray
    discordant: IntArray
    tied_x: IntArray
    total_concordant: int
    total_discordant: int
    total_tied_x: int
    tied_y: int
    tied_xy: int


def _pairs_within(key: IntArray) -> int:
    """Number of unordered pairs sharing the same integer key."""
    if key.size == 0:
        return 0
    counts = np.bincount(np.unique(key, return_inverse=True)[1].ravel())
    return int(np.sum(counts * (counts - 1) // 2))


def pair_counts(time: FloatArray, event: IntArray, score: FloatArray) -> PairCounts:
    """Count comparable pairs as survival's concordance (a death vs anyone alive after it).

    A pair is comparable when the shorter time is a death; a death and a censoring at the same
    time are comparable (the censored subject outlived it), two deaths at one time are not.
    """
    n = time.size
    _, xr = np.unique(score, return_inverse=True)
    xr = xr.astype(np.int64)
    nx = int(xr.max()) + 1
    _, tr = np.unique(time, return_inverse=True)
    key = 2 * tr.astype(np.int64) + (1 - event)  # deaths before the censored at a tie
    order = np.argsort(key, kind="stable")
    skey, sxr = key[order], xr[order]
    cnt = np.bincount(xr, minlength=nx)
    below = np.cumsum(cnt) - cnt
    less_all, eq_all = below[xr], cnt[xr]
    greater_all = n - less_all - eq_all
    dead = np.flatnonzero(event == 1)
    # as the shorter member: partners are everyone not in {key <= 2 rank(time)}
    a = np.searchsorted(skey, key[dead], side="right")
    lt, eq = prefix_counts(sxr, a, xr[dead], nx)
    short_c = greater_all[dead] - (a - lt - eq)
    short_d = less_all[dead] - lt
    short_t = eq_all[dead] - eq
    # as the longer member: partners are the deaths with key < own key
    dorder = order[event[order] == 1]
    a2 = np.searchsorted(key[dorder], key - 1, side="right")
    lt2, eq2 = prefix_counts(xr[dorder], a2, xr, nx)
    conc = lt2.copy()
    disc = a2 - lt2 - eq2
    tie = eq2.copy()
    conc[dead] += short_c
    disc[dead] += short_d
    tie[dead] += short_t
    tied_y_all = _pairs_within(tr[dead].astype(np.int64))
    tied_xy = _pairs_within(tr[dead].astype(np.int64) * nx + xr[dead])
    return PairCounts(
        conc,
        disc,
        tie,
        int(short_c.sum()),
        int(short_d.sum()),
        int(short_t.sum()),
        tied_y_all - tied_xy,
        tied_xy,
    )


def harrell_c(time: FloatArray, event: IntArray, score: FloatArray) -> float:
    """Harrell's C, higher score = longer survival (ties in score count 1/2); NaN if no pairs."""
    pc = pair_counts(time, event, score)
    total = pc.total_concordant + pc.total_discordant + pc.total_tied_x
    if total == 0:
        return float("nan")
    return (pc.total_concordant + pc.total_tied_x / 2.0) / total
