"""Continuous scales of the univariable/multivariable logistic units, fitted on training data.

Each continuous variable's scale (:mod:`remarkit.modeling.scaling`) is computed on the observed
values of the training patients with a known outcome (the patients these units analyse; under
multiple imputation, the values before imputation), never on test patients, then frozen: the
training frames (and every completed data set) carry ``x / factor`` (``log2(x)`` per doubling),
so exp(coef) is the odds ratio per that step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from remarkit import InputError, UnitContext
from remarkit.modeling.columns import is_categorical
from remarkit.modeling.pooled import ImputedTraining
from remarkit.modeling.rows import ScaledVariableFit, VariableFit
from remarkit.modeling.scaling import Scale, ScaleFit, fit_scale
from remarkit.modeling.score_scales import default_scale
from remarkit.modeling.training import TrainFrame


def training_scales(
    ctx: UnitContext, variables: Sequence[str], scale: Mapping[str, Scale]
) -> dict[str, ScaleFit]:
    """The frozen scale of every continuous variable from its observed training values.

    A variable without a ``scale`` is per 1 unit, a score derived by an upstream unit per SD.
    """
    cohort = ctx.cohort
    known = cohort.train & cohort.outcome_known
    out: dict[str, ScaleFit] = {}
    for column in variables:
        series = cohort.data[column]
        if is_categorical(series):
            if column in scale:
                raise InputError(
                    f"scale given for '{column}', which is categorical", field=f"scale.{column}"
                )
            continue
        out[column] = fit_scale(
            series[known],
            default_scale(ctx, column, scale),
            variable=column,
            field=f"scale.{column}",
        )
    return out


def scale_frame(frame: TrainFrame, scales: Mapping[str, ScaleFit]) -> TrainFrame:
    """``frame`` with each scaled column on its scale (per-unit columns untouched)."""
    data = frame.data.copy()
    for column, fitted in scales.items():
        if column in data.columns and fitted.scale != "unit":
            data[column] = fitted.transform(data[column])
    return replace(frame, data=data)


def scale_imputed(imputed: ImputedTraining, scales: Mapping[str, ScaleFit]) -> ImputedTraining:
    """Every completed data set on the scales (the observed data, used for counts, unchanged).

    The imputation ran on the original values; predictive mean matching imputes observed
    values, so every imputed value lies in the domain the scale was checked on.
    """
    return replace(imputed, frames=[scale_frame(f, scales) for f in imputed.frames])


def with_scales(
    fits: Sequence[VariableFit], scales: Mapping[str, ScaleFit]
) -> list[ScaledVariableFit]:
    """The fits with their variables' scales attached."""
    return [
        ScaledVariableFit(**f.model_dump(), scale=scales.get(f.variable))
        if not isinstance(f, ScaledVariableFit)
        else f
        for f in fits
    ]


def scales_sentence(fits: Sequence[ScaledVariableFit], *, imputed: bool) -> str:
    """The Methods sentence on the continuous scales ('' without continuous variables)."""
    continuous = [f for f in fits if f.scale is not None]
    if not continuous:
        return ""
    scaled = [f for f in continuous if f.scale is not None and f.scale.scale != "unit"]
    if not scaled:
        return " Odds ratios of continuous variables are per 1 unit."
    shown = "; ".join(f"{f.label} {f.scale.phrase(f.unit)}" for f in scaled if f.scale)
    kinds = {f.scale.scale for f in scaled if f.scale}
    where = (
        "the observed (not imputed) values of the training patients"
        if imputed
        else "the training patients with a value"
    )
    how = []
    if kinds & {"sd", "iqr"}:
        how.append(f"SD and IQR, type-7 quartiles, of {where}")
    if "log2" in kinds:
        how.append("per doubling, log2 of the value")
    return f" Odds ratios of continuous variables are per 1 unit except {shown} ({'; '.join(how)})."
