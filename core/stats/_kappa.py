"""Cohen's kappa, unweighted or weighted, as R ``psych::cohen.kappa`` (psych 2.2.9).

Weights are psych's agreement weights: quadratic ``1 - (i - j)^2 / (L - 1)^2`` (psych's
default ``w``) or linear ``1 - |i - j| / (L - 1)`` (pass that matrix as ``w`` in R). The
variances are the large-sample formulas of Fleiss, Cohen & Everitt (1969) exactly as psych codes
them (``var.kappa`` and ``var.weighted``), and the CI is ``kappa -/+ qnorm(alpha / 2) * se``
with both bounds clipped to [-1, 1] as psych does.

psych's weighted variance uses ``roww[j] = p_j. * sum_k w_jk`` where Fleiss, Cohen & Everitt
(1969) have ``sum_k p_k. w_kj``; the two agree for unweighted kappa and differ for
weighted kappa (by 6% of the SE on tests/reference/agreement.R's 4-level data). This module
reproduces psych, the reference named for remarkit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import norm

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._group_input import check_level
from remarkit.stats._rater_input import code_ratings

__all__ = ["KappaResult", "cohen_kappa", "kappa_weights"]

FloatMatrix = np.ndarray


class KappaResult(StatResult):
    """Cohen's kappa of two raters with psych's SE and CI, the table and Byrt's indices.

    When both raters use one and the same level for every subject the expected agreement is 1 and
    kappa is undefined: ``estimate``, ``se``, ``lower`` and ``upper`` are None and
    ``undefined`` says why. Callers (units) turn that into a named warning rather than a NaN
    row, e.g. ``if res.undefined: warnings.append(f"{feature}: {res.undefined}")`` (a unit's
    ``warnings`` list) or ``warnings.warn(..., RemarkitWarning)`` in library code.
    """

    kind: Literal["cohen_kappa"] = Field("cohen_kappa", description="Result type tag.")
    weights: str = Field(description="'none' (unweighted), 'linear' or 'quadratic'.")
    estimate: float | None = Field(description="Kappa; None when undefined (expected = 1).")
    se: float | None = Field(description="Standard error, sqrt of psych's large-sample variance.")
    lower: float | None = Field(description="Lower bound, estimate - z se, clipped to -1.")
    upper: float | None = Field(description="Upper bound, estimate + z se, clipped to 1.")
    observed: float = Field(description="Observed (weighted) agreement, psych's po / wpo.")
    expected: float = Field(description="Chance-expected (weighted) agreement, pc / wpc.")
    agreement: float = Field(description="Proportion of subjects with identical labels.")
    n: int = Field(description="Subjects rated by both raters.")
    n_missing: int = Field(description="Subjects dropped for a missing label of either rater.")
    levels: tuple[str, ...] = Field(description="The levels, in the order used for weights.")
    table: pd.DataFrame = Field(
        description="Counts: rows rater_a's levels, columns rater_b's (absent levels are zeros)."
    )
    prevalence_index: float | None = Field(
        description="Byrt et al. (1993) PI = (a - d) / n on the 2x2 table; None for > 2 levels."
    )
    bias_index: float | None = Field(
        description="Byrt et al. (1993) BI = (b - c) / n (b: a says level 1, b level 2); "
        "None for > 2 levels."
    )
    pabak: float | None = Field(
        description="Prevalence- and bias-adjusted kappa, 2 po - 1; None for > 2 levels."
    )
    undefined: str | None = Field(description="Why kappa is undefined; None when it is defined.")
    level: float = Field(description="Confidence level of the interval.")


def kappa_weights(n_levels: int, weights: str | None) -> FloatMatrix:
    """psych's agreement-weight matrix for ``weights`` None (identity), linear or quadratic."""
    idx = np.arange(n_levels)
    dist = np.abs(idx[:, None] - idx[None, :]).astype(np.float64)
    if weights is None:
        return np.eye(n_levels)
    if n_levels < 2:
        return np.ones((n_levels, n_levels))
    if weights == "linear":
        return np.asarray(1.0 - dist / (n_levels - 1))
    if weights == "quadratic":
        return np.asarray(1.0 - dist**2 / (n_levels - 1) ** 2)
    raise StatisticsError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")


def _var_unweighted(
    x: FloatMatrix, rs: FloatMatrix, cs: FloatMatrix, po: float, pc: float
) -> float:
    # psych: tr(x * (I (1 - pc) - (rs %+% t(cs)) (1 - po))^2)
    #        + (1 - po)^2 (sum(x * (cs %+% t(rs))^2) - tr(x * (cs %+% t(rs))^2))
    #        - (po pc - 2 pc + po)^2, all over tot (1 - pc)^4
    eye = np.eye(x.shape[0])
    inner = x * (eye * (1.0 - pc) - (rs[:, None] + cs[None, :]) * (1.0 - po)) ** 2
    outer = x * (cs[:, None] + rs[None, :]) ** 2
    return float(
        np.trace(inner)
        + (1.0 - po) ** 2 * (outer.sum() - np.trace(outer))
        - (po * pc - 2.0 * pc + po) ** 2
    )


