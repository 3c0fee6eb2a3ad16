"""Missing data per analysis: who an analysis of the binary outcome or of a predictor leaves out.

A patient with a missing binary outcome stays in the cohort (its outcome is NaN): analyses of the
outcome leave them out, every other analysis (survival, scores, derived columns) keeps them.
Units record the patients they leave out as :class:`~remarkit.engine.unit.Exclusion` entries with
one of the reasons below; the report's notes and the REMARK profile show them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from remarkit.engine.unit import Exclusion

MISSING_OUTCOME = "missing outcome"
MISSING_PREDICTOR = "missing predictor"
MISSING_SCORE = "missing score"
MISSING_SURVIVAL = "missing survival data"


def unknown_outcome(outcome: pd.Series, mask: pd.Series | None = None) -> list[str]:
    """Ids of the patients (within ``mask``) whose binary outcome is missing, in cohort order."""
    missing = outcome.isna()
    if mask is not None:
        missing &= mask.reindex(outcome.index, fill_value=False).astype(bool)
    return [str(i) for i in outcome.index[missing.to_numpy()]]


def exclusion(reason: str, ids: Iterable[object], scope: str = "") -> list[Exclusion]:
    """One :class:`Exclusion` for ``ids`` (as a list, empty when there are none)."""
    shown = [str(i) for i in ids]
    return [Exclusion(reason=reason, ids=shown, scope=scope)] if shown else []


def describe(exclusions: Iterable[Exclusion]) -> str:
    """``3 for a missing outcome, 2 for a missing predictor`` (summed by reason), or ''."""
    totals: dict[str, set[str]] = {}
    for item in exclusions:
        totals.setdefault(item.reason, set()).update(item.ids)
    return ", ".join(f"{len(ids)} for a {reason}" for reason, ids in totals.items())
