"""multivariable_cox: the marker adjusted for the standard variables, and what it adds (REMARK 17).

One Cox model of the endpoint on the marker and the declared standard variables (``adjust``),
on the population's complete cases. On the same patients: the model without the marker (the
likelihood-ratio test of the marker, the change in Harrell's C) and the marker alone (its
unadjusted hazard ratio beside the adjusted one).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.stats import chi2

from remarkit import InputError, Needs, Unit, UnitContext, UnitResult
from remarkit.modeling.columns import check_columns
from remarkit.plugins.survival import _fit
from remarkit.plugins.survival._forest import cox_forest
from remarkit.plugins.survival._rows import (
    CoxFitRows,
    CoxParams,
    CoxVariable,
    ModelTests,
    Population,
)
from remarkit.plugins.survival._text import endpoint_phrase, software
from remarkit.stats import CoxResult


class MultivariableCoxParams(CoxParams):
    """The ``[[unit]]`` table of a multivariable_cox unit."""

    marker: str = Field(description="The marker: a cohort or derived column")
    adjust: list[str] = Field(
        min_length=1, description="Standard prognostic variables the marker is adjusted for"
    )

    def analysed(self) -> list[str]:
        """The marker, then the standard variables."""
        return [self.marker, *self.adjust]

    @model_validator(mode="after")
    def _marker_not_adjusted_for(self) -> MultivariableCoxParams:
        if self.marker in self.adjust:
            raise ValueError(f"marker '{self.marker}' is also listed in adjust")
        return self


class MarkerAdded(BaseModel):
    """What the marker adds to the standard variables, on the same patients (REMARK 17)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lr_chisq: float = Field(description="Likelihood-ratio chi-square, model with vs without it")
    df: int = Field(description="Degrees of freedom (the marker's terms)")
    p_value: float = Field(description="Likelihood-ratio p-value")
    concordance_with: float = Field(description="Harrell's C of the model with the marker")
    concordance_without: float = Field(description="Harrell's C of the model without it")
    concordance_change: float = Field(description="C with minus C without")


class MultivariableCoxResult(UnitResult):
    """The adjusted model, the model without the marker and the marker's unadjusted HR."""

    kind: Literal["multivariable_cox"] = "multivariable_cox"
    endpoint: str = Field(description="Endpoint name")
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    population: Population = Field(description="'train' or 'all'")
    level: float = Field(description="Confidence level")
    marker: str = Field(description="The marker's column")
    adjust: list[str] = Field(description="The standard variables")
    model: CoxFitRows = Field(description="The model with the marker and the standard variables")
    without_marker: ModelTests | None = Field(
        description="Tests of the model of the standard variables alone (same patients)"
    )
    unadjusted: CoxVariable = Field(description="The marker alone on the same patients")
    marker_added: MarkerAdded | None = Field(
        description="What the marker adds; None when a model could not be fitted"
    )


def _marker_added(full: CoxResult, reduced: CoxResult) -> MarkerAdded:
    """LR test of nested fits on the same patients: 2 (loglik_full - loglik_reduced)."""
    df = full.df - reduced.df
    stat = max(0.0, 2.0 * (full.loglik - reduced.loglik))
    return MarkerAdded(
        lr_chisq=stat,
        df=df,
        p_value=float(chi2.sf(stat, df)),
        concordance_with=full.concordance,
        concordance_without=reduced.concordance,
        concordance_change=full.concordance - reduced.concordance,
    )


class MultivariableCox(Unit[MultivariableCoxParams, MultivariableCoxResult]):
    """The marker adjusted for standard variables, with the LR test of what it adds."""

    name = "multivariable_cox"
    family = "clinical"
    version = "1.0"
    Params = MultivariableCoxParams
    Result = MultivariableCoxResult
    remark_items = (10, 16, 17)
    citations = ("Therneau TM. survival: A Package for Survival Analysis in R.",)
    report_section = "survival"

    def needs(self, params: MultivariableCoxParams) -> Needs:
        """The marker, the standard variables and the endpoint."""
        return Needs(
            columns=params.analysed(),
            survival=True,
            endpoint=params.endpoint,
            split=params.population == "train",
        )

    def run(self, ctx: UnitContext, params: MultivariableCoxParams) -> MultivariableCoxResult:
        """Fit with and without the marker and the marker alone, on the same patients."""
        variables = params.analysed()
        check_columns(ctx, variables, "adjust")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        mask = _fit.population_mask(ctx, params)
        scaled = _fit.scales(ctx, params, variables, mask)
        frame = _fit.surv_frame(ctx, params, endpoint, variables, scaled, mask)
        if frame.data.empty:
            raise InputError(
                f"no patient of the {_fit.population_name(params)} has the endpoint and every "
                "model variable",
                field="adjust",
            )
        notes: list[str] = []
        model, full = _fit.fit_rows(ctx, params, frame, variables, scaled, notes, "Model")
        reduced_rows, reduced = _fit.fit_rows(
            ctx, params, frame, params.adjust, scaled, notes, "Model without the marker"
        )
        alone, _ = _fit.fit_rows(ctx, params, frame, [params.marker], scaled, notes, "Marker alone")
        added = None if full is None or reduced is None else _marker_added(full, reduced)
        where = _fit.population_name(params)
        fig = cox_forest(
            model.variables,
            params.level,
            title=f"Multivariable Cox model: {endpoint.label}",
        )
        figure = ctx.save_figure(
            "forest",
            fig,
            f"Adjusted hazard ratios (Wald {100 * params.level:g}% CI) for {endpoint.label}, "
            f"{where}, n = {model.n} ({model.events} events).",
        )
        return MultivariableCoxResult(
            endpoint=endpoint.name,
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            population=params.population,
            level=params.level,
            marker=params.marker,
            adjust=list(params.adjust),
            model=model,
            without_marker=reduced_rows.tests,
            unadjusted=alone.variables[0],
            marker_added=added,
            figures=[figure],
            warnings=notes,
        )

    def methods(self, result: MultivariableCoxResult, params: MultivariableCoxParams) -> str:
        """The Methods paragraph: the model, the nested test, C and the scales."""
        where = "training set" if result.population == "train" else "whole cohort"
        m = result.model
        labels = {v.variable: v.label for v in m.variables}
        adjust = ", ".join(labels[a] for a in result.adjust)
        epv = m.events / max(1, sum(len(v.terms) for v in m.variables))
        epv_text = f"{epv:.1f}" if math.isfinite(epv) else "n/a"
        return (
            f"The marker ({labels[result.marker]}) was related to "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} in a multivariable Cox "
            f"proportional-hazards model adjusted for the pre-specified standard variables "
            f"{adjust}, fitted on the {where} (complete cases, n = {m.n}, {m.events} events, "
            f"{epv_text} events per model term; Efron's method for ties). What the marker adds "
            "was assessed on the same patients by the likelihood-ratio test of the model with "
            "versus without the marker and by the change in Harrell's C; its unadjusted hazard "
            "ratio (the marker alone, same patients) is shown beside the adjusted one. Hazard "
            f"ratios have Wald {100 * result.level:g}% confidence intervals. " + software()
        )
