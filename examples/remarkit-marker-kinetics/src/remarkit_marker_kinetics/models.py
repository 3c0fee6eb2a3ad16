"""Parameters and result model of the marker_kinetics unit."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from remarkit import UnitParams, UnitResult

Split = Literal["train", "test"]


class MarkerKineticsParams(UnitParams):
    """The ``[[unit]]`` table of a marker_kinetics unit."""

    baseline: str = Field(description="Column of the marker before treatment")
    follow_up: str = Field(description="Column of the marker at follow-up")
    interval: float | None = Field(
        default=None, gt=0, description="Time between the two measurements, for every patient"
    )
    interval_column: str | None = Field(
        default=None, description="Column of per-patient times between the measurements"
    )
    time_unit: str = Field(
        default="month", min_length=1, description="Unit of the interval, singular ('month')"
    )
    marker: str = Field(
        default="",
        description="Marker name (default: the words the two columns' labels start with, "
        "e.g. 'AFP' for 'AFP at baseline' and 'AFP at one month')",
    )
    detection_limit: float | None = Field(
        default=None, gt=0, description="Values below this are set to it before taking logs"
    )
    direction: Literal["falling", "rising"] = Field(
        default="falling",
        description="'falling': a faster decline goes with the positive outcome; 'rising': a "
        "faster rise does",
    )
    survival: bool = Field(default=False, description="Also fit a Cox model of overall survival")
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")

    @model_validator(mode="after")
    def _one_interval(self) -> MarkerKineticsParams:
        if (self.interval is None) == (self.interval_column is None):
            raise ValueError("give exactly one of interval and interval_column")
        if self.baseline == self.follow_up:
            raise ValueError("baseline and follow_up name the same column")
        return self


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SlopeSummary(_Row):
    """Slopes of one outcome group: median and quartiles (type-7 quantiles, as R)."""

    group: str = Field(description="Outcome group label")
    n: int = Field(description="Patients with a slope")
    median: float = Field(description="Median slope (log2 units per time unit)")
    q1: float = Field(description="First quartile")
    q3: float = Field(description="Third quartile")


class Effect(_Row):
    """A univariable effect estimate per halving (falling) or doubling (rising) per time unit."""

    estimate: float = Field(description="Odds ratio or hazard ratio")
    lower: float = Field(description="Lower Wald confidence bound")
    upper: float = Field(description="Upper Wald confidence bound")
    p_value: float = Field(description="Two-sided Wald p-value")
    n: int = Field(description="Patients in the model")
    events: int = Field(description="Events in the model")


class SplitKinetics(_Row):
    """Kinetics and their relation to the outcome in one split."""

    split: Split = Field(description="Training or test set")
    n: int = Field(description="Patients with a slope")
    events: int = Field(description="Of those, patients with the positive outcome")
    groups: list[SlopeSummary] = Field(description="Positive outcome group first")
    mann_whitney_p: float = Field(description="Wilcoxon rank-sum p-value between the groups")
    auc: float = Field(description="AUC of the slope for the outcome")
    auc_lower: float = Field(description="Lower DeLong bound")
    auc_upper: float = Field(description="Upper DeLong bound")
    odds_ratio: Effect = Field(description="Univariable logistic regression")
    hazard_ratio: Effect | None = Field(description="Univariable Cox regression (if asked)")
    falling: int = Field(description="Patients whose marker fell")
    median_half_life: float | None = Field(description="Median half-life of falling markers")


class MarkerKineticsResult(UnitResult):
    """Per-patient log2 slopes of a marker and their association with the outcome per split."""

    kind: Literal["marker_kinetics"] = "marker_kinetics"
    marker: str = Field(description="Marker name")
    unit: str = Field(description="Measurement unit of the marker")
    time_unit: str = Field(description="Unit of the interval")
    outcome: str = Field(description="Label of the binary outcome")
    direction: Literal["falling", "rising"] = Field(description="Which kinetics count positive")
    interval: float | None = Field(description="Common interval, when one was given")
    interval_column: str | None = Field(description="Per-patient interval column, if given")
    detection_limit: float | None = Field(description="Detection limit, if given")
    level: float = Field(description="Confidence level")
    splits: list[SplitKinetics] = Field(description="Training set first, then the test set")
    floored: list[str] = Field(description="Patients with a value raised to the detection limit")
    excluded: list[str] = Field(description="Patients without both values (not imputed)")
