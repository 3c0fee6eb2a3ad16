"""Fleiss' kappa for m raters, as ``irr::kappam.fleiss(ratings, detail = TRUE)``.

Fleiss (1971), with the standard error under the null hypothesis kappa = 0 of Fleiss, Nee &
Landis (1979) (Fleiss, Levin & Paik 2003, section 18.1), z = kappa / se and a two-sided normal
p-value. That SE tests kappa = 0; it is not meant for a confidence interval, so none is given.
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
from remarkit.stats._rater_input import code_ratings, rater_columns

__all__ = ["FleissKappaResult", "fleiss_kappa"]


class FleissKappaResult(StatResult):
    """Fleiss' kappa of m raters with irr's z test and the per-category kappas.

    ``estimate``, ``se``, ``z`` and ``p_value`` are None when every rating falls in one level
    (expected agreement 1); ``undefined`` then says why (units turn it into a named warning).
    """

    kind: Literal["fleiss_kappa"] = Field("fleiss_kappa", description="Result type tag.")
    estimate: float | None = Field(description="Fleiss' kappa; None when undefined.")
    se: float | None = Field(description="Standard error under kappa = 0 (irr's SEkappa).")
    z: float | None = Field(description="estimate / se.")
    p_value: float | None = Field(description="Two-sided normal p-value of z.")
    observed: float = Field(description="Mean pairwise agreement over subjects (irr's agreeP).")
    expected: float = Field(description="Chance agreement, sum of squared level shares.")
    n: int = Field(description="Subjects rated by every rater (irr drops incomplete rows).")
    n_missing: int = Field(description="Subjects dropped for a missing rating.")
    raters: int = Field(description="Number of raters (columns).")
    levels: tuple[str, ...] = Field(description="The levels counted (declared or observed).")
    categories: pd.DataFrame = Field(
        description="Per level: share, kappa, se, z, p_value (irr's detail; NaN for a level "
        "nobody used)."
    )
    undefined: str | None = Field(description="Why kappa is undefined; None when defined.")


def fleiss_kappa(ratings: Any, *, levels: Sequence[Any] | None = None) -> FleissKappaResult:
    """Fleiss' kappa of a subjects x raters table of labels (irr ``kappam.fleiss``).

    ``levels`` fixes the categories (a level nobody used adds nothing to kappa); a label
    outside them is an error. Subjects with any missing rating are dropped (irr's
    ``na.omit``) and counted. Needs at least 2 raters and 1 complete subject.
    """
    columns = rater_columns(ratings)
    m = len(columns)
    if m < 2:
        raise StatisticsError(f"Fleiss' kappa needs at least 2 raters (columns), got {m}")
    coded, labels = code_ratings(columns, [f"rater {j + 1}" for j in range(m)], levels)
    codes = np.column_stack(coded)
    complete = (codes >= 0).all(axis=1)
    codes = codes[complete]
    ns = int(codes.shape[0])
    if ns == 0:
        raise StatisticsError("no subject was rated by every rater")
    n_levels = len(labels)
    ttab = np.zeros((ns, n_levels), dtype=np.float64)
    for j in range(m):
        np.add.at(ttab, (np.arange(ns), codes[:, j]), 1.0)
    total = float(ns * m)
    agree_p = float(np.sum((np.sum(ttab**2, axis=1) - m) / (m * (m - 1)) / ns))
    pj = ttab.sum(axis=0) / total
    chance_p = float(np.sum(pj**2))
    qj = 1.0 - pj
    with np.errstate(divide="ignore", invalid="ignore"):
        pjk = (np.sum(ttab**2, axis=0) - total * pj) / (total * (m - 1) * pj)
        kappa_k = (pjk - pj) / (1.0 - pj)
    se_k = float(np.sqrt(2.0 / (total * (m - 1))))
    z_k = kappa_k / se_k
    categories = pd.DataFrame(
        {
            "level": labels,
            "share": pj,
            "kappa": kappa_k,
            "se": se_k,
            "z": z_k,
            "p_value": 2.0 * norm.sf(np.abs(z_k)),
        }
    )
    undefined: str | None = None
    estimate = se = z = p = None
    spq = float(np.sum(pj * qj))
    if chance_p >= 1.0 - 1e-12:
        undefined = "Fleiss' kappa is undefined: every rating is the same level (expected 1)"
    else:
        estimate = (agree_p - chance_p) / (1.0 - chance_p)
        var = (2.0 / (spq**2 * (total * (m - 1)))) * (spq**2 - float(np.sum(pj * qj * (qj - pj))))
        se = float(np.sqrt(var))
        z = estimate / se
        p = float(2.0 * norm.sf(abs(z)))
    return FleissKappaResult(
        estimate=estimate,
        se=se,
        z=z,
        p_value=p,
        observed=agree_p,
        expected=chance_p,
        n=ns,
        n_missing=int((~complete).sum()),
        raters=m,
        levels=tuple(labels),
        categories=categories,
        undefined=undefined,
    )
