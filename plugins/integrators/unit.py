"""logistic_integrator: a multivariable logistic model over scores and clinical predictors.

Fitted on the training set (complete cases), it gives every patient a predicted probability,
reports ORs with CIs and GVIFs (car::vif), fixes a Youden threshold on the training set, draws
the nomogram (rms::nomogram scales) and writes the frozen model file that ``remarkit apply``
uses to score a new cohort without refitting.
"""

from __future__ import annotations

from importlib.metadata import version

import numpy as np
import pandas as pd

from remarkit import BINARY_OUTCOME, AppliedResult, Fitted, Needs, Unit, UnitContext, population
from remarkit.modeling import training
from remarkit.modeling.columns import check_columns
from remarkit.modeling.crossfit import sources_sentence, training_view
from remarkit.modeling.crossfit_logistic import auc, oof_columns, out_of_fold_lp
from remarkit.modeling.fit import ModelFit, fit_model
from remarkit.modeling.frozen import check_new_cohort, freeze, linear_predictor, prediction_columns
from remarkit.modeling.results import split_predictions, unpredicted_note
from remarkit.modeling.rows import VifRow, ci_phrase
from remarkit.modeling.score_scales import frame_scales, frozen_scales_sentence, rescaled
from remarkit.modeling.thresholds import finite_ties, require_finite_optimum
from remarkit.plugins.integrators.export import MODEL_FILE, read_model, write_model
from remarkit.plugins.integrators.nomogram import compute_nomogram, draw_nomogram, to_axes
from remarkit.plugins.integrators.result import (
    IntegratorParams,
    IntegratorResult,
    Range,
    TrainThreshold,
)
from remarkit.report.labels import outcome_names
from remarkit.text import name_ids


