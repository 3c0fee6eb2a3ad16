"""logistic_model: a clinical prediction model fitted on train, predicting every patient."""

from __future__ import annotations

from importlib.metadata import version
from typing import Literal

from pydantic import Field

from remarkit import BINARY_OUTCOME, AppliedResult, Fitted, Needs, Unit, UnitContext, population
from remarkit.modeling import training
from remarkit.modeling.columns import check_columns
from remarkit.modeling.crossfit import DEFAULT_FOLDS
from remarkit.modeling.crossfit_logistic import auc, oof_columns, out_of_fold_lp
from remarkit.modeling.fit import fit_model
from remarkit.modeling.frozen import (
    check_new_cohort,
    freeze,
    linear_predictor,
    prediction_columns,
)
from remarkit.modeling.results import FrozenModelResult, split_predictions, unpredicted_note
from remarkit.modeling.score_scales import (
    FrozenLogisticParams,
    frame_scales,
    frozen_scales_sentence,
    rescaled,
)
from remarkit.report.labels import outcome_names


class LogisticModelParams(FrozenLogisticParams):
    """The ``[[unit]]`` table of a logistic_model unit."""

    title: str = Field(default="", description="Model name in the report (default: the unit id)")
    crossfit_folds: int = Field(
        default=DEFAULT_FOLDS,
        ge=2,
        le=20,
        description="Folds of the out-of-fold training predictions (linear_predictor_oof, "
        "probability_oof) that cross-fitted downstream models use",
    )


class LogisticModelResult(FrozenModelResult):
    """A frozen clinical logistic model: coefficients, ORs, predicted probabilities."""

    kind: Literal["logistic_model"] = "logistic_model"
    crossfit_folds: int | None = Field(
        default=None, description="Folds of the out-of-fold linear predictor (None: not formed)"
    )
    apparent_auc: float | None = Field(default=None, description="Training AUC of the fit")
    cv_auc: float | None = Field(
        default=None, description="Training AUC of the out-of-fold linear predictor"
    )


class LogisticModel(Unit[LogisticModelParams, LogisticModelResult]):
    """Fit a named set of predictors on train; predict every patient with the frozen model."""

    name = "logistic_model"
    title = "Clinical logistic model"
    family = "clinical"
    version = "1.1"  # 1.1: out-of-fold predictions, scores per SD
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
        oof = out_of_fold_lp(model, levels, params.crossfit_folds, ctx.seed)
        if oof.failed_folds:
            notes.append(
                f"{oof.failed_folds} of {params.crossfit_folds} cross-fitting folds could not be "
                "refitted; their patients have no out-of-fold linear predictor"
            )
        ids = [str(i) for i in ctx.cohort.data.index]
        columns = prediction_columns(lp, title) + oof_columns(oof, ids, title)
        y_fit = model.frame.data[training.OUTCOME]
        return LogisticModelResult(
            title=title,
            outcome=outcome_names(ctx.cohort.spec.binary_outcome())[0],
            ci=params.ci,
            level=params.level,
            predictors=list(params.variables),
            n=model.n,
            events=model.events,
            epv=model.epv,
            variables=rescaled(
                model.variables,
                frame_scales(ctx, model.frame.data, list(params.variables), params.scale),
            ),
            coefficients=coefficients,
            levels=levels,
            predictions=split_predictions(ctx.cohort.split, lp),
            unpredicted=unpredicted,
            columns=columns,
            warnings=notes,
            exclusions=model.frame.exclusions(),
            populations=[population("train", BINARY_OUTCOME, model.n, model.events, "model fit")],
            crossfit_folds=params.crossfit_folds,
            apparent_auc=auc(y_fit, lp[model.frame.data.index]),
            cv_auc=auc(y_fit, oof.lp),
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
            f"missing predictor received none.{frozen_scales_sentence(result.variables)}"
            f"{_oof_sentence(result)} "
            f"Software: remarkit.stats (statsmodels {version('statsmodels')})."
        )


def _oof_sentence(result: LogisticModelResult) -> str:
    if result.crossfit_folds is None:
        return ""
    text = (
        f" Each training patient's out-of-fold prediction (the model refitted on the other "
        f"{result.crossfit_folds - 1} of {result.crossfit_folds} folds, stratified and seeded "
        "from the study seed) is published for cross-fitted downstream models"
    )
    if result.cv_auc is not None and result.apparent_auc is not None:
        text += (
            f"; apparent training AUC {result.apparent_auc:.3f}, out-of-fold {result.cv_auc:.3f}"
        )
    return text + "."
