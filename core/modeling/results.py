"""Result fields shared by units that fit and freeze a logistic model (clinical, integrator)."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import UnitResult
from remarkit.modeling.frozen import Coefficient
from remarkit.modeling.rows import CiMethod, ScaledVariableFit
from remarkit.text import name_ids


class SplitPredictions(BaseModel):
    """How many patients of a split got a predicted probability."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    split: Literal["train", "test"] = Field(description="The split")
    n: int = Field(description="Patients in the split")
    predicted: int = Field(description="Patients with a prediction")


class FrozenModelResult(UnitResult):
    """A frozen logistic model: coefficients, ORs, and predictions for everyone.

    Subclasses set the ``kind`` literal and add their own fields.
    """

    title: str = Field(description="Model name")
    outcome: str = Field(description="Label of the modelled (positive) outcome")
    ci: CiMethod = Field(description="Confidence interval method")
    level: float = Field(description="Confidence level")
    predictors: list[str] = Field(description="Model variables")
    n: int = Field(description="Training patients in the fit (complete cases)")
    events: int = Field(description="Of those, with the positive outcome")
    epv: float = Field(description="Events per variable: min(events, non-events) / model terms")
    variables: list[ScaledVariableFit] = Field(
        description="Model variables with their odds ratios, each per its reported scale (scores "
        "per training SD by default; the frozen coefficients stay per 1 unit)"
    )
    coefficients: list[Coefficient] = Field(description="The frozen model, intercept first")
    levels: dict[str, list[str]] = Field(
        description="Levels of each categorical predictor, reference first"
    )
    predictions: list[SplitPredictions] = Field(description="Predictions per split")
    unpredicted: list[str] = Field(description="Ids without a prediction (missing predictor)")


def split_predictions(split: pd.Series, lp: pd.Series) -> list[SplitPredictions]:
    """Patients and predictions per split."""
    return [
        SplitPredictions(
            split=s, n=int((split == s).sum()), predicted=int((lp.notna() & (split == s)).sum())
        )
        for s in ("train", "test")
    ]


def unpredicted_note(ids: list[str], *, training: bool) -> str:
    """The warning naming patients without a prediction."""
    why = (
        "a missing predictor or a level the training set lacks"
        if training
        else "a missing predictor"
    )
    return f"no prediction for {len(ids)} patient(s) with {why}: {name_ids(ids)}"