def _var_weighted(
    x: FloatMatrix, w: FloatMatrix, rs: FloatMatrix, cs: FloatMatrix, wpo: float, wpc: float
) -> float:
    # psych: colw <- colSums(w * cs); roww <- rowSums(w * rs) (R recycles the margins down
    # the columns, so colw[j] = sum_i w[i, j] cs[i] and roww[i] = rs[i] sum_j w[i, j]);
    # sum(x * (w (1 - wpc) - (colw %+% t(roww)) (1 - wpo))^2) - (wpo wpc - 2 wpc + wpo)^2
    colw = (w * cs[:, None]).sum(axis=0)
    roww = (w * rs[:, None]).sum(axis=1)
    term = x * (w * (1.0 - wpc) - (colw[:, None] + roww[None, :]) * (1.0 - wpo)) ** 2
    return float(term.sum() - (wpo * wpc - 2.0 * wpc + wpo) ** 2)


def cohen_kappa(
    rater_a: Any,
    rater_b: Any,
    *,
    weights: str | None = None,
    level: float = 0.95,
    levels: Sequence[Any] | None = None,
) -> KappaResult:
    """Cohen's kappa of two raters' labels, as R ``psych::cohen.kappa(cbind(a, b), w, alpha =
    1 - level, levels = levels)``.

    ``weights`` None gives psych's ``kappa`` with ``var.kappa``; "linear" or "quadratic" give
    psych's ``weighted.kappa`` with ``var.weighted`` for that weight matrix. ``levels`` fixes the
    categories and their order (ordinal weights need it; a level nobody used counts as zeros);
    without it the sorted distinct labels are used. Subjects with a missing label are dropped
    and counted in ``n_missing``; a label outside ``levels`` is an error. With two levels the
    prevalence index, bias index and PABAK of Byrt, Bishop & Carlin (1993) are reported.
    """
    lev = check_level(level)
    if weights not in (None, "linear", "quadratic"):
        raise StatisticsError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    (ca, cb), labels = code_ratings([rater_a, rater_b], ["rater_a", "rater_b"], levels)
    keep = (ca >= 0) & (cb >= 0)
    n_missing = int((~keep).sum())
    n = int(keep.sum())
    if n == 0:
        raise StatisticsError("rater_a and rater_b have no subject rated by both")
    n_levels = len(labels)
    counts = np.zeros((n_levels, n_levels), dtype=np.int64)
    np.add.at(counts, (ca[keep], cb[keep]), 1)
    x = counts / float(n)
    rs, cs = x.sum(axis=1), x.sum(axis=0)
    po = float(np.trace(x))
    pc = float(np.sum(rs * cs))
    w = kappa_weights(n_levels, weights)
    if weights is None:
        obs, exp = po, pc
    else:
        obs, exp = float(np.sum(w * x)), float(np.sum(w * np.outer(rs, cs)))
    undefined: str | None = None
    estimate = se = lower = upper = None
    if exp >= 1.0 - 1e-12:
        undefined = (
            "kappa is undefined: both raters gave every subject the same single level "
            "(expected agreement 1)"
        )
    else:
        estimate = (obs - exp) / (1.0 - exp)
        if weights is None:
            var = _var_unweighted(x, rs, cs, po, pc) / (n * (1.0 - pc) ** 4)
        else:
            var = _var_weighted(x, w, rs, cs, obs, exp) / (n * (1.0 - exp) ** 4)
        var = 0.0 if not np.isfinite(var) or var < 0.0 else var  # psych sets a bad variance to 0
        se = float(np.sqrt(var))
        z = float(norm.ppf(1.0 - (1.0 - lev) / 2.0))
        lower = max(-1.0, min(1.0, estimate - z * se))
        upper = max(-1.0, min(1.0, estimate + z * se))
    pi = bi = pabak = None
    if n_levels == 2:
        pi = float((counts[0, 0] - counts[1, 1]) / n)
        bi = float((counts[0, 1] - counts[1, 0]) / n)
        pabak = 2.0 * po - 1.0
    return KappaResult(
        weights="none" if weights is None else weights,
        estimate=estimate,
        se=se,
        lower=lower,
        upper=upper,
        observed=obs,
        expected=exp,
        agreement=po,
        n=n,
        n_missing=n_missing,
        levels=tuple(labels),
        table=pd.DataFrame(counts, index=labels, columns=labels),
        prevalence_index=pi,
        bias_index=bi,
        pabak=pabak,
        undefined=undefined,
        level=lev,
    )
