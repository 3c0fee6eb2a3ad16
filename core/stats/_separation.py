"""Detection of complete and quasi-complete separation in a binary-outcome design.

Separation exists when some direction b satisfies s_i x_i'b >= 0 for every row, with s_i = +1
for events and -1 for non-events, and > 0 for at least one row: the likelihood then increases
without bound along b and maximum-likelihood estimates do not exist. It is found exactly by the
linear programme of Konis (2007): maximise sum_i s_i x_i'b subject to s_i x_i'b >= 0 and
-1 <= b <= 1 (columns scaled); a positive optimum means separation, and it is complete when the
margin min_i s_i x_i'b can be made positive. Coefficient j can go to +inf (-inf) without lowering
the likelihood when some separating direction has b_j > 0 (< 0): one more LP per side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import linprog

from remarkit.stats._group_input import FloatArray

_TOL = 1e-7
SeparationKind = Literal["none", "quasi-complete", "complete"]


@dataclass(frozen=True)
class Separation:
    """Kind of separation, the non-intercept columns that can diverge, and in which direction."""

    kind: SeparationKind
    columns: list[int]
    unbounded: list[tuple[bool, bool]]  # per column: (towards -inf, towards +inf)


def detect_separation(x: FloatArray, y: FloatArray) -> Separation:
    """Separation of outcome ``y`` (0/1) by the design ``x`` (first column the intercept)."""
    scale = np.abs(x).max(axis=0)
    scale[scale == 0] = 1.0
    signed = (2.0 * y - 1.0)[:, None] * (x / scale)
    n, p = signed.shape
    bounds = [(-1.0, 1.0)] * p
    found = linprog(
        -signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(n), bounds=bounds, method="highs"
    )
    if not found.success or -found.fun <= _TOL * n:
        return Separation("none", [], [(False, False)] * p)
    # complete separation: maximise the margin t with s_i x_i'b >= t for every row
    margin = linprog(
        np.concatenate([np.zeros(p), [-1.0]]),
        A_ub=np.column_stack([-signed, np.ones(n)]),
        b_ub=np.zeros(n),
        bounds=[*bounds, (None, 1.0)],
        method="highs",
    )
    complete = bool(margin.success and -margin.fun > _TOL)
    unbounded = []
    for j in range(p):
        sides = []
        for sign in (-1.0, 1.0):  # can b_j be made negative / positive?
            objective = np.zeros(p)
            objective[j] = -sign
            side = linprog(objective, A_ub=-signed, b_ub=np.zeros(n), bounds=bounds, method="highs")
            sides.append(bool(side.success and -side.fun > 1e-6))
        unbounded.append((sides[0], sides[1]))
    columns = [j for j in range(1, p) if any(unbounded[j])]
    return Separation("complete" if complete else "quasi-complete", columns, unbounded)
