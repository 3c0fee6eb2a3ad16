"""Adjustment of p-values for multiple comparisons, as R's ``stats::p.adjust``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

PAdjustMethod = Literal["holm", "hochberg", "bonferroni", "BH", "fdr", "BY", "none"]
#: The methods :func:`p_adjust` offers (R's names; ``fdr`` is R's alias of ``BH``).
P_ADJUST_METHODS: tuple[str, ...] = ("holm", "hochberg", "bonferroni", "BH", "fdr", "BY", "none")
#: How each method is named in reports.
P_ADJUST_NAMES: dict[str, str] = {
    "holm": "Holm",
    "hochberg": "Hochberg",
    "bonferroni": "Bonferroni",
    "BH": "Benjamini-Hochberg",
    "fdr": "Benjamini-Hochberg",
    "BY": "Benjamini-Yekutieli",
    "none": "no",
}


@dataclass(frozen=True)
class PAdjustResult:
    """Adjusted p-values in input order (NaN where the input p was missing)."""

    method: str
    n: int
    p_values: tuple[float, ...]
    adjusted: tuple[float, ...]


def _adjust(p: npt.NDArray[np.float64], method: str, n: int) -> npt.NDArray[np.float64]:
    lp = p.size
    if method == "none" or n <= 1:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(n * p, 1.0)
    if method == "holm":
        order = np.argsort(p, kind="stable")
        i = np.arange(1, lp + 1, dtype=np.float64)
        out = np.minimum(1.0, np.maximum.accumulate((n + 1 - i) * p[order]))
    else:
        order = np.argsort(-p, kind="stable")
        i = np.arange(lp, 0, -1, dtype=np.float64)
        if method == "hochberg":
            factor = n + 1 - i
        elif method in ("BH", "fdr"):
            factor = n / i
        else:  # BY
            factor = sum(1.0 / k for k in range(1, n + 1)) * n / i
        out = np.minimum(1.0, np.minimum.accumulate(factor * p[order]))
    adjusted = np.empty(lp, dtype=np.float64)
    adjusted[order] = out
    return adjusted


def p_adjust(
    p: Iterable[float | None], method: PAdjustMethod = "holm", *, n: int | None = None
) -> PAdjustResult:
    """Adjust ``p`` for multiple comparisons exactly as R's ``p.adjust(p, method, n)``.

    Missing p-values (None or NaN) stay missing and do not count towards ``n`` (R's default
    ``n = length(p[!is.na(p)])``); ``n`` may be given larger than the number of p-values.
    """
    if method not in P_ADJUST_METHODS:
        raise ValueError(f"unknown method '{method}'; use one of {', '.join(P_ADJUST_METHODS)}")
    values = np.asarray([math.nan if v is None else float(v) for v in p], dtype=np.float64)
    known = ~np.isnan(values)
    if np.any((values[known] < 0) | (values[known] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    m = int(known.sum())
    total = m if n is None else int(n)
    if total < m:
        raise ValueError(f"n = {total} is smaller than the number of p-values ({m})")
    adjusted = np.full(values.size, math.nan)
    adjusted[known] = _adjust(values[known], method, total)
    return PAdjustResult(
        method=method,
        n=total,
        p_values=tuple(float(v) for v in values),
        adjusted=tuple(float(v) for v in adjusted),
    )
