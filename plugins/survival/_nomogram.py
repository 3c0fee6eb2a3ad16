"""Nomogram figures of a multivariable Cox model: one per survival horizon (rms::nomogram)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from remarkit import FigureRef, StatisticsError, UnitContext
from remarkit.plugins.survival._rows import CoxVariable

if TYPE_CHECKING:
    from remarkit.stats import CoxNomogramResult, CoxResult


def axis_label(v: CoxVariable) -> str:
    """A predictor's row label, naming the scale its axis values are on."""
    if v.scale is None or v.scale.scale == "unit":
        return v.label
    if v.scale.scale == "log2":
        return f"log2 {v.label}"
    return f"{v.label} / {v.scale.factor:.4g} ({v.scale.scale.upper()})"


def nomogram_figures(
    ctx: UnitContext,
    model: CoxResult,
    data: pd.DataFrame,
    variables: list[CoxVariable],
    horizons: list[float],
    time_unit: str,
    notes: list[str],
) -> tuple[CoxNomogramResult | None, list[FigureRef]]:
    """``cox_nomogram`` of the fitted model on its fitting data, drawn once per horizon."""
    from remarkit.report.plots.nomogram import nomogram_figure
    from remarkit.stats import cox_nomogram

    try:
        res = cox_nomogram(model, data, horizons)
    except StatisticsError as exc:
        notes.append(f"nomogram not drawn, {exc}")
        return None, []
    labels = {v.variable: axis_label(v) for v in variables}
    figures: list[FigureRef] = []
    for h in horizons:
        axis = res.survival[res.survival.horizon == h]
        scales = res.nomogram.model_copy(
            update={
                "probability": pd.DataFrame(
                    {
                        "probability": axis["survival"].to_numpy(),
                        "points": axis["points"].to_numpy(),
                    }
                )
            }
        )
        survival_label = f"{h:g}-{time_unit} survival"
        figures.append(
            ctx.save_figure(
                f"nomogram_{h:g}",
                nomogram_figure(scales, labels=labels, probability_label=survival_label),
                f"Nomogram of the multivariable Cox model (rms::nomogram of the fitted model): "
                f"points per predictor, their total and the predicted {survival_label}.",
            )
        )
    return res, figures
