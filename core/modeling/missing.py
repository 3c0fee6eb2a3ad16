"""How a logistic unit handles missing predictors: the option, and what the result records."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit.modeling.rows import CiMethod, LogisticParams, ci_phrase
from remarkit.modeling.scaling import Scale

MissingMethod = Literal["complete_case", "multiple_imputation"]


class ImputableLogisticParams(LogisticParams):
    """Logistic-unit parameters with the missing-data option and the continuous scales."""

    scale: dict[str, Scale] = Field(
        default_factory=dict,
        description="Scale per continuous variable: 'unit', 'sd', 'iqr' or 'log2' (per "
        "doubling); default 'sd' for scores derived by an upstream unit, else 'unit'; SD and "
        "IQR of the observed training values",
    )

    missing: MissingMethod = Field(
        default="complete_case",
        description="'complete_case' (training patients with every predictor) or "
        "'multiple_imputation' (chained equations on the training set, Rubin's rules)",
    )
    imputations: int = Field(
        default=20, ge=2, le=500, description="Imputed data sets m (multiple imputation)"
    )
    iterations: int = Field(
        default=10, ge=1, le=500, description="Chained-equation iterations per imputed data set"
    )

    @model_validator(mode="after")
    def _wald_under_imputation(self) -> ImputableLogisticParams:
        if self.missing == "multiple_imputation" and self.ci == "profile":
            raise ValueError(
                "ci = 'profile' cannot be pooled by Rubin's rules; use ci = 'wald' with "
                "missing = 'multiple_imputation'"
            )
        return self

    @model_validator(mode="after")
    def _scales_of_variables(self) -> ImputableLogisticParams:
        unknown = sorted(set(self.scale) - set(self.variables))
        if unknown:
            raise ValueError(f"scale given for variables not analysed: {unknown}")
        return self


class ImputedVariable(BaseModel):
    """A variable with missing training values and how they were imputed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Column name")
    label: str = Field(description="Label")
    method: Literal["pmm", "logreg", "polyreg"] = Field(
        description="'pmm' (predictive mean matching), 'logreg' (logistic draw, two levels) "
        "or 'polyreg' (multinomial logistic draw, three or more levels)"
    )
    n_missing: int = Field(description="Training patients whose value was imputed")


class MissingData(BaseModel):
    """The missing-data method a logistic unit used and, under imputation, its settings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: MissingMethod = Field(description="'complete_case' or 'multiple_imputation'")
    m: int | None = Field(default=None, description="Imputed data sets (imputation only)")
    iterations: int | None = Field(
        default=None, description="Chained-equation iterations (imputation only)"
    )
    n: int | None = Field(
        default=None, description="Training patients analysed (imputation: all of them)"
    )
    imputed: list[ImputedVariable] = Field(
        default_factory=list, description="Variables with imputed values, in the params' order"
    )


def imputation_methods(missing: MissingData) -> str:
    """The Methods sentence on missing data ('' for complete cases)."""
    if missing.method != "multiple_imputation":
        return ""
    counts = ", ".join(f"{v.label} {v.n_missing}" for v in missing.imputed) or "none"
    return (
        f" Missing predictor values of the {missing.n} training patients were multiply imputed "
        f"by chained equations (m = {missing.m} data sets, {missing.iterations} iterations; "
        "predictive mean matching with 5 donors for continuous variables, logistic and "
        "multinomial logistic draws for categorical ones; every candidate variable and the "
        "outcome in each imputation model; fitted on the training set only, seeded from the "
        f"study seed); values imputed per variable: {counts}. Estimates were pooled by Rubin's "
        "rules with Barnard-Rubin degrees of freedom (t-based intervals and p-values), and the "
        "fraction of missing information (FMI) is reported per term."
    )


def interval_phrase(ci: CiMethod, level: float, missing: MissingMethod) -> str:
    """``'Wald 95% CI'`` for complete cases, ``'pooled t-based 95% CI'`` under imputation."""
    if missing == "multiple_imputation":
        return f"pooled t-based {100 * level:g}% CI"
    return ci_phrase(ci, level)
