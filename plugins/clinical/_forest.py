"""Forest-plot rows from the logistic units' variable fits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from remarkit.modeling.rows import ScaledVariableFit, TermRow, VariableFit
from remarkit.report.formatting import p_phrase, sig

if TYPE_CHECKING:
    from remarkit.report.plots.forest import ForestRow


def _text(term: TermRow) -> str:
    if not term.estimable:
        return "not estimable"
    return (
        f"{sig(term.odds_ratio)} ({sig(term.lower)}\u2013{sig(term.upper)})  "
        f"{p_phrase(term.p_value)}"
    )


def _label(fit: VariableFit) -> str:
    """'Age' or, on another scale than per 1 unit, 'Age, per SD = 8.87 years'."""
    scale = fit.scale if isinstance(fit, ScaledVariableFit) else None
    if scale is None or scale.scale == "unit":
        return fit.label
    return f"{fit.label}, {scale.phrase(fit.unit)}"


def forest_rows(fits: Sequence[VariableFit]) -> list[ForestRow]:
    """A heading per categorical variable (reference named), one row per estimated term."""
    from remarkit.report.plots.forest import ForestRow

    rows: list[ForestRow] = []
    for fit in fits:
        if not fit.terms:
            rows.append(ForestRow(label=fit.label, text=f"not fitted: {fit.note}", heading=True))
            continue
        if fit.type == "categorical":
            rows.append(
                ForestRow(label=fit.label, text=f"reference: {fit.reference}", heading=True)
            )
        for term in fit.terms:
            shown = term.estimable
            rows.append(
                ForestRow(
                    label=term.level if term.level is not None else _label(fit),
                    estimate=term.odds_ratio if shown else None,
                    lower=term.lower if shown else None,
                    upper=term.upper if shown else None,
                    text=_text(term),
                    indent=term.level is not None,
                )
            )
    return rows
