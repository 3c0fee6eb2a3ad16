"""univariable_cox: one Cox model per candidate variable for a time-to-event endpoint."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from remarkit import InputError, Needs, Unit, UnitContext, UnitResult, merged
from remarkit import population as counts_of
from remarkit.modeling.columns import check_columns
from remarkit.plugins.survival import _fit
from remarkit.plugins.survival._forest import cox_forest
from remarkit.plugins.survival._rows import CoxFitRows, CoxParams, Population, Ties
from remarkit.plugins.survival._text import endpoint_phrase, software, ties_phrase


class UnivariableCoxParams(CoxParams):
    """The ``[[unit]]`` table of a univariable_cox unit."""

    variables: list[str] = Field(min_length=1, description="Candidates: cohort or derived columns")
    marker: str | None = Field(
        default=None, description="Which candidate is the marker under study (REMARK 15)"
    )

    def analysed(self) -> list[str]:
        """The candidates."""
        return list(self.variables)


class UnivariableCoxResult(UnitResult):
    """Hazard ratios of every candidate, each from its own Cox model."""

    kind: Literal["univariable_cox"] = "univariable_cox"
    endpoint: str = Field(description="Endpoint name")
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    population: Population = Field(description="'train' or 'all'")
    level: float = Field(description="Confidence level")
    ties: Ties = Field(default="efron", description="Tie handling")
    marker: str | None = Field(description="The candidate that is the marker, if named")
    models: list[CoxFitRows] = Field(description="One model per candidate, in the params' order")


class UnivariableCox(Unit[UnivariableCoxParams, UnivariableCoxResult]):
    """Univariable Cox regression of an endpoint on each candidate (REMARK 15)."""

    name = "univariable_cox"
    family = "clinical"
    version = "1.0"
    Params = UnivariableCoxParams
    Result = UnivariableCoxResult
    remark_items = (10, 11, 15)
    citations = ("Therneau TM. survival: A Package for Survival Analysis in R.",)
    report_section = "survival"

    def needs(self, params: UnivariableCoxParams) -> Needs:
        """The candidate columns and the endpoint."""
        return Needs(
            columns=list(params.variables),
            survival=True,
            endpoint=params.endpoint,
            split=params.population == "train",
        )

    def run(self, ctx: UnitContext, params: UnivariableCoxParams) -> UnivariableCoxResult:
        """Fit every candidate separately on the population's complete cases."""
        check_columns(ctx, params.variables, "variables")
        if params.marker is not None and params.marker not in params.variables:
            raise InputError(f"marker '{params.marker}' is not among the variables", field="marker")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        mask = _fit.population_mask(ctx, params)
        scaled = _fit.scales(ctx, params, params.variables, mask)
        notes: list[str] = []
        models = []
        for column in params.variables:
            frame = _fit.surv_frame(ctx, params, endpoint, [column], scaled, mask)
            label = params.labels.get(column) or ctx.cohort.label(column)
            rows, _ = _fit.fit_rows(ctx, params, frame, [column], scaled, notes, label)
            models.append(rows)
        where = _fit.population_name(params)
        fig = cox_forest(
            [v for m in models for v in m.variables],
            params.level,
            title=f"Univariable hazard ratios for {endpoint.label}",
        )
        figure = ctx.save_figure(
            "forest",
            fig,
            f"Univariable hazard ratios (Wald {100 * params.level:g}% CI) for "
            f"{endpoint.label}, {where}.",
        )
        return UnivariableCoxResult(
            endpoint=endpoint.name,
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            population=params.population,
            level=params.level,
            ties=params.ties,
            marker=params.marker,
            models=models,
            figures=[figure],
            warnings=notes,
            populations=merged(
                counts_of(params.population, endpoint.name, m.n, m.events, v.label)
                for m in models
                for v in m.variables[:1]
                if m.n
            ),
        )

    def methods(self, result: UnivariableCoxResult, params: UnivariableCoxParams) -> str:
        """The Methods paragraph."""
        where = "training set" if result.population == "train" else "whole cohort"
        return (
            f"Each of {len(result.models)} candidate variables was related to "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} by univariable Cox "
            f"proportional-hazards regression on the {where} ({ties_phrase(result.ties)}); patients with a missing value of the variable, time or event indicator were "
            "left out of that model and are counted in the table. Hazard ratios are reported with "
            f"Wald {100 * result.level:g}% confidence intervals and Wald p-values, with the "
            "likelihood-ratio, Wald and score tests of each model; categorical variables were "
            "coded against the reference levels of the study specification, and continuous "
            "variables on the scale stated in the table note. " + software()
        )
