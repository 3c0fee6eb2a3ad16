"""Result pieces shared by the logistic units: term rows, variable fits, VIF rows, parameters.

:class:`ModelTerm` and :class:`TableVariable` also head the Cox units' term and variable rows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import UnitParams
from remarkit.modeling.scaling import ScaleFit

CiMethod = Literal["wald", "profile"]


class LogisticParams(UnitParams):
    """Parameters every logistic unit shares."""

    variables: list[str] = Field(min_length=1, description="Predictors: cohort or derived columns")
    reference: dict[str, str] = Field(
        default_factory=dict,
        description="Reference level per categorical variable (default: the spec's reference)",
    )
    labels: dict[str, str] = Field(default_factory=dict, description="Label overrides")
    ci: CiMethod = Field(
        default="wald", description="'wald' (R confint.default) or 'profile' (R confint)"
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")

    @model_validator(mode="after")
    def _references_of_variables(self) -> LogisticParams:
        unknown = sorted(set(self.reference) - set(self.variables))
        if unknown:
            raise ValueError(f"reference given for variables not analysed: {unknown}")
        unknown = sorted(set(self.labels) - set(self.variables))
        if unknown:
            raise ValueError(f"labels given for variables not analysed: {unknown}")
        return self


def ci_phrase(ci: CiMethod, level: float) -> str:
    """``'Wald 95% CI'`` or ``'profile-likelihood 90% CI'``."""
    name = "Wald" if ci == "wald" else "profile-likelihood"
    return f"{name} {100 * level:g}% CI"


class ModelTerm(BaseModel):
    """One regression term: a numeric predictor or one non-reference level of a categorical one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="'variable' or 'variable[level]'")
    variable: str = Field(description="Column name")
    level: str | None = Field(description="Level (categorical), None for a numeric predictor")
    reference: str | None = Field(description="Reference level (categorical)")


class TableVariable(BaseModel):
    """A variable of a regression table: name, label, unit, type and reference level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Column name")
    label: str = Field(description="Row label")
    unit: str = Field(description="Measurement unit")
    type: Literal["continuous", "categorical"] = Field(description="Variable type")
    reference: str | None = Field(description="Reference level (categorical)")
    reference_n: int | None = Field(description="Patients at the reference level")


class TermRow(ModelTerm):
    """One logistic model term, with its odds ratio."""

    coef: float = Field(description="Log odds ratio")
    se: float = Field(description="Standard error of the log odds ratio")
    odds_ratio: float = Field(description="exp(coef)")
    lower: float = Field(description="Lower confidence bound of the odds ratio")
    upper: float = Field(description="Upper confidence bound of the odds ratio")
    p_value: float = Field(description="Wald p-value")
    n: int = Field(description="Patients at this level (categorical) or with a value (numeric)")
    events: int = Field(description="Of those, patients with the positive outcome")
    estimable: bool = Field(
        description="False under (quasi-)complete separation: the estimate diverges and the "
        "report shows it as not estimable"
    )
    fmi: float | None = Field(
        default=None,
        description="Fraction of missing information (multiple imputation, as mice::pool); "
        "None for a complete-case fit",
    )
    df: float | None = Field(
        default=None,
        description="Barnard-Rubin degrees of freedom of the pooled t interval and p-value "
        "(multiple imputation); None for a complete-case (Wald z) fit",
    )


class VariableFit(TableVariable):
    """A variable of a logistic table: its terms, sample and why it was not fitted, if so."""

    reference_events: int | None = Field(description="Of those, with the positive outcome")
    n: int = Field(description="Training patients in the fit (complete cases)")
    events: int = Field(description="Of those, with the positive outcome")
    terms: list[TermRow] = Field(description="The variable's terms; empty when not fitted")
    note: str = Field(default="", description="Why the variable was not fitted, if it was not")


class ScaledVariableFit(VariableFit):
    """A variable fit of the univariable/multivariable units, with its continuous scale."""

    scale: ScaleFit | None = Field(
        default=None,
        description="Scale of a continuous variable (the odds ratio is per one step of it); "
        "None for a categorical one",
    )


class VifRow(BaseModel):
    """Generalised variance inflation factor of a model variable, as car::vif."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Column name")
    label: str = Field(description="Label")
    gvif: float = Field(description="GVIF (the VIF for a one-term variable)")
    df: int = Field(description="Terms of the variable")
    gvif_adjusted: float = Field(description="GVIF^(1/(2 df)), comparable across df")
