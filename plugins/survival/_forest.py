"""Forest-plot rows from the Cox units' variables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from remarkit.plugins.survival._rows import CoxTerm, CoxVariable
from remarkit.report.formatting import p_phrase, sig

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from remarkit.report.plots.forest import ForestRow


def _text(term: CoxTerm) -> str:
    return (
        f"{sig(term.hazard_ratio)} ({sig(term.lower)}\u2013{sig(term.upper)})  "
        f"{p_phrase(term.p_value)}"
    )


def _label(variable: CoxVariable) -> str:
    if variable.scale is None or variable.scale.scale == "unit":
        return variable.label
    return f"{variable.label}, {variable.scale.phrase(variable.unit)}"


def forest_rows(variables: Sequence[CoxVariable]) -> list[ForestRow]:
    """A heading per categorical variable (reference named), one row per estimated term."""
    from remarkit.report.plots.forest import ForestRow

    rows: list[ForestRow] = []
    for v in variables:
        if not v.terms:
            rows.append(ForestRow(label=v.label, text=f"not fitted: {v.note}", heading=True))
            continue
        if v.type == "categorical":
            rows.append(ForestRow(label=v.label, text=f"reference: {v.reference}", heading=True))
        for term in v.terms:
            rows.append(
                ForestRow(
                    label=term.level if term.level is not None else _label(v),
                    estimate=term.hazard_ratio,
                    lower=term.lower,
                    upper=term.upper,
                    text=_text(term),
                    indent=term.level is not None,
                )
            )
    return rows


def cox_forest(variables: Sequence[CoxVariable], level: float, *, title: str) -> Figure:
    """The forest plot of hazard ratios."""
    from remarkit.report.plots.forest import forest_plot

    return forest_plot(
        forest_rows(variables),
        xlabel=f"Hazard ratio ({100 * level:g}% CI, log scale)",
        title=title,
    )
