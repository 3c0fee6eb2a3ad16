"""logistic_model: a clinical prediction model fitted on train, predicting every patient."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from remarkit import AppliedResult, Needs, Unit, UnitContext, UnitResult
from remarkit.modeling.columns import check_columns, name_patients
from remarkit.modeling.fit import fit_model
from remarkit.modeling.frozen import (
    Coefficient,
    check_new_cohort,
    freeze,
    linear_predictor,
    prediction_columns,
)
from remarkit.modeling.rows import CiMethod, LogisticParams, VariableFit


class LogisticModelParams(LogisticParams):
    """The ``[[unit]]`` table of a logistic_model unit."""

    title: str = Field(default="", description="Model name in the report (default: the unit id)")


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
        coefficients, levels = freeze(model)
        lp = linear_predictor(ctx.cohort.data, coefficients, levels)
        unpredicted = [str(i) for i in lp.index[lp.isna()]]
        if unpredicted:
            notes.append(
                f"no prediction for {len(unpredicted)} patient(s) with a missing predictor or a "
                f"level the training set lacks: {name_patients(unpredicted)}"
            )
        title = params.title or ctx.unit_id
        columns = prediction_columns(lp, title)
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

    def apply(
        self,
        ctx: UnitContext,
        params: LogisticModelParams,
        fitted: LogisticModelResult,
        fitted_dir: Path,
    ) -> AppliedResult:
        """Predict a new cohort with the frozen coefficients (nothing refitted)."""
        data = ctx.cohort.data
        check_new_cohort(data, fitted.predictors, fitted.levels, fitted.title)
        lp = linear_predictor(data, fitted.coefficients, fitted.levels)
        unscored = [str(i) for i in lp.index[lp.isna()]]
        notes = []
        if unscored:
            notes.append(
                f"no prediction for {len(unscored)} patient(s) with a missing predictor: "
                f"{name_patients(unscored)}"
            )
        return AppliedResult(
            unit=self.name,
            n=len(data),
            scored=len(data) - len(unscored),
            unscored=unscored,
            frozen={"terms": len(fitted.coefficients), "training patients": fitted.n},
            summary=f"{fitted.title}: frozen logistic coefficients applied",
            columns=prediction_columns(lp, fitted.title),
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
