"""Multiplicity adjustment of an evaluator's family of p-values (R's p.adjust)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field

from remarkit.stats import p_adjust

Adjustment = Literal["holm", "hochberg", "bonferroni", "BH", "BY", "none"]


def adjustment_field(default: Adjustment, family: str) -> Any:
    """The ``p_adjust`` parameter: which adjustment ``p.adjust`` applies over ``family``."""
    return Field(
        default=default,
        description=f"Adjustment of the p-values for multiplicity over {family}, as R "
        "p.adjust: 'holm' (family-wise error), 'hochberg', 'bonferroni', 'BH' / 'BY' (false "
        "discovery rate) or 'none'; raw and adjusted p-values are both reported",
    )


def adjusted(
    p_values: Sequence[float | None], method: Adjustment, confirmatory: Sequence[bool] = ()
) -> list[float | None]:
    """Adjusted p-values in input order (None where p is None).

    Entries flagged ``confirmatory`` (the declared primary analysis) keep their raw p-value and
    are left out of the family the others are adjusted over.
    """
    flags = list(confirmatory) or [False] * len(p_values)
    family = [i for i, p in enumerate(p_values) if p is not None and not flags[i]]
    out: list[float | None] = [p if flags[i] else None for i, p in enumerate(p_values)]
    values = p_adjust([p_values[i] for i in family], method).adjusted
    for i, value in zip(family, values, strict=True):
        out[i] = value
    return out
