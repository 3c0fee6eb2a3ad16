"""The integrator's nomogram: rms::nomogram scales from the frozen model, and its figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from remarkit import FigureRef, UnitContext
from remarkit.cells import cell_float
from remarkit.modeling.fit import ModelFit
from remarkit.modeling.frozen import Coefficient
from remarkit.plugins.integrators.result import NomogramAxes, NomogramTick

if TYPE_CHECKING:
    from remarkit.stats.nomogram import NomogramPredictor, NomogramResult


def compute_nomogram(
    model: ModelFit, coefficients: list[Coefficient], fitted_lp: pd.Series
) -> NomogramResult:
    """Points scales for the fitted model; continuous axes span the training data's range."""
    from remarkit.stats.nomogram import NomogramPredictor, nomogram

    data = model.frame.data
    predictors: list[NomogramPredictor] = []
    for v in model.variables:
        terms = [c for c in coefficients if c.variable == v.variable]
        if v.type == "continuous":
            predictors.append(
                NomogramPredictor(
                    name=v.variable,
                    kind="continuous",
                    coefficient=terms[0].coef,
                    minimum=float(data[v.variable].min()),
                    maximum=float(data[v.variable].max()),
                )
            )
        else:
            levels = {str(c): 0.0 for c in data[v.variable].cat.categories}
            levels.update({str(t.level): t.coef for t in terms})
            predictors.append(NomogramPredictor(name=v.variable, kind="categorical", levels=levels))
    return nomogram(predictors, model.intercept, fitted_lp.to_numpy(dtype=float).tolist())


def to_axes(result: NomogramResult) -> NomogramAxes:
    """The nomogram's scales as plain result rows."""
    return NomogramAxes(
        ticks=[
            NomogramTick(variable=str(r.variable), value=str(r.value), points=cell_float(r.points))
            for r in result.points.itertuples(index=False)
        ],
        scale=result.scale,
        intercept=result.intercept,
        total_points=result.total_points,
        probability=[float(p) for p in result.probability["probability"]],
        probability_points=[float(p) for p in result.probability["points"]],
    )


def draw_nomogram(
    ctx: UnitContext, result: NomogramResult, model: ModelFit, title: str
) -> FigureRef:
    """Save the nomogram figure (predictor labels from the model's variables)."""
    from remarkit.report.plots.nomogram import nomogram_figure

    labels = {v.variable: v.label for v in model.variables}
    figure = nomogram_figure(result, labels=labels, probability_label="Predicted probability")
    return ctx.save_figure(
        "nomogram",
        figure,
        f"Nomogram of {title}: read each predictor's points on the top axis, add them, and read "
        "the predicted probability under the total points (scales as rms::nomogram).",
    )
