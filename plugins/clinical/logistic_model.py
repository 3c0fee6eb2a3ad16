"""logistic_model: a clinical prediction model fitted on train, predicting every patient."""

from __future__ import annotations

import math
from importlib.metadata import version
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import DerivedColumn, Needs, Unit, UnitContext, UnitResult
from remarkit.plugins.clinical._common import check_columns, is_categorical, name_patients
from remarkit.plugins.clinical._model_fit import fit_model
from remarkit.plugins.clinical.logistic_models import CiMethod, LogisticParams, VariableFit


class LogisticModelParams(LogisticParams):
    """The ``[[unit]]`` table of a logistic_model unit."""

    title: str = Field(default="", description="Model name in the report (default: the unit id)")


class Coefficient(BaseModel):
    """One coefficient of the frozen model (log-odds scale), for export and re-application."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="'(Intercept)', 'variable' or 'variable[level]'")
    variable: str | None = Field(description="Column name (None for the intercept)")
    level: str | None = Field(description="Level of a categorical variable")
    coef: float = Field(description="Coefficient (log odds)")


class SplitPredictions(BaseModel):
    """How many patients of a split got a predicted probability."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    split: Literal["train", "test"]
    n: int = Field(description="Patients in the split")
    predicted: int = Field(description="Patients with a prediction")


class LogisticModelResult(UnitResult):
    """A frozen logistic model: coefficients, ORs, and predicted probabilities for everyone."""

    kind: Literal["logistic_model"] = "logistic_model"
    title: str = Field(description="Model name")
    outcome: str = Field(description="Label of the modelled (positive) outcome")
    ci: CiMethod = Field(description="Confidence interval method")
    level: float = Field(description="Confidence level")
    predictors: list[str] = Field(description="Model variables")
    n: int = Field(description="Training patients in the fit (complete cases)")
    events: int = Field(description="Of those, with the positive outcome")
    epv: float = Field(description="Events per variable: min(events, non-events) / model terms")
    variables: list[VariableFit] = Field(description="Model variables with their odds ratios")
    coefficients: list[Coefficient] = Field(description="The frozen model, intercept first")
    levels: dict[str, list[str]] = Field(
        description="Levels of each categorical predictor, reference first"
    )
    predictions: list[SplitPredictions] = Field(description="Predictions per split")
    unpredicted: list[str] = Field(description="Ids without a prediction (missing predictor)")


class LogisticModel(Unit[LogisticModelParams, LogisticModelResult]):
    """Fit a named set of predictors on train; predict every patient with the frozen model."""

    name = "logistic_model"
    family = "clinical"
    version = "1.0"
    Params = LogisticModelParams
    Result = LogisticModelResult
    remark_items = (10,)
    report_section = "models"

    def needs(self, params: LogisticModelParams) -> Needs:
        """The predictor columns and the outcome."""
        return Needs(columns=list(params.variables), outcome=True)

    def run(self, ctx: UnitContext, params: LogisticModelParams) -> LogisticModelResult:
        """Fit on the training set, then apply the frozen coefficients to every patient."""
        check_columns(ctx, params.variables, "variables")
        notes: list[str] = []
        model = fit_model(ctx, list(params.variables), params, notes, field="variables")
        coefficients = [
            Coefficient(term="(Intercept)", variable=None, level=None, coef=model.intercept)
        ]
        coefficients += [
            Coefficient(term=t.term, variable=t.variable, level=t.level, coef=t.coef)
            for v in model.variables
            for t in v.terms
        ]
        levels = {
            c: [str(x) for x in model.frame.data[c].cat.categories]
            for c in params.variables
            if is_categorical(model.frame.data[c])
        }
        lp = linear_predictor(ctx.cohort.data, coefficients, levels)
        unpredicted = [str(i) for i in lp.index[lp.isna()]]
        if unpredicted:
            notes.append(
                f"no prediction for {len(unpredicted)} patient(s) with a missing predictor or a "
                f"level the training set lacks: {name_patients(unpredicted)}"
            )
        probability = 1.0 / (1.0 + np.exp(-lp))
        ids = [str(i) for i in lp.index]
        title = params.title or ctx.unit_id
        columns = [
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
        split = ctx.cohort.split
        return LogisticModelResult(
            title=title,
            outcome=ctx.cohort.spec.outcome.label or ctx.cohort.spec.outcome.positive,
            ci=params.ci,
            level=params.level,
            predictors=list(params.variables),
            n=model.n,
            events=model.events,
            epv=model.epv,
            variables=model.variables,
            coefficients=coefficients,
            levels=levels,
            predictions=[
                SplitPredictions(
                    split=s,
                    n=int((split == s).sum()),
                    predicted=int((lp.notna() & (split == s)).sum()),
                )
                for s in ("train", "test")
            ],
            unpredicted=unpredicted,
            columns=columns,
            warnings=notes,
        )

    def methods(self, result: LogisticModelResult, params: LogisticModelParams) -> str:
        """The Methods paragraph."""
        names = ", ".join(v.label for v in result.variables)
        return (
            f"{result.title} is a logistic regression of {result.outcome} on {names}, "
            f"fitted on the training set (complete cases, n = {result.n}, {result.events} "
            f"events, {result.epv:.1f} events per variable). Its coefficients were frozen and "
            "applied unchanged to every patient to give predicted probabilities; patients with a "
            "missing predictor received none. Software: remarkit.stats (statsmodels "
            f"{version('statsmodels')})."
        )


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
