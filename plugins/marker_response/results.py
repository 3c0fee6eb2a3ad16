"""Parameters and result model of the marker_response unit."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import UnitParams, UnitResult


class MarkerResponseParams(UnitParams):
    """The ``[[unit]]`` table of a marker_response unit."""

    baseline: str = Field(description="Column of the marker before treatment")
    follow_up: str = Field(description="Column of the marker at follow-up")
    marker: str = Field(
        default="", description="Marker name in text and figures (default: the baseline's label)"
    )
    normal_limit: float = Field(
        default=7.0,
        gt=0,
        description="Upper limit of normal: a baseline below it puts the patient in the "
        "normal-baseline category",
    )
    clinical_threshold: float | None = Field(
        default=None,
        le=100,
        description="Rounded decline threshold (%) to apply instead of the Youden optimum",
    )
    direction: Literal["<", ">"] = Field(
        default="<",
        description="'<': a larger decline goes with the positive outcome (pROC direction of "
        "the decline); '>': a smaller one does",
    )
    bootstrap: int = Field(
        default=2000, ge=100, le=100_000, description="Bootstrap replicates for the threshold CI"
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")
    responder_label: str = Field(default="responder", min_length=1)
    non_responder_label: str = Field(default="non-responder", min_length=1)
    normal_label: str = Field(default="normal baseline", min_length=1)

    @model_validator(mode="after")
    def _distinct_labels(self) -> MarkerResponseParams:
        labels = self.labels()
        if len(set(labels)) != 3:
            raise ValueError(f"the three category labels must differ (got {list(labels)})")
        if self.baseline == self.follow_up:
            raise ValueError("baseline and follow_up name the same column")
        return self

    def labels(self) -> tuple[str, str, str]:
        """Category levels, reference first: non-responder, normal baseline, responder."""
        return (self.non_responder_label, self.normal_label, self.responder_label)


class CategoryCount(BaseModel):
    """Patients and outcome events in one category of one split."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    split: Literal["train", "test"] = Field(description="Train or test")
    category: str | None = Field(description="Category label; None = unclassified (missing)")
    n: int = Field(description="Patients with a known outcome")
    events: int = Field(description="Patients with the positive outcome")
    missing_outcome: int = Field(
        default=0, description="Patients of the category whose outcome is missing (not in n)"
    )


class MarkerResponseResult(UnitResult):
    """Decline threshold fitted on the training set, and the categories it gives."""

    kind: Literal["marker_response"] = "marker_response"
    marker: str = Field(description="Marker name")
    unit: str = Field(description="Measurement unit of the marker")
    outcome: str = Field(description="Label of the binary outcome the threshold was fitted on")
    normal_limit: float = Field(description="Upper limit of normal")
    direction: Literal["<", ">"] = Field(description="pROC direction of the decline")
    levels: list[str] = Field(description="Category levels, reference first")
    n_train_fit: int = Field(description="Training patients the threshold was fitted on")
    n_train_events: int = Field(description="Of those, patients with the positive outcome")
    youden_threshold: float | None = Field(
        description="Youden-optimal decline (%), chosen as the highest-sensitivity tied optimum; "
        "None when no finite threshold separates the classes"
    )
    youden_tied: list[float] = Field(description="Every tied Youden-optimal threshold (%)")
    youden_index: float = Field(description="Youden's J at the optimum")
    youden_sensitivity: float = Field(description="Sensitivity at the Youden optimum (train)")
    youden_specificity: float = Field(description="Specificity at the Youden optimum (train)")
    auc: float = Field(description="AUC of the decline on the training set")
    auc_lower: float = Field(description="Lower DeLong bound of the AUC")
    auc_upper: float = Field(description="Upper DeLong bound of the AUC")
    bootstrap_lower: float | None = Field(description="Percentile bootstrap lower bound (%)")
    bootstrap_upper: float | None = Field(description="Percentile bootstrap upper bound (%)")
    bootstrap_replicates: int = Field(description="Replicates requested")
    bootstrap_used: int = Field(description="Replicates with a finite optimum (used in the CI)")
    level: float = Field(description="Confidence level")
    clinical_threshold: float | None = Field(description="Rounded clinical threshold, if given")
    threshold: float = Field(description="The threshold applied to every patient (%)")
    threshold_source: Literal["youden", "clinical"] = Field(description="Where it came from")
    sensitivity: float = Field(description="Sensitivity of the applied threshold (train fit set)")
    specificity: float = Field(description="Specificity of the applied threshold (train fit set)")
    counts: list[CategoryCount] = Field(description="Patients and events by split and category")
    missing_follow_up: list[str] = Field(description="Ids of patients without a follow-up value")
