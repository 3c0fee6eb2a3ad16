"""A frozen logistic model: its coefficients and how it predicts a (new) cohort."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import DerivedColumn, InputError
from remarkit.modeling.columns import is_categorical
from remarkit.modeling.fit import ModelFit


class Coefficient(BaseModel):
    """One coefficient of the frozen model (log-odds scale), for export and re-application."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="'(Intercept)', 'variable' or 'variable[level]'")
    variable: str | None = Field(description="Column name (None for the intercept)")
    level: str | None = Field(description="Level of a categorical variable")
    coef: float = Field(description="Coefficient (log odds)")


def linear_predictor(
    data: pd.DataFrame, coefficients: list[Coefficient], levels: dict[str, list[str]]
) -> pd.Series:
    """Intercept + sum of coefficient x value; NaN for a missing value or an unknown level."""
    lp = pd.Series(0.0, index=data.index)
    for c in coefficients:
        if c.variable is None:
            lp += c.coef
        elif c.level is None:
            lp += c.coef * data[c.variable].astype(float)
        else:
            lp += c.coef * (data[c.variable].astype(object) == c.level).astype(float)
    for column, known in levels.items():
        values = data[column].astype(object)
        lp[values.isna() | ~values.isin(known)] = np.nan
    for c in coefficients:
        if c.variable is not None and c.level is None:
            lp[data[c.variable].isna()] = np.nan
    return lp


def check_new_cohort(
    data: pd.DataFrame, predictors: list[str], levels: dict[str, list[str]], model: str
) -> None:
    """A new cohort must carry every predictor and no categorical level unseen at training.

    Raises a one-line :class:`InputError` naming the model, the column and the patients.
    """
    missing = [c for c in predictors if c not in data.columns]
    if missing:
        raise InputError(
            f"the frozen model '{model}' needs predictor(s) {missing}, which the new cohort "
            "lacks (neither a cohort variable nor a column of an applied unit)",
            column=missing[0],
        )
    for column, known in levels.items():
        values = data[column].astype(object)
        unseen = values.notna() & ~values.isin(known)
        if unseen.any():
            found = sorted({str(v) for v in values[unseen]})
            ids = ", ".join(str(i) for i in values.index[unseen][:5])
            raise InputError(
                f"level(s) {found} of '{column}' were not seen when the frozen model '{model}' "
                f"was fitted (known: {known}); patients {ids}",
                column=column,
            )


def prediction_columns(lp: pd.Series, title: str) -> list[DerivedColumn]:
    """The predicted probability and the linear predictor as derived columns (None if missing)."""
    probability = 1.0 / (1.0 + np.exp(-lp))
    ids = [str(i) for i in lp.index]
    return [
        DerivedColumn(
            name="probability",
            kind="continuous",
            ids=ids,
            values=[None if math.isnan(v) else float(v) for v in probability],
            label=f"{title}: predicted probability",
        ),
        DerivedColumn(
            name="linear_predictor",
            kind="continuous",
            ids=ids,
            values=[None if math.isnan(v) else float(v) for v in lp],
            label=f"{title}: linear predictor (log odds)",
        ),
    ]


def freeze(model: ModelFit) -> tuple[list[Coefficient], dict[str, list[str]]]:
    """The fitted model's coefficients (intercept first) and its categorical levels (reference
    first), as applied to any cohort by :func:`linear_predictor`."""
    coefficients = [
        Coefficient(term="(Intercept)", variable=None, level=None, coef=model.intercept)
    ]
    coefficients += [
        Coefficient(term=t.term, variable=t.variable, level=t.level, coef=t.coef)
        for v in model.variables
        for t in v.terms
    ]
    data = model.frame.data
    levels = {
        v.variable: [str(x) for x in data[v.variable].cat.categories]
        for v in model.variables
        if is_categorical(data[v.variable])
    }
    return coefficients, levels
