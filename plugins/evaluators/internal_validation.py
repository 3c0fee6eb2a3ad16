"""``internal_validation``: Harrell's bootstrap optimism correction of logistic models (REMARK 18).

Each model (outcome ~ predictors, the same specification a ``logistic_model`` unit fitted) is
refitted in B bootstrap samples of its population (default: the training set), as
``rms::validate(lrm(...), B)``: apparent, optimism and corrected AUC, calibration intercept and
slope, and Brier score. Samples are drawn from a seed taken from the unit's seeded generator.
An external validation cohort has no training set (and the applied model is frozen): the unit
refuses to run there.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field, field_validator

from remarkit import InputError, Needs, Unit, UnitContext, UnitParams, UnitResult
from remarkit.engine.missing import MISSING_OUTCOME, MISSING_PREDICTOR, exclusion, unknown_outcome
from remarkit.plugins.evaluators._common import (
    Row,
    drop_missing,
    finite,
    join_labels,
    non_empty,
    population_mask,
    require_classes,
    stat,
)
from remarkit.plugins.evaluators._sets import result_set_name, set_name
from remarkit.text import name_ids, versions


class ModelSpec(UnitParams):
    """A logistic model to validate: the cohort outcome on these predictors."""

    label: str = Field(description="Display label, e.g. 'Clinical model with AFP response'")
    predictors: list[str] = Field(description="Cohort or derived columns, as in the fitted model")

    @field_validator("predictors")
    @classmethod
    def _predictors(cls, value: list[str]) -> list[str]:
        if len(set(non_empty(value, "predictors"))) != len(value):
            raise ValueError("predictors lists a column more than once")
        return value


class InternalValidationParams(UnitParams):
    """The ``[[unit]]`` table of ``internal_validation``."""

    models: list[ModelSpec] = Field(description="Models to validate")
    n_boot: int = Field(default=200, ge=1, le=100000, description="Bootstrap samples (B)")
    population: Literal["train", "all"] = Field(
        default="train", description="Data the model was fitted to: 'train' (default) or 'all'"
    )

    @field_validator("models")
    @classmethod
    def _models(cls, value: list[ModelSpec]) -> list[ModelSpec]:
        labels = [m.label for m in non_empty(value, "models")]
        if len(set(labels)) != len(labels):
            raise ValueError("models must have distinct labels")
        return value


class IndexRow(Row):
    """One performance index of a model, as a row of rms::validate's table."""

    index: str = Field(description="auc, calibration_intercept, calibration_slope or brier")
    apparent: float | None = Field(description="On the data the model was fitted to")
    training: float | None = Field(description="Mean over bootstrap fits, on their samples")
    test: float | None = Field(description="Mean over bootstrap fits, on the original data")
    optimism: float | None = Field(description="training - test")
    corrected: float | None = Field(description="apparent - optimism")


class ModelValidation(Row):
    """Bootstrap validation of one model."""

    label: str = Field(description="Display label")
    predictors: list[str] = Field(description="Predictor columns")
    terms: list[str] = Field(description="Model terms (categorical levels as 'variable[level]')")
    n: int = Field(description="Patients")
    events: int = Field(description="Patients with the outcome")
    n_successful: int = Field(description="Bootstrap refits that succeeded")
    n_failed: int = Field(description="Bootstrap refits that failed (left out)")
    seed: int = Field(description="Seed of the bootstrap sampler")
    indexes: list[IndexRow] = Field(description="auc, intercept, slope, Brier")
    excluded: list[str] = Field(description="Patients left out for a missing predictor")


class InternalValidationResult(UnitResult):
    """Optimism-corrected performance of every model."""

    kind: Literal["internal_validation"] = "internal_validation"
    population: str = Field(description="train or all")
    n_boot: int = Field(description="Bootstrap samples drawn per model")
    models: list[ModelValidation] = Field(description="One entry per model")


class InternalValidation(Unit[InternalValidationParams, InternalValidationResult]):
    """Bootstrap optimism-corrected AUC, calibration and Brier score (rms::validate)."""

    name = "internal_validation"
    family = "evaluator"
    version = "1.0"
    Params = InternalValidationParams
    Result = InternalValidationResult
    remark_items = (18,)
    citations = (
        "Harrell FE, Lee KL, Mark DB. Stat Med 1996;15:361-87.",
        "Efron B, Tibshirani R. An Introduction to the Bootstrap. 1993.",
    )
    report_section = "performance"

    def needs(self, params: InternalValidationParams) -> Needs:
        columns = list(dict.fromkeys(c for m in params.models for c in m.predictors))
        return Needs(columns=columns, outcome=True)

    def run(self, ctx: UnitContext, params: InternalValidationParams) -> InternalValidationResult:
        from remarkit.stats import bootstrap_optimism

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
            absent = [c for c in spec.predictors if c not in cohort.data.columns]
            if absent:
                raise InputError(
                    f"{spec.label}: predictor column(s) {', '.join(map(repr, absent))} are not "
                    "in the cohort (nor derived by an upstream unit)"
                )
            frame = cohort.data.loc[mask, spec.predictors].copy()
            frame.insert(0, "__outcome", cohort.outcome[mask].astype(float))
            data = drop_missing(frame, {c: spec.label for c in spec.predictors}, sink)
            exclusions += exclusion(
                MISSING_PREDICTOR, frame.index.difference(data.index, sort=False), spec.label
            )
            require_classes(
                data["__outcome"].to_numpy(),
                f"{spec.label}, {set_name(ctx, params.population).lower()}",
            )
            seed = int(ctx.rng.integers(0, 2**31 - 1))
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
            if fit.n_failed:
                sink.append(
                    f"{spec.label}: {fit.n_failed} of {fit.n_boot} bootstrap refits failed "
                    "(separation, an absent category or non-convergence) and were left out, as "
                    "rms::validate does"
                )
            models.append(
                ModelValidation(
                    label=spec.label,
                    predictors=spec.predictors,
                    terms=fit.terms,
                    n=fit.n,
                    events=fit.events,
                    n_successful=fit.n_successful,
                    n_failed=fit.n_failed,
                    seed=fit.seed,
                    indexes=_rows(fit.table),
                    excluded=[str(i) for i in frame.index.difference(data.index)],
                )
            )
        return InternalValidationResult(
            population=params.population,
            n_boot=params.n_boot,
            models=models,
            warnings=sink,
            exclusions=exclusions,
        )

    def methods(self, result: InternalValidationResult, params: InternalValidationParams) -> str:
        labels = join_labels([m.label for m in result.models])
        return (
            f"{labels} {'were' if len(result.models) > 1 else 'was'} internally validated by "
            f"Harrell's bootstrap: each logistic model was refitted in {result.n_boot} bootstrap "
            f"samples of the {result_set_name(None, result.population).lower()}, and its AUC, calibration "
            "intercept and slope and Brier score were computed on the bootstrap sample and on "
            "the original data; the mean difference (optimism) was subtracted from the "
            'apparent performance (as rms::validate, method "boot"; refits that failed were '
            "left out). Samples were drawn with numpy's default generator from a seed derived "
            f"from the study seed. Software: {versions('numpy', 'statsmodels')}."
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
