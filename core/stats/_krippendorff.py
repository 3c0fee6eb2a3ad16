"""Krippendorff's alpha (nominal, ordinal, interval, ratio) with missing ratings allowed.

Krippendorff (2011, "Computing Krippendorff's alpha-reliability"): coincidences o_ck over the
units with at least two ratings (each pair weighted 1 / (m_u - 1)), n_c = sum_k o_ck and
alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck with the metric's squared distance d. Equals
the PyPI package ``krippendorff`` (``alpha(reliability_data = ratings.T, ...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._rater_input import code_ratings, rater_columns

__all__ = ["KrippendorffResult", "krippendorff_alpha"]

FloatArray = npt.NDArray[np.float64]
Metric = Literal["nominal", "ordinal", "interval", "ratio"]


class KrippendorffResult(StatResult):
    """Krippendorff's alpha; ``estimate`` None (with ``undefined``) when no disagreement is
    expected (every pairable value is the same)."""

    kind: Literal["krippendorff_alpha"] = Field("krippendorff_alpha", description="Result tag.")
    estimate: float | None = Field(description="Alpha = 1 - D_o / D_e; None when undefined.")
    observed_disagreement: float = Field(description="D_o = sum o_ck d_ck / n.")
    expected_disagreement: float = Field(description="D_e = sum n_c n_k d_ck / (n (n - 1)).")
    level_of_measurement: str = Field(description="nominal, ordinal, interval or ratio.")
    n_units: int = Field(description="Units (subjects) with at least two ratings (pairable).")
    n_values: int = Field(description="Pairable values n (ratings in those units).")
    raters: int = Field(description="Number of raters (columns).")
    undefined: str | None = Field(description="Why alpha is undefined; None when defined.")


def _numeric_codes(columns: list[Any]) -> tuple[npt.NDArray[np.int64], FloatArray]:
    values = np.column_stack(
        [np.asarray(np.asarray(c, dtype=object).tolist(), dtype=np.float64) for c in columns]
    )
    if np.isinf(values).any():
        raise StatisticsError("ratings contain infinite value(s)")
    domain = np.unique(values[~np.isnan(values)])
    codes = np.full(values.shape, -1, dtype=np.int64)
    ok = ~np.isnan(values)
    codes[ok] = np.searchsorted(domain, values[ok])
    return codes, domain


def _distances(metric: str, domain: FloatArray, n_c: FloatArray) -> FloatArray:
    idx = np.arange(domain.size)
    if metric == "nominal":
        return np.asarray(idx[:, None] != idx[None, :], dtype=np.float64)
    if metric == "ordinal":
        cum = np.concatenate(([0.0], np.cumsum(n_c)))
        lo = np.minimum(idx[:, None], idx[None, :])
        hi = np.maximum(idx[:, None], idx[None, :])
        between = cum[hi + 1] - cum[lo]
        return np.asarray((between - (n_c[lo] + n_c[hi]) / 2.0) ** 2)
    diff = domain[:, None] - domain[None, :]
    if metric == "interval":
        return np.asarray(diff**2)
    total = domain[:, None] + domain[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total != 0.0, diff / total, 0.0)
    return np.asarray(ratio**2)


def krippendorff_alpha(
    ratings: Any,
    *,
    level_of_measurement: str = "nominal",
    levels: Sequence[Any] | None = None,
) -> KrippendorffResult:
    """Krippendorff's alpha of a subjects x raters table; missing ratings (NaN/None) allowed.

    Nominal and ordinal ratings may be labels: ``levels`` gives the categories and, for ordinal,
    their order (else the sorted distinct labels). Interval and ratio ratings must be numbers
    (their values are the distances' scale). Units with fewer than two ratings are not
    pairable and are left out, as Krippendorff defines.
    """
    if level_of_measurement not in ("nominal", "ordinal", "interval", "ratio"):
        raise StatisticsError(
            "level_of_measurement must be nominal, ordinal, interval or ratio, got "
            f"{level_of_measurement!r}"
        )
    columns = rater_columns(ratings)
    m = len(columns)
    if m < 2:
        raise StatisticsError(f"Krippendorff's alpha needs at least 2 raters (columns), got {m}")
    if level_of_measurement in ("nominal", "ordinal"):
        coded, labels = code_ratings(columns, [f"rater {j + 1}" for j in range(m)], levels)
        codes = np.column_stack(coded)
        domain = np.arange(len(labels), dtype=np.float64)
    else:
        try:
            codes, domain = _numeric_codes(columns)
        except (TypeError, ValueError) as exc:
            raise StatisticsError(
                f"{level_of_measurement} ratings must be numbers (NaN for missing)"
            ) from exc
    n_dom = domain.size
    counts = np.zeros((codes.shape[0], n_dom), dtype=np.float64)
    for j in range(m):
        rows = np.flatnonzero(codes[:, j] >= 0)
        np.add.at(counts, (rows, codes[rows, j]), 1.0)
    m_u = counts.sum(axis=1)
    pairable = m_u >= 2
    if not pairable.any():
        raise StatisticsError("no subject has ratings from at least two raters")
    cu = counts[pairable]
    o = np.einsum("uc,uk->ck", cu / (m_u[pairable] - 1.0)[:, None], cu)
    o -= np.diag((cu / (m_u[pairable] - 1.0)[:, None]).sum(axis=0))
    n_c = o.sum(axis=0)
    n = float(n_c.sum())
    d = _distances(level_of_measurement, domain, n_c)
    num = float((o * d).sum())
    den = float((np.outer(n_c, n_c) * d).sum())
    d_o = num / n
    d_e = den / (n * (n - 1.0))
    undefined: str | None = None
    estimate: float | None = None
    if den <= 0.0:
        undefined = "Krippendorff's alpha is undefined: all pairable ratings are equal"
    else:
        estimate = 1.0 - (n - 1.0) * num / den
    return KrippendorffResult(
        estimate=estimate,
        observed_disagreement=d_o,
        expected_disagreement=d_e,
        level_of_measurement=level_of_measurement,
        n_units=int(pairable.sum()),
        n_values=int(m_u[pairable].sum()),
        raters=m,
        undefined=undefined,
    )
