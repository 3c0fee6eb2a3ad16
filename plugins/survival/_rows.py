"""Parameters and result rows shared by the Cox units."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import UnitParams
from remarkit.modeling.rows import ModelTerm, TableVariable
from remarkit.modeling.scaling import Scale, ScaleFit

Population = Literal["train", "all"]
Ties = Literal["efron", "breslow"]


class CoxParams(UnitParams):
    """Parameters every Cox unit shares (its ``[[unit]]`` table)."""

    endpoint: str | None = Field(
        default=None, description="Time-to-event endpoint (default: the study's default one)"
    )
    population: Population = Field(
        default="train",
        description="'train' (fit on the training set) or 'all' (the whole cohort)",
    )
    reference: dict[str, str] = Field(
        default_factory=dict,
        description="Reference level per categorical variable (default: the spec's reference)",
    )
    scale: dict[str, Scale] = Field(
        default_factory=dict,
        description="Scale per continuous variable: 'unit', 'sd', 'iqr' or 'log2' (per "
        "doubling); default 'sd' for scores derived by an upstream unit, else 'unit'; SD and "
        "IQR of the fitting patients",
    )
    labels: dict[str, str] = Field(default_factory=dict, description="Label overrides")
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")
    ties: Ties = Field(
        default="efron", description="Tied event times: 'efron' (coxph's default) or 'breslow'"
    )

    def analysed(self) -> list[str]:
        """Every variable the unit analyses (references, scales and labels must name one).

        Each unit's Params lists its own; this base names none, so it accepts no per-variable
        option.
        """
        return []

    @model_validator(mode="after")
    def _options_of_variables(self) -> CoxParams:
        known = set(self.analysed())
        for name, given in (
            ("reference", self.reference),
            ("scale", self.scale),
            ("labels", self.labels),
        ):
            unknown = sorted(set(given) - known)
            if unknown:
                raise ValueError(f"{name} given for variables not analysed: {unknown}")
        return self


class CoxTerm(ModelTerm):
    """One Cox model term, with its hazard ratio."""

    coef: float = Field(description="Log hazard ratio (per the variable's scale)")
    se: float = Field(description="Standard error of the log hazard ratio")
    hazard_ratio: float = Field(description="exp(coef)")
    lower: float = Field(description="Lower Wald confidence bound of the hazard ratio")
    upper: float = Field(description="Upper Wald confidence bound of the hazard ratio")
    z: float = Field(description="Wald z statistic")
    p_value: float = Field(description="Wald p-value")
    n: int = Field(description="Patients at this level (categorical) or with a value (numeric)")
    events: int = Field(description="Of those, patients with an event")


class ModelTests(BaseModel):
    """The whole-model tests of summary(coxph) and the model's Harrell's C."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    df: int = Field(description="Degrees of freedom (model terms)")
    lr_chisq: float = Field(description="Likelihood-ratio chi-square")
    lr_p_value: float = Field(description="Likelihood-ratio p-value")
    wald_chisq: float = Field(description="Wald chi-square")
    wald_p_value: float = Field(description="Wald p-value")
    score_chisq: float = Field(description="Score (log-rank) chi-square")
    score_p_value: float = Field(description="Score p-value")
    loglik: float = Field(description="Log partial likelihood at the estimates")
    concordance: float = Field(description="Harrell's C of the linear predictor (coxph's)")


class CoxVariable(TableVariable):
    """A variable of a Cox table: its terms, sample, exclusions and scale."""

    reference_events: int | None = Field(description="Of those, patients with an event")
    scale: ScaleFit | None = Field(description="Scale of a continuous variable")
    terms: list[CoxTerm] = Field(description="The variable's terms; empty when not fitted")
    note: str = Field(default="", description="Why the variable was not fitted, if it was not")


class CoxFitRows(BaseModel):
    """One fitted Cox model: its patients, exclusions, variables and whole-model tests."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    n: int = Field(description="Patients in the model")
    events: int = Field(description="Of those, with an event")
    excluded_variables: int = Field(
        description="Patients of the population left out for a missing model variable"
    )
    excluded_endpoint: int = Field(
        description="Patients of the population left out for a missing time or event"
    )
    variables: list[CoxVariable] = Field(description="Model variables, in the params' order")
    tests: ModelTests | None = Field(description="Whole-model tests; None when not fitted")