class LogisticIntegrator(Unit[IntegratorParams, IntegratorResult]):
    """Combine phase scores, the marker response and clinical predictors in one frozen model."""

    name = "logistic_integrator"
    title = "Integrated logistic model"
    family = "integrator"
    version = "1.1"  # 1.1: cross-fitted training scores, scores per SD
    Params = IntegratorParams
    Result = IntegratorResult
    remark_items = (10, 16)
    citations = (
        "Harrell FE Jr. rms: Regression Modeling Strategies. R package; nomogram().",
        "Fox J, Monette G. Generalized collinearity diagnostics. J Am Stat Assoc 1992;87:178-183.",
    )

    def needs(self, params: IntegratorParams) -> Needs:
        """The predictor columns (derived ones bring their upstream units) and the outcome."""
        return Needs(columns=list(params.variables), outcome=True)

    def run(self, ctx: UnitContext, params: IntegratorParams) -> IntegratorResult:
        """Fit on train, freeze, predict everyone, fix the threshold, export the model."""
        check_columns(ctx, params.variables, "variables")
        notes: list[str] = []
        variables = list(params.variables)
        fit_ctx, sources = training_view(ctx, variables, params.training_scores)
        model = fit_model(fit_ctx, variables, params, notes, field="variables")
        coefficients, levels = freeze(model)
        title = params.title or ctx.unit_id
        cohort = ctx.cohort
        lp = linear_predictor(cohort.data, coefficients, levels)
        unpredicted = [str(i) for i in lp.index[lp.isna()]]
        if unpredicted:
            notes.append(unpredicted_note(unpredicted, training=True))
        # the training predictions the model was fitted on (out-of-fold scores when cross-fitted)
        fitted_lp = linear_predictor(fit_ctx.cohort.data, coefficients, levels)
        train_lp = fitted_lp.where(cohort.train, lp)
        threshold = _train_threshold(
            cohort.outcome, 1.0 / (1.0 + np.exp(-train_lp)), cohort.train, title
        )
        cross = any(s.source == "cross-fitted" for s in sources)
        oof = out_of_fold_lp(model, levels, params.crossfit_folds, ctx.seed) if cross else None
        if oof is not None and oof.failed_folds:
            notes.append(
                f"{oof.failed_folds} of {params.crossfit_folds} cross-fitting folds could not be "
                "refitted; their patients have no out-of-fold linear predictor"
            )
        fitted_rows = model.frame.data.index
        y_fit = model.frame.data[training.OUTCOME]
        ranges = {
            v.variable: Range(
                minimum=float(model.frame.data[v.variable].min()),
                maximum=float(model.frame.data[v.variable].max()),
            )
            for v in model.variables
            if v.type == "continuous"
        }
        figures = []
        axes = None
        if params.nomogram:
            scales = compute_nomogram(model, coefficients, fitted_lp[fitted_rows])
            axes = to_axes(scales)
            figures.append(draw_nomogram(ctx, scales, model, title))
        upstream = {
            prefix: ctx.upstream[prefix].kind
            for prefix in dict.fromkeys(c.split(".", 1)[0] for c in variables if "." in c)
            if prefix in ctx.upstream
        }
        model_path = ctx.artifact_path(MODEL_FILE)
        outcome = outcome_names(cohort.spec.binary_outcome())[0]
        sha = write_model(
            model_path,
            title=title,
            outcome=outcome,
            predictors=variables,
            coefficients=coefficients,
            levels=levels,
            ranges=ranges,
            threshold=threshold,
            upstream=upstream,
        )
        return IntegratorResult(
            title=title,
            outcome=outcome,
            ci=params.ci,
            level=params.level,
            predictors=variables,
            n=model.n,
            events=model.events,
            populations=[population("train", BINARY_OUTCOME, model.n, model.events, "model fit")],
            epv=model.epv,
            variables=rescaled(
                model.variables, frame_scales(ctx, model.frame.data, variables, params.scale)
            ),
            vif=_vif_rows(model, variables),
            coefficients=coefficients,
            levels=levels,
            ranges=ranges,
            threshold=threshold,
            nomogram=axes,
            predictions=split_predictions(cohort.split, lp),
            unpredicted=unpredicted,
            model_file=ctx.relpath(model_path),
            model_sha256=sha,
            upstream=upstream,
            columns=prediction_columns(lp, title)
            + (oof_columns(oof, [str(i) for i in cohort.data.index], title) if oof else []),
            figures=figures,
            warnings=notes,
            exclusions=model.frame.exclusions(),
            training_scores=params.training_scores,
            score_sources=sources,
            crossfit_folds=params.crossfit_folds if oof else None,
            apparent_auc=auc(y_fit, fitted_lp[fitted_rows]),
            cv_auc=auc(y_fit, oof.lp) if oof else None,
            in_sample_auc=auc(y_fit, lp[fitted_rows]),
        )

    def apply(
        self,
        ctx: UnitContext,
        params: IntegratorParams,
        fitted: Fitted[IntegratorResult],
    ) -> AppliedResult:
        """Score a new cohort with the frozen model file (verified by the engine), nothing
        refitted."""
        trained = fitted.result
        document = read_model(fitted.file(MODEL_FILE, sha256=trained.model_sha256, what="model"))
        data = ctx.cohort.data
        check_new_cohort(data, document.predictors, document.levels, document.title)
        lp = linear_predictor(data, document.coefficients, document.levels)
        unscored = [str(i) for i in lp.index[lp.isna()]]
        notes: list[str] = []
        if unscored:
            notes.append(unpredicted_note(unscored, training=False))
        for column, span in document.ranges.items():
            values = data[column].astype(float)
            outside = values.index[(values < span.minimum) | (values > span.maximum)]
            if len(outside):
                notes.append(
                    f"{column}: {len(outside)} patient(s) outside the training range "
                    f"{span.minimum:.4g} to {span.maximum:.4g} (extrapolated): "
                    f"{name_ids([str(i) for i in outside])}"
                )
        return AppliedResult(
            unit=self.name,
            n=len(data),
            scored=len(data) - len(unscored),
            unscored=unscored,
            frozen={
                "model file sha256": trained.model_sha256,
                "threshold (probability)": document.threshold.value,
                "terms": len(document.coefficients),
            },
            summary=(
                f"{document.title}: frozen coefficients from {MODEL_FILE} applied; high risk at "
                f"a predicted probability >= {document.threshold.value:.4g} (fixed on the "
                "training set)"
            ),
            columns=prediction_columns(lp, document.title),
            warnings=notes,
        )

    def fixed_thresholds(self, unit_id: str, result: IntegratorResult) -> dict[str, float]:
        """The Youden threshold of the predicted probability, fixed on the training set."""
        return {f"{unit_id}.probability": result.threshold.value}

    def methods(self, result: IntegratorResult, params: IntegratorParams) -> str:
        """The Methods paragraph."""
        names = ", ".join(v.label for v in result.variables)
        text = (
            f"{result.title} is a multivariable logistic regression of {result.outcome} on "
            f"{names}, fitted on the training set (complete cases, n = {result.n}, "
            f"{result.events} events, {result.epv:.1f} events per variable); odds ratios with "
            f"{ci_phrase(result.ci, result.level)}s"
        )
        text += (
            " and generalised variance inflation factors (car::vif) are reported. "
            if result.vif
            else " are reported. "
        )
        labels = {v.variable: v.label for v in result.variables}
        folds = result.crossfit_folds or params.crossfit_folds
        text += sources_sentence(result.score_sources, labels, folds).lstrip()
        if result.training_scores == "in-sample":
            text += ' Training scores: in-sample (training_scores = "in-sample").'
        text += frozen_scales_sentence(result.variables)
        text += (
            " Its coefficients were frozen and applied unchanged to every patient. The Youden "
            "threshold of the predicted probability was fixed on the training set "
            f"({result.threshold.value:.3g}, on the values the model was fitted on; of tied "
            "optima the one with the highest sensitivity). "
        )
        if result.cv_auc is not None and result.apparent_auc is not None:
            text += (
                f"Its apparent training AUC was {result.apparent_auc:.3f} and the AUC of its "
                f"out-of-fold linear predictor ({folds}-fold refits of the logistic model on "
                f"the cross-fitted scores) {result.cv_auc:.3f}. "
            )
        if result.nomogram is not None:
            text += (
                "The nomogram scales points as rms::nomogram: the predictor with the widest "
                "range of linear-predictor contributions spans 0-100 points. "
            )
        text += (
            f"The frozen model was exported as {MODEL_FILE} (sha256 {result.model_sha256[:12]}) "
            "for scoring new cohorts (remarkit apply). Software: remarkit.stats (statsmodels "
            f"{version('statsmodels')})."
        )
        return text


def _vif_rows(model: ModelFit, variables: list[str]) -> list[VifRow]:
    if len(variables) < 2:
        return []
    return [
        VifRow(variable=v, label=model.label(v), gvif=g, df=d, gvif_adjusted=a)
        for v, g, d, a in training.fit_vif(model.frame, variables)
    ]


def _train_threshold(
    outcome: pd.Series, probability: pd.Series, train: pd.Series, title: str
) -> TrainThreshold:
    """Youden threshold of the probability among training patients with a prediction and a
    known outcome."""
    from remarkit.stats import youden_threshold

    use = train & probability.notna() & outcome.notna()
    y = outcome[use].to_numpy(dtype=int)
    p = probability[use].to_numpy(dtype=float)
    best = youden_threshold(y, p, direction="<")
    value = require_finite_optimum(best, title, "; the model does not separate the outcomes")
    return TrainThreshold(
        value=value,
        youden=float(best.youden),
        sensitivity=float(best.sensitivity),
        specificity=float(best.specificity),
        tied=finite_ties(best),
    )
