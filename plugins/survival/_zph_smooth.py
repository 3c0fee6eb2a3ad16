"""plot.cox.zph's smooth of scaled Schoenfeld residuals: a natural cubic spline and its band.

As survival's ``plot.cox.zph`` (3.x): the basis is ``splines::ns(c(pred.x, x), df, intercept =
TRUE)`` (interior knots at type-7 quantiles of the prediction grid and the event times together,
boundary knots at their range), fitted to the residuals by least squares; the standard error of
the fitted curve is ``sqrt(var[i, i] * diag(P (X'X)^-1 P'))`` with ``var`` cox.zph's ``$var``.
The fitted values and the standard error do not depend on which basis of the spline space is used,
so the basis here (B-splines constrained to zero second derivative at both boundaries) gives R's
numbers without R's QR parametrisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Smooth:
    """The smooth of one term on ``nsmo`` equally spaced points of the transformed time."""

    x: Array
    fit: Array
    se: Array


def ns_basis(values: Array, df: int) -> tuple[Array, Array]:
    """Knots of ``ns(values, df, intercept = TRUE)`` and a basis of its column space."""
    from scipy.interpolate import BSpline
    from scipy.linalg import null_space

    interior = np.quantile(values, np.linspace(0.0, 1.0, df)[1:-1])
    lo, hi = float(values.min()), float(values.max())
    knots = np.concatenate(([lo] * 4, interior, [hi] * 4))
    spline = BSpline(knots, np.eye(knots.size - 4), 3)
    second = spline.derivative(2)(np.array([lo, hi]))
    constrained = null_space(second)
    return knots, np.asarray(spline(values) @ constrained, dtype=np.float64)


def zph_smooth(x: Array, y: Array, var: float, *, df: int = 4, nsmo: int = 40) -> Smooth | None:
    """The spline smooth of residuals ``y`` on transformed times ``x``; None when singular.

    ``y`` may hold NaN (a term constant within a stratum): those events are left out of the fit,
    as plot.cox.zph does, while the knots use every event time.
    """
    grid = np.linspace(float(x.min()), float(x.max()), nsmo)
    _, basis = ns_basis(np.concatenate((grid, x)), df)
    pmat, xmat = basis[:nsmo], basis[nsmo:]
    keep = ~np.isnan(y)
    design = xmat[keep]
    if np.linalg.matrix_rank(design) < df:
        return None
    coef, *_ = np.linalg.lstsq(design, y[keep], rcond=None)
    xtx_inv = np.linalg.inv(design.T @ design)
    seval = np.einsum("ij,jk,ik->i", pmat, xtx_inv, pmat)
    return Smooth(x=grid, fit=pmat @ coef, se=np.sqrt(var * seval))
