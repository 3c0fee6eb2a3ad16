"""R's ``pretty()``: equally spaced round values covering a range (R_pretty in R's C sources)."""

from __future__ import annotations

import math
import sys

import numpy as np
from numpy.typing import NDArray

_ROUNDING_EPS = 1e-10
_DBL_EPSILON = sys.float_info.epsilon
_DBL_MIN = sys.float_info.min


def _unit(
    lo: float, up: float, ndiv: int, min_n: int, shrink: float, h: float, h5: float
) -> tuple[float, float, float, int]:
    dx = up - lo
    if dx == 0 and up == 0:
        cell, small = 1.0, True
    else:
        cell = max(abs(lo), abs(up))
        u = 1 + (1 / (1 + h) if h5 >= 1.5 * h + 0.5 else 1.5 / (1 + h5))
        u *= max(1, ndiv) * _DBL_EPSILON
        small = dx < cell * u * 3
    if small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= shrink
        if min_n > 1:
            cell /= min_n
    else:
        cell = dx
        if ndiv > 1:
            cell /= ndiv
    subsmall = 2.0**-20 * _DBL_MIN or _DBL_MIN
    cell = max(cell, subsmall)
    base = 10.0 ** math.floor(math.log10(cell))
    unit = base
    if (ns := 2 * base) - cell < h * (cell - unit):
        unit = ns
        if (ns := 5 * base) - cell < h5 * (cell - unit):
            unit = ns
            if (ns := 10 * base) - cell < h * (cell - unit):
                unit = ns
    n_lo = math.floor(lo / unit + _ROUNDING_EPS)
    n_up = math.ceil(up / unit - _ROUNDING_EPS)
    while n_lo * unit > lo + _ROUNDING_EPS * unit:
        n_lo -= 1
    while n_up * unit < up - _ROUNDING_EPS * unit:
        n_up += 1
    k = int(0.5 + n_up - n_lo)
    if k < min_n:
        k = min_n - k
        if n_lo >= 0:
            n_up += k // 2
            n_lo -= k // 2 + k % 2
        else:
            n_lo -= k // 2
            n_up += k // 2 + k % 2
        ndiv = min_n
    else:
        ndiv = k
    return unit, float(n_lo), float(n_up), ndiv


def pretty(values: NDArray[np.float64] | list[float], n: int = 5) -> NDArray[np.float64]:
    """Round tick values covering ``values``, as R's ``pretty(x, n)`` with its default biases."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return x
    lo, up = float(x.min()), float(x.max())
    unit, n_lo, n_up, ndiv = _unit(lo, up, n, n // 3, 0.75, 1.5, 0.5 + 1.5 * 1.5)
    lo_b = n_lo * unit if n_lo * unit < lo else lo
    up_b = n_up * unit if n_up * unit > up else up
    ticks = np.linspace(lo_b, up_b, ndiv + 1) if ndiv else np.array([lo_b])
    if ndiv:
        delta = (up_b - lo_b) / ndiv
        ticks[np.abs(ticks) < 1e-14 * delta] = 0.0
    return ticks
