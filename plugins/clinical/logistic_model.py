"""logistic_model: a clinical prediction model fitted on train, predicting every patient."""

from __future__ import annotations

from importlib.metadata import version
from typing import Literal

from pydantic import Field

from remarkit import AppliedResult, Fitted, Needs, Unit, UnitContext
from remarkit.engine.population import BINARY, population
from remarkit.modeling.columns import check_columns
from remarkit.modeling.fit import fit_model
from remarkit.modeling.frozen import (
    check_new_cohort,
    freeze,
    linear_predictor,
    prediction_columns,
)
from remarkit.modeling.results import FrozenModelResult, split_predictions, unpredicted_note
from remarkit.modeling.rows import LogisticParams
from remarkit.report.labels import outcome_names


class LogisticModelParams(LogisticParams):
    """The ``[[unit]]`` table of a logistic_model unit."""

    title: str = Field(default="", description="Model name in the report (default: the unit id)")


class LogisticModelResult(FrozenModelResult):
    """A frozen clinical logistic model: coefficients, ORs, predicted probabilities."""

    kind: Literal["logistic_model"] = "logistic_model"


class LogisticModel(Unit[LogisticModelParams, LogisticModelResult]):
    """Fit a named set of predictors on train; predict every patient with the frozen model."""

    name = "logistic_model"
    title = "Clinical logistic model"
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
            notes.append(unpredicted_note(unpredicted, training=True))
        title = params.title or ctx.unit_id
        columns = prediction_columns(lp, title)
        return LogisticModelResult(
            title=title,
            outcome=outcome_names(ctx.cohort.spec.binary_outcome())[0],
            ci=params.ci,
            level=params.level,
            predictors=list(params.variables),
            n=model.n,
            events=model.events,
            epv=model.epv,
            variables=model.variables,
            coefficients=coefficients,
            levels=levels,
            predictions=split_predictions(ctx.cohort.split, lp),
            unpredicted=unpredicted,
            columns=columns,
            warnings=notes,
            exclusions=model.frame.exclusions(),
            populations=[population("train", BINARY, model.n, model.events, "model fit")],
        )

    def apply(
        self,
        ctx: UnitContext,
        params: LogisticModelParams,
        fitted: Fitted[LogisticModelResult],
    ) -> AppliedResult:
        """Predict a new cohort with the frozen coefficients (nothing refitted)."""
        trained = fitted.result
        data = ctx.cohort.data
        check_new_cohort(data, trained.predictors, trained.levels, trained.title)
        lp = linear_predictor(data, trained.coefficients, trained.levels)
        unscored = [str(i) for i in lp.index[lp.isna()]]
        notes = []
        if unscored:
            notes.append(unpredicted_note(unscored, training=False))
        return AppliedResult(
            unit=self.name,
            n=len(data),
            scored=len(data) - len(unscored),
            unscored=unscored,
            frozen={"terms": len(trained.coefficients), "training patients": trained.n},
            summary=f"{trained.title}: frozen logistic coefficients applied",
            columns=prediction_columns(lp, trained.title),
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
