"""Parameters and result of ``internal_validation``: the models to validate (fixed, or with a
selection rule repeated in each replicate) and their optimism-corrected indexes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from remarkit import UnitParams, UnitResult
from remarkit.modeling.crossfit import ScoreSource, TrainingScores
from remarkit.plugins.evaluators._common import Row, non_empty


class SelectionSpec(UnitParams):
    """How the model's predictors were chosen, repeated inside every bootstrap replicate."""

    candidates: list[str] = Field(min_length=1, description="Candidate columns screened")
    p_threshold: float = Field(
        default=0.05, gt=0, le=1, description="A candidate enters when a univariable p is below"
    )
    force: list[str] = Field(default_factory=list, description="Candidates that always enter")

    @model_validator(mode="after")
    def _force_among_candidates(self) -> SelectionSpec:
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidates lists a column more than once")
        extra = sorted(set(self.force) - set(self.candidates))
        if extra:
            raise ValueError(f"force lists variables that are not candidates: {extra}")
        return self


class ModelSpec(UnitParams):
    """A logistic model to validate: the cohort outcome on these predictors."""

    label: str = Field(description="Display label, e.g. 'Clinical model with AFP response'")
    predictors: list[str] = Field(description="Cohort or derived columns, as in the fitted model")
    selection: SelectionSpec | None = Field(
        default=None,
        description="The selection rule that chose the predictors (univariable p < threshold "
        "among candidates, as multivariable_logistic): repeated in every bootstrap replicate "
        "(the apparent model is the rule applied to the original data)",
    )
    training_scores: TrainingScores = Field(
        default="cross-fitted",
        description="Training values of upstream scores: 'cross-fitted' (out-of-fold, where the "
        "upstream unit publishes them) or 'in-sample'. The scorers themselves are not refitted "
        "in the replicates",
    )

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


class Frequency(Row):
    """How often a candidate entered the model over the successful bootstrap replicates."""

    variable: str = Field(description="Candidate column")
    selected: int = Field(description="Replicates that selected it")
    share: float = Field(description="selected / successful replicates")


class SelectionRecord(Row):
    """The selection rule repeated in every replicate and what it chose."""

    candidates: list[str] = Field(description="Candidates screened")
    p_threshold: float = Field(description="Univariable p-value threshold")
    force: list[str] = Field(description="Candidates always entered")
    selected: list[str] = Field(description="Selected on the original data (the apparent model)")
    differs: bool = Field(description="The rule's selection differs from the model's predictors")
    frequency: list[Frequency] = Field(description="Selection frequency per candidate")


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
    selection: SelectionRecord | None = Field(
        default=None, description="The selection repeated in the replicates (None: fixed model)"
    )
    score_sources: list[ScoreSource] = Field(
        default_factory=list, description="Per predictor: cross-fitted, in-sample or measured"
    )


class InternalValidationResult(UnitResult):
    """Optimism-corrected performance of every model."""

    kind: Literal["internal_validation"] = "internal_validation"
    population: str = Field(description="train or all")
    n_boot: int = Field(description="Bootstrap samples drawn per model")
    models: list[ModelValidation] = Field(description="One entry per model")
