"""Scales of continuous predictors in regression tables: per unit, per SD, per IQR, per doubling.

A hazard or odds ratio "per 1 unit" of a variable measured in hundreds prints as 1.000
(1.000-1.000). A regression unit therefore lets each continuous variable take a ``scale``; the
scale's factor (the SD or IQR) is computed on the patients the unit fits on (the training set,
or the whole cohort for a unit asked to fit on it) and only there, then frozen: the model is fitted
on ``x / factor`` (``log2(x)`` for per doubling), so exp(coef) is the ratio per that step. The
table note states each scale with its factor.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import InputError

Scale = Literal["unit", "sd", "iqr", "log2"]
SCALES: tuple[str, ...] = ("unit", "sd", "iqr", "log2")


class ScaleFit(BaseModel):
    """The frozen scale of one continuous predictor: what one step of its ratio means."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Column name")
    scale: Scale = Field(description="'unit', 'sd', 'iqr' or 'log2' (per doubling)")
    factor: float = Field(
        description="Divisor applied before fitting (the SD or IQR; 1 for 'unit' and 'log2')"
    )
    n: int = Field(description="Patients the factor was computed on")

    def transform(self, values: pd.Series) -> pd.Series:
        """``values`` on this scale: divided by the factor, or log2 for per doubling."""
        x = values.astype(float)
        if self.scale == "log2":
            return pd.Series(np.log2(x.to_numpy()), index=values.index, name=values.name)
        return x / self.factor

    def phrase(self, unit: str = "") -> str:
        """'per 1 unit', 'per SD = 12.3 years', 'per IQR = 4.5' or 'per doubling'."""
        shown = f" {unit}" if unit else ""
        if self.scale == "unit":
            return "per 1 unit"
        if self.scale == "log2":
            return "per doubling"
        return f"per {self.scale.upper()} = {_fmt(self.factor)}{shown}"


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"


def fit_scale(values: pd.Series, scale: Scale, *, variable: str, field: str) -> ScaleFit:
    """The scale of ``variable`` from ``values`` (the fitting patients; missing values ignored).

    SD has the n - 1 denominator and IQR R's default (type 7) quartiles. A scale that cannot be
    formed (fewer than two values, a zero SD or IQR, a value <= 0 under 'log2') is a one-line
    :class:`InputError` naming ``field``.
    """
    x = values.dropna().astype(float).to_numpy()
    if scale == "unit":
        return ScaleFit(variable=variable, scale=scale, factor=1.0, n=int(x.size))
    if scale == "log2":
        bad = int((x <= 0).sum())
        if bad:
            raise InputError(
                f"'{variable}' has {bad} value(s) <= 0; a per-doubling scale needs values > 0",
                field=field,
            )
        return ScaleFit(variable=variable, scale=scale, factor=1.0, n=int(x.size))
    if x.size < 2:
        raise InputError(
            f"'{variable}' has {x.size} value(s); a per-{scale.upper()} scale needs at least two",
            field=field,
        )
    if scale == "sd":
        factor = float(np.std(x, ddof=1))
    else:
        q1, q3 = np.percentile(x, [25.0, 75.0])
        factor = float(q3 - q1)
    if not math.isfinite(factor) or factor <= 0:
        raise InputError(
            f"'{variable}' has {scale.upper()} = {factor:g}; choose another scale", field=field
        )
    return ScaleFit(variable=variable, scale=scale, factor=factor, n=int(x.size))
