"""The typed result of a logistic integrator: the frozen model, its threshold and nomogram."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from remarkit.modeling.crossfit import DEFAULT_FOLDS, ScoreSource, TrainingScores
from remarkit.modeling.results import FrozenModelResult
from remarkit.modeling.rows import VifRow
from remarkit.modeling.score_scales import FrozenLogisticParams


class IntegratorParams(FrozenLogisticParams):
    """The ``[[unit]]`` table of a logistic_integrator unit."""

    title: str = Field(default="", description="Model name in the report (default: the unit id)")
    nomogram: bool = Field(default=True, description="Draw the model's nomogram")
    training_scores: TrainingScores = Field(
        default="cross-fitted",
        description="Training values of upstream scores the model is fitted on: 'cross-fitted' "
        "(each training patient's out-of-fold score, where the upstream unit publishes one; "
        "others in-sample, as the report says) or 'in-sample' (the final upstream scores)",
    )
    crossfit_folds: int = Field(
        default=DEFAULT_FOLDS,
        ge=2,
        le=20,
        description="Folds of the model's own out-of-fold linear predictor (cross-fitted only; "
        "stratified, seeded from the study seed)",
    )


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrainThreshold(_Row):
    """The Youden threshold of the predicted probability, fixed on the training set."""

    value: float = Field(description="Probability threshold; high risk if probability >= value")
    youden: float = Field(description="Youden's J on the training set")
    sensitivity: float = Field(description="Sensitivity on the training set")
    specificity: float = Field(description="Specificity on the training set")
    tied: list[float] = Field(description="Every tied optimum (pROC order); the first is used")


class Range(_Row):
    """Training range of a continuous predictor (the nomogram's axis; apply warns outside it)."""

    minimum: float = Field(description="Smallest training value")
    maximum: float = Field(description="Largest training value")


class NomogramTick(_Row):
    """One tick of a predictor's nomogram axis."""

    variable: str = Field(description="Predictor column")
    value: str = Field(description="Axis value (number as text, or level)")
    points: float = Field(description="Points at this value")


class NomogramAxes(_Row):
    """The nomogram's scales, as rms::nomogram computes them."""

    ticks: list[NomogramTick] = Field(description="Predictor axes")
    scale: float = Field(description="Points per unit of linear predictor")
    intercept: float = Field(description="Linear predictor at 0 total points")
    total_points: list[float] = Field(description="Total-points axis ticks")
    probability: list[float] = Field(description="Probability axis ticks")
    probability_points: list[float] = Field(description="Total points of each probability tick")


class IntegratorResult(FrozenModelResult):
    """A frozen multivariable logistic model over scores and clinical predictors."""

    kind: Literal["logistic_integrator"] = "logistic_integrator"
    vif: list[VifRow] = Field(description="GVIF per variable (car::vif); empty for one variable")
    ranges: dict[str, Range] = Field(description="Training range of each continuous predictor")
    threshold: TrainThreshold = Field(description="Youden threshold fixed on the training set")
    nomogram: NomogramAxes | None = Field(description="Nomogram scales (None if not drawn)")
    model_file: str = Field(description="The frozen model file, relative to the output folder")
    model_sha256: str = Field(description="sha256 of the frozen model file")
    upstream: dict[str, str] = Field(
        description="Upstream unit id -> result kind, for the derived columns the model uses"
    )
    training_scores: TrainingScores = Field(
        default="in-sample", description="'cross-fitted' or 'in-sample' training scores"
    )
    score_sources: list[ScoreSource] = Field(
        default_factory=list,
        description="Per predictor: whether its training values were cross-fitted, in-sample "
        "or measured",
    )
    crossfit_folds: int | None = Field(
        default=None, description="Folds of the out-of-fold linear predictor (cross-fitted only)"
    )
    apparent_auc: float | None = Field(
        default=None,
        description="Training AUC of the model on the values it was fitted on (apparent)",
    )
    cv_auc: float | None = Field(
        default=None,
        description="Training AUC of its out-of-fold linear predictor (cross-fitted only)",
    )
    in_sample_auc: float | None = Field(
        default=None,
        description="Training AUC of the frozen model applied to the final (in-sample) upstream "
        "scores, as the training set's discrimination shows it",
    )
