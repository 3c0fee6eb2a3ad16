"""Continuous scores on a readable scale: odds and hazard ratios per training SD by default.

A score derived by an upstream unit (a radiomics or network probability, a model's linear
predictor) spans a fraction of one unit, so its ratio "per 1 unit" reads as 1.32 (CI
0.000732-2373). Regression units therefore put every continuous derived column on its SD by
default (``default_scale``); cohort variables stay per 1 unit unless a ``scale`` asks otherwise.

Frozen models (logistic_model, logistic_integrator) keep their coefficients on the raw scale
(the nomogram and ``remarkit apply`` use them); only the reported rows are re-expressed per SD
(``rescaled``). The maximum-likelihood fit is equivariant: the coefficient of ``x / s`` is
``s`` times that of ``x``, its SE too, and every confidence bound (Wald or profile) likewise, so
the rows equal those of R's ``glm`` on the scaled score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from remarkit import UnitContext
from remarkit.modeling.columns import is_categorical
from remarkit.modeling.rows import LogisticParams, ScaledVariableFit, TermRow, VariableFit
from remarkit.modeling.scaling import Scale, ScaleFit, fit_scale

FrozenScale = Literal["unit", "sd", "iqr"]


class FrozenLogisticParams(LogisticParams):
    """Parameters of a frozen logistic model (raw coefficients) with its reported scales."""

    scale: dict[str, FrozenScale] = Field(
        default_factory=dict,
        description="Scale of the reported odds ratio per continuous variable: 'unit', 'sd' or "
        "'iqr' (of the training patients in the fit); default 'sd' for scores derived by an "
        "upstream unit, 'unit' for cohort variables. The frozen coefficients stay per 1 unit",
    )

    @model_validator(mode="after")
    def _scales_of_variables(self) -> FrozenLogisticParams:
        unknown = sorted(set(self.scale) - set(self.variables))
        if unknown:
            raise ValueError(f"scale given for variables not analysed: {unknown}")
        return self


def is_score(ctx: UnitContext, column: str) -> bool:
    """Whether ``column`` is a continuous column derived by an upstream unit (a score)."""
    return ctx.cohort.derived_kinds.get(column) == "continuous"


def default_scale(
    ctx: UnitContext, column: str, given: Mapping[str, Scale] | Mapping[str, FrozenScale]
) -> Scale:
    """The scale of ``column``: the one ``given`` for it, else 'sd' for a score, else 'unit'."""
    if column in given:
        return given[column]
    return "sd" if is_score(ctx, column) else "unit"


def frame_scales(
    ctx: UnitContext,
    frame: pd.DataFrame,
    variables: Sequence[str],
    given: Mapping[str, FrozenScale],
) -> dict[str, ScaleFit]:
    """Scales of the continuous ``variables`` from ``frame`` (the rows a model was fitted on)."""
    out: dict[str, ScaleFit] = {}
    for column in variables:
        if is_categorical(frame[column]):
            continue
        out[column] = fit_scale(
            frame[column],
            default_scale(ctx, column, given),
            variable=column,
            field=f"scale.{column}",
        )
    return out


def _exp(x: float) -> float:
    """exp(x), +inf where it overflows (an unbounded odds ratio prints as inf)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _term(term: TermRow, factor: float) -> TermRow:
    if factor == 1.0 or not term.estimable:
        return term
    coef = term.coef * factor
    return term.model_copy(
        update={
            "coef": coef,
            "se": term.se * factor,
            "odds_ratio": _exp(coef),
            "lower": _exp(math.log(term.lower) * factor) if term.lower > 0 else 0.0,
            "upper": _exp(math.log(term.upper) * factor) if math.isfinite(term.upper) else math.inf,
        }
    )


def rescaled(
    fits: Sequence[VariableFit], scales: Mapping[str, ScaleFit]
) -> list[ScaledVariableFit]:
    """The rows of a raw-scale fit re-expressed per each variable's scale (SD or IQR).

    A 'log2' scale cannot be re-expressed from a fit on the raw values and is refused.
    """
    out: list[ScaledVariableFit] = []
    for fit in fits:
        scale = scales.get(fit.variable)
        if scale is not None and scale.scale == "log2":
            raise ValueError(f"{fit.variable}: a per-doubling scale needs a fit on log2 values")
        factor = scale.factor if scale is not None else 1.0
        data = fit.model_dump(exclude={"terms", "scale"})
        terms = [_term(t, factor) for t in fit.terms]
        out.append(ScaledVariableFit(**data, terms=terms, scale=scale))
    return out


def frozen_scales_sentence(fits: Sequence[ScaledVariableFit]) -> str:
    """The Methods sentence on the reported scales of a frozen model ('' when all per 1 unit)."""
    scaled = [f for f in fits if f.scale is not None and f.scale.scale != "unit"]
    if not scaled:
        return ""
    shown = "; ".join(f"{f.label} {f.scale.phrase(f.unit)}" for f in scaled if f.scale)
    return (
        f" Odds ratios of continuous variables are per 1 unit except {shown} (SD and IQR, "
        "type-7 quartiles, of the training patients in the fit; the frozen coefficients and "
        "the nomogram stay per 1 unit)."
    )
