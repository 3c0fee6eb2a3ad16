"""R's ``lowess`` (the C routine ``clowess`` of Cleveland 1979/1981) ported to numpy.

Arrays are padded with a leading NaN so that the 1-based index arithmetic of R's C code carries
over unchanged; the local weighted fit (``lowest``) is vectorised over its window.
"""

from __future__ import annotations

import math

import numpy as np

from remarkit.errors import StatisticsError
from remarkit.stats._eval_inputs import FloatArray


def _window_end(x: FloatArray, n: int, nleft: int, xs: float, h9: float) -> int:
    """Last index of ``lowest``'s window: ties to the right are picked up, as in R's loop."""
    guess = int(np.searchsorted(x[1:], xs + h9, side="right")) + 1
    hi = min(n, max(guess + 2, nleft))
    while True:
        seg = x[nleft : hi + 1]
        stop = (np.abs(seg - xs) > h9) & (seg > xs)
        if stop.any():
            return nleft + int(np.argmax(stop)) - 1
        if hi >= n:
            return n
        hi = min(n, 2 * hi)


def _lowest(
    x: FloatArray,
    y: FloatArray,
    n: int,
    xs: float,
    nleft: int,
    nright: int,
    rw: FloatArray | None,
) -> float | None:
    """Fitted value at ``xs`` from the points ``nleft..nright`` (1-based); None if all weights 0."""
    x_range = x[n] - x[1]
    h = max(xs - x[nleft], x[nright] - xs)
    h9 = 0.999 * h
    h1 = 0.001 * h
    nrt = _window_end(x, n, nleft, xs, h9)
    xw = x[nleft : nrt + 1]
    r = np.abs(xw - xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(r <= h1, 1.0, (1.0 - (r / h) ** 3) ** 3)
    w = np.where(r <= h9, w, 0.0)
    if rw is not None:
        w = w * rw[nleft : nrt + 1]
    a = float(np.sum(w))
    if a <= 0.0:
        return None
    w = w / a
    if h > 0.0:
        a = float(np.sum(w * xw))
        b = xs - a
        c = float(np.sum(w * (xw - a) ** 2))
        if math.sqrt(c) > 0.001 * x_range:
            b /= c
            w = w * (b * (xw - a) + 1.0)
    return float(np.sum(w * y[nleft : nrt + 1]))


def _robustness_weights(res: FloatArray, sc: float) -> FloatArray | None:
    """Bisquare weights on 6 * median |residual|; None when that scale is effectively zero."""
    n = res.size
    absres = np.abs(res)
    srt = np.sort(absres)
    m1 = n // 2
    cmad = 3.0 * (srt[m1] + srt[n - m1 - 1]) if n % 2 == 0 else 6.0 * srt[m1]
    if cmad < 1e-7 * sc:
        return None
    c9 = 0.999 * cmad
    c1 = 0.001 * cmad
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(absres <= c9, (1.0 - (absres / cmad) ** 2) ** 2, 0.0)
    return np.where(absres <= c1, 1.0, out)


def _clowess(x0: FloatArray, y0: FloatArray, f: float, nsteps: int, delta: float) -> FloatArray:
    n = x0.size
    if n < 2:
        return y0.copy()
    x = np.concatenate(([np.nan], x0))
    y = np.concatenate(([np.nan], y0))
    ys = np.zeros(n + 1)
    rw: FloatArray | None = None
    ns = max(2, min(n, int(f * n + 1e-7)))
    iteration = 1
    while iteration <= nsteps + 1:
        nleft, nright, last, i = 1, ns, 0, 1
        while True:
            if nright < n and x[i] - x[nleft] > x[nright + 1] - x[i]:
                nleft += 1
                nright += 1
                continue
            fit = _lowest(x, y, n, float(x[i]), nleft, nright, rw if iteration > 1 else None)
            ys[i] = y[i] if fit is None else fit
            if last < i - 1:
                denom = x[i] - x[last]
                alpha = (x[last + 1 : i] - x[last]) / denom
                ys[last + 1 : i] = alpha * ys[i] + (1.0 - alpha) * ys[last]
            last = i
            cut = x[last] + delta
            i = last + 1
            while i <= n:
                if x[i] > cut:
                    break
                if x[i] == x[last]:
                    ys[i] = ys[last]
                    last = i
                i += 1
            i = max(last + 1, i - 1)
            if last >= n:
                break
        res = y[1:] - ys[1:]
        sc = float(np.sum(np.abs(res))) / n
        if iteration > nsteps:
            break
        rw_new = _robustness_weights(res, sc)
        if rw_new is None:
            break
        rw = np.concatenate(([np.nan], rw_new))
        iteration += 1
    return ys[1:]


def lowess(
    x: FloatArray,
    y: FloatArray,
    *,
    f: float = 2.0 / 3.0,
    iterations: int = 3,
    delta: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    """R ``lowess(x, y, f, iter, delta)``: returns ``(sorted x, fitted values)``.

    ``delta`` defaults to R's ``0.01 * diff(range(x))``; ties in x keep their input order.
    """
    if x.size != y.size:
        raise StatisticsError(f"lowess: x has length {x.size} but y has length {y.size}")
    if x.size == 0:
        raise StatisticsError("lowess: x is empty")
    if not (math.isfinite(f) and f > 0):
        raise StatisticsError(f"lowess: f must be finite and > 0, got {f!r}")
    if iterations < 0:
        raise StatisticsError(f"lowess: iterations must be >= 0, got {iterations!r}")
    step = 0.01 * float(np.max(x) - np.min(x)) if delta is None else float(delta)
    if not (math.isfinite(step) and step >= 0):
        raise StatisticsError(f"lowess: delta must be finite and >= 0, got {delta!r}")
    order = np.argsort(x, kind="stable")
    xs = np.ascontiguousarray(x[order], dtype=np.float64)
    return xs, _clowess(xs, np.asarray(y, dtype=np.float64)[order], float(f), iterations, step)
