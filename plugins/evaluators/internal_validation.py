"""``internal_validation``: Harrell's bootstrap optimism correction of logistic models (REMARK 18).

Each model (outcome ~ predictors, the same specification a ``logistic_model`` unit fitted) is
refitted in B bootstrap samples of its population (default: the training set), as
``rms::validate(lrm(...), B)``: apparent, optimism and corrected AUC, calibration intercept and
slope, and Brier score. Samples are drawn from a seed taken from the unit's seeded generator.
An external validation cohort has no training set (and the applied model is frozen): the unit
refuses to run there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    MISSING_PREDICTOR,
    Cohort,
    InputError,
    Needs,
    Unit,
    UnitContext,
    exclusion,
    unknown_outcome,
)
from remarkit import population as counts_of
from remarkit.modeling.crossfit import training_view
from remarkit.plugins.evaluators._common import (
    drop_missing,
    finite,
    join_labels,
    population_mask,
    require_classes,
    stat,
)
from remarkit.plugins.evaluators._sets import result_set_name, set_name
from remarkit.plugins.evaluators._validation_models import (
    Frequency,
    IndexRow,
    InternalValidationParams,
    InternalValidationResult,
    ModelSpec,
    ModelValidation,
    SelectionRecord,
    SelectionSpec,
)
from remarkit.text import name_ids, versions

if TYPE_CHECKING:
    from remarkit.stats import BootstrapOptimismResult


class InternalValidation(Unit[InternalValidationParams, InternalValidationResult]):
    """Bootstrap optimism-corrected AUC, calibration and Brier score (rms::validate)."""

    name = "internal_validation"
    family = "evaluator"
    version = "1.1"  # 1.1: selection repeated per replicate, cross-fitted scores
    Params = InternalValidationParams
    Result = InternalValidationResult
    remark_items = (18,)
    citations = (
        "Harrell FE, Lee KL, Mark DB. Stat Med 1996;15:361-87.",
        "Efron B, Tibshirani R. An Introduction to the Bootstrap. 1993.",
    )
    report_section = "performance"

    def needs(self, params: InternalValidationParams) -> Needs:
        columns = list(
            dict.fromkeys(
                c
                for m in params.models
                for c in [*m.predictors, *(m.selection.candidates if m.selection else [])]
            )
        )
        return Needs(columns=columns, outcome=True)

    def run(self, ctx: UnitContext, params: InternalValidationParams) -> InternalValidationResult:
        sink: list[str] = []
        cohort = ctx.cohort
        if not cohort.has_training_set:
            raise InputError(
                "internal_validation needs a training set (the bootstrap refits each model on "
                "it), which an external validation cohort does not have"
            )
        mask = population_mask(ctx, params.population)
        unknown = unknown_outcome(cohort.outcome, mask)
        if unknown:
            sink.append(
                f"{len(unknown)} patient(s) with a missing outcome left out of every model "
                f"({name_ids(unknown)})"
            )
        exclusions = exclusion(MISSING_OUTCOME, unknown)
        mask = mask & cohort.outcome_known
        models: list[ModelValidation] = []
        for spec in params.models:
            candidates = spec.selection.candidates if spec.selection else []
            wanted = list(dict.fromkeys([*spec.predictors, *candidates]))
            absent = [c for c in wanted if c not in cohort.data.columns]
            if absent:
                raise InputError(
                    f"{spec.label}: predictor column(s) {', '.join(map(repr, absent))} are not "
                    "in the cohort (nor derived by an upstream unit)"
                )
            view, sources = training_view(ctx, wanted, spec.training_scores)
            seed = int(ctx.rng.integers(0, 2**31 - 1))
            where = f"{spec.label}, {set_name(ctx, params.population).lower()}"
            if spec.selection is not None:
                model = _with_selection(
                    view.cohort, mask, spec, spec.selection, where, params, seed, sink
                )
            else:
                model = _fixed(view.cohort, mask, spec, where, params, seed, sink)
            models.append(model.model_copy(update={"score_sources": sources}))
            exclusions += exclusion(MISSING_PREDICTOR, model.excluded, spec.label)
        return InternalValidationResult(
            population=params.population,
            n_boot=params.n_boot,
            models=models,
            populations=[
                counts_of(params.population, BINARY_OUTCOME, m.n, m.events, m.label) for m in models
            ],
            warnings=sink,
            exclusions=exclusions,
        )

    def methods(self, result: InternalValidationResult, params: InternalValidationParams) -> str:
        labels = join_labels([m.label for m in result.models])
        text = (
            f"{labels} {'were' if len(result.models) > 1 else 'was'} internally validated by "
            f"Harrell's bootstrap: each logistic model was refitted in {result.n_boot} bootstrap "
            f"samples of the {result_set_name(None, result.population).lower()}, and its AUC, calibration "
            "intercept and slope and Brier score were computed on the bootstrap sample and on "
            "the original data; the mean difference (optimism) was subtracted from the "
            'apparent performance (as rms::validate, method "boot"; refits that failed were '
            "left out). Samples were drawn with numpy's default generator from a seed derived "
            f"from the study seed."
        )
        for m in result.models:
            text += " " + _repeated(m)
        return text + f" Software: {versions('numpy', 'statsmodels')}."


def _repeated(m: ModelValidation) -> str:
    """What the bootstrap of one model repeats in every replicate, and what it holds fixed."""
    if m.selection is not None:
        s = m.selection
        forced = f", {', '.join(s.force)} forced in" if s.force else ""
        text = (
            f"{m.label}: the variable selection was repeated in every replicate (each of "
            f"{len(s.candidates)} candidates entered when a univariable Wald p < "
            f"{s.p_threshold:g}{forced}; on the original data it selects "
            f"{', '.join(s.selected)}), then the multivariable logistic model was refitted."
        )
    else:
        text = f"{m.label}: the logistic model was refitted on its fixed predictors."
    crossed = [x.variable for x in m.score_sources if x.source == "cross-fitted"]
    in_sample = [x.variable for x in m.score_sources if x.source == "in-sample"]
    if crossed:
        text += (
            f" Upstream scores ({', '.join(crossed)}) entered with their out-of-fold training "
            "values and were not refitted in the replicates"
        )
        text += "." if not in_sample else ";"
    if in_sample:
        text += (
            f"{' d' if crossed else ' D'}erived columns ({', '.join(in_sample)}) entered with "
            "their in-sample training values, their upstream units (scorers, cut-offs) not "
            "refitted in the replicates."
        )
    return text


def _failed_note(sink: list[str], label: str, failed: int, n_boot: int) -> None:
    if failed:
        sink.append(
            f"{label}: {failed} of {n_boot} bootstrap refits failed (separation, an absent "
            "category, non-convergence or, with a selection rule, no variable selected) and "
            "were left out, as rms::validate does"
        )


def _fixed(
    cohort: Cohort,
    mask: pd.Series,
    spec: ModelSpec,
    where: str,
    params: InternalValidationParams,
    seed: int,
    sink: list[str],
) -> ModelValidation:
    """Bootstrap of the model on its fixed predictors (complete cases)."""
    from remarkit.stats import bootstrap_optimism

    frame = cohort.data.loc[mask, spec.predictors].copy()
    frame.insert(0, "__outcome", cohort.outcome[mask].astype(float))
    data = drop_missing(frame, {c: spec.label for c in spec.predictors}, sink)
    require_classes(data["__outcome"].to_numpy(), where)
    fit = stat(
        sink,
        spec.label,
        bootstrap_optimism,
        data,
        "__outcome",
        spec.predictors,
        n_boot=params.n_boot,
        seed=seed,
    )
    _failed_note(sink, spec.label, fit.n_failed, fit.n_boot)
    return _validation(spec, fit, frame.index.difference(data.index, sort=False))


def _with_selection(
    cohort: Cohort,
    mask: pd.Series,
    spec: ModelSpec,
    selection: SelectionSpec,
    where: str,
    params: InternalValidationParams,
    seed: int,
    sink: list[str],
) -> ModelValidation:
    """Bootstrap with the univariable selection repeated in every replicate."""
    from remarkit.stats import bootstrap_optimism_selected

    frame = cohort.data.loc[mask, selection.candidates].copy()
    frame.insert(0, "__outcome", cohort.outcome[mask].astype(float))
    require_classes(frame["__outcome"].to_numpy(), where)
    fit = stat(
        sink,
        spec.label,
        bootstrap_optimism_selected,
        frame,
        "__outcome",
        selection.candidates,
        p_threshold=selection.p_threshold,
        force=selection.force,
        n_boot=params.n_boot,
        seed=seed,
    )
    _failed_note(sink, spec.label, fit.n_failed, fit.n_boot)
    differs = set(fit.selected) != set(spec.predictors)
    if differs:
        sink.append(
            f"{spec.label}: the selection rule picks {', '.join(fit.selected)} on the original "
            f"data, not the model's predictors ({', '.join(spec.predictors)}); the validated "
            "pipeline is the rule's"
        )
    complete = frame[fit.selected].notna().all(axis=1)
    record = SelectionRecord(
        candidates=selection.candidates,
        p_threshold=selection.p_threshold,
        force=selection.force,
        selected=fit.selected,
        differs=differs,
        frequency=[
            Frequency(variable=str(v), selected=int(k), share=float(sh))
            for v, k, sh in zip(
                fit.frequency["variable"].tolist(),
                fit.frequency["selected"].tolist(),
                fit.frequency["share"].tolist(),
                strict=True,
            )
        ],
    )
    return _validation(spec, fit, frame.index[~complete], record)


def _validation(
    spec: ModelSpec,
    fit: BootstrapOptimismResult,
    excluded: pd.Index,
    selection: SelectionRecord | None = None,
) -> ModelValidation:
    """One model's entry from its bootstrap fit (either kind) and the patients it left out."""
    return ModelValidation(
        label=spec.label,
        predictors=spec.predictors,
        terms=fit.terms,
        n=fit.n,
        events=fit.events,
        n_successful=fit.n_successful,
        n_failed=fit.n_failed,
        seed=fit.seed,
        indexes=_rows(fit.table),
        excluded=[str(i) for i in excluded],
        selection=selection,
    )


def _rows(table: pd.DataFrame) -> list[IndexRow]:
    return [
        IndexRow(
            index=str(r["index"]),
            apparent=finite(r["apparent"]),
            training=finite(r["training"]),
            test=finite(r["test"]),
            optimism=finite(r["optimism"]),
            corrected=finite(r["corrected"]),
        )
        for _, r in table.iterrows()
    ]
