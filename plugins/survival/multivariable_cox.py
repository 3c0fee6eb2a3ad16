"""multivariable_cox: the marker adjusted for the standard variables, and what it adds (REMARK 17).

One Cox model of the endpoint on the marker and the declared standard variables (``adjust``),
on the population's complete cases. On the same patients: the model without the marker (the
likelihood-ratio test of the marker, the change in Harrell's C) and the marker alone (its
unadjusted hazard ratio beside the adjusted one).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import (
    AppliedResult,
    FigureRef,
    Fitted,
    InputError,
    Needs,
    Sentence,
    Unit,
    UnitContext,
    UnitResult,
)
from remarkit import population as counts_of
from remarkit.modeling.columns import check_columns, is_categorical
from remarkit.plugins.survival import _fit
from remarkit.plugins.survival import export as _export
from remarkit.plugins.survival._forest import cox_forest
from remarkit.plugins.survival._nomogram import nomogram_figures
from remarkit.plugins.survival._rows import (
    CoxFitRows,
    CoxParams,
    CoxVariable,
    ModelTests,
    Population,
    Ties,
)
from remarkit.plugins.survival._sentences import marker_sentences
from remarkit.plugins.survival._text import endpoint_phrase, software, ties_phrase
from remarkit.text import name_ids

if TYPE_CHECKING:
    from remarkit.stats import CoxResult


class MultivariableCoxParams(CoxParams):
    """The ``[[unit]]`` table of a multivariable_cox unit."""

    marker: str = Field(description="The marker: a cohort or derived column")
    adjust: list[str] = Field(
        min_length=1, description="Standard prognostic variables the marker is adjusted for"
    )

    strata: list[str] = Field(
        default_factory=list,
        description="Categorical columns whose levels get separate baseline hazards (coxph "
        "strata(); e.g. a variable that violates proportional hazards)",
    )
    horizons: list[float] = Field(
        default_factory=list,
        description="Times (in the endpoint's unit) at which the frozen model predicts survival: "
        "derived columns surv_<time>; not with strata",
    )
    nomogram_horizons: list[float] = Field(
        default_factory=list,
        description="Times (in the endpoint's unit) of a nomogram's survival axis: one nomogram "
        "figure per time (rms::nomogram of the fitted model); none by default; not with strata",
    )

    def analysed(self) -> list[str]:
        """The marker, then the standard variables."""
        return [self.marker, *self.adjust]

    @model_validator(mode="after")
    def _marker_not_adjusted_for(self) -> MultivariableCoxParams:
        if self.marker in self.adjust:
            raise ValueError(f"marker '{self.marker}' is also listed in adjust")
        clash = sorted(set(self.strata) & set(self.analysed()))
        if clash:
            raise ValueError(f"strata {clash} are also model variables")
        for name, times in (
            ("horizons", self.horizons),
            ("nomogram_horizons", self.nomogram_horizons),
        ):
            if times and (min(times) <= 0 or sorted(set(times)) != times):
                raise ValueError(f"{name} must be increasing times > 0")
        if self.nomogram_horizons and self.strata:
            raise ValueError("nomogram_horizons: a nomogram of a stratified model is not supported")
        if self.horizons and self.strata:
            raise ValueError(
                "horizons need one baseline hazard; a stratified model has one per stratum"
            )
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
    ties: Ties = Field(default="efron", description="Tie handling")
    strata: list[str] = Field(default_factory=list, description="Stratifying columns")
    horizons: list[float] = Field(
        default_factory=list, description="Times of the predicted survival columns"
    )
    baseline_survival: list[float] = Field(
        default_factory=list,
        description="Baseline survival (at the centring) at each horizon, as survfit.coxph",
    )
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
    model_file: str | None = Field(
        default=None, description="The frozen model (model.json), relative to the output folder"
    )
    model_sha256: str | None = Field(default=None, description="sha256 of the frozen model")
    unscored: list[str] = Field(
        default_factory=list, description="Patients without a linear predictor (missing input)"
    )


def _marker_added(full: CoxResult, reduced: CoxResult) -> MarkerAdded:
    """The LR test of the nested fits (same patients) and the change in Harrell's C."""
    from remarkit.stats import cox_lr_test

    test = cox_lr_test(full, reduced)
    return MarkerAdded(
        lr_chisq=test.chisq,
        df=test.df,
        p_value=test.p_value,
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
    remark_items = (10, 11, 16, 17)
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
        check_columns(ctx, [*variables, *params.strata], "adjust")
        for column in params.strata:
            if not is_categorical(ctx.cohort.data[column]):
                raise InputError(f"stratum column '{column}' is continuous", field="strata")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        mask = _fit.population_mask(ctx, params)
        scaled = _fit.scales(ctx, params, variables, mask)
        frame = _fit.surv_frame(ctx, params, endpoint, [*variables, *params.strata], scaled, mask)
        if frame.data.empty:
            raise InputError(
                f"no patient of the {_fit.population_name(params)} has the endpoint and every "
                "model variable",
                field="adjust",
            )
        last = float(frame.data[_fit.TIME].max())
        for name, times in (
            ("horizons", params.horizons),
            ("nomogram_horizons", params.nomogram_horizons),
        ):
            if times and times[-1] > last:
                raise InputError(
                    f"horizon {times[-1]:g} is beyond the last follow-up time ({last:g} "
                    f"{endpoint.spec.unit}) of the patients the model is fitted on",
                    field=name,
                )
        notes: list[str] = []
        strata = params.strata
        model, full = _fit.fit_rows(ctx, params, frame, variables, scaled, notes, "Model", strata)
        reduced_rows, reduced = _fit.fit_rows(
            ctx, params, frame, params.adjust, scaled, notes, "Model without the marker", strata
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
        nomograms: list[FigureRef] = []
        if params.nomogram_horizons and full is not None:
            _, nomograms = nomogram_figures(
                ctx,
                full,
                frame.data,
                model.variables,
                params.nomogram_horizons,
                endpoint.spec.unit,
                notes,
            )
        model_file: str | None = None
        model_sha256: str | None = None
        unscored: list[str] = []
        columns = []
        baseline: list[float] = []
        if full is not None and not strata:
            doc = _export.freeze(
                ctx, full, frame, scaled, endpoint.label, endpoint.spec.unit, params.horizons
            )
            baseline = list(doc.baseline_survival)
            path = ctx.artifact_path(_export.MODEL_FILE)
            model_sha256 = _export.write_model(path, doc)
            model_file = ctx.relpath(path)
            lp = _export.score(ctx.cohort.data, doc)
            unscored = [str(i) for i in lp.index[lp.isna()]]
            columns = _export.columns(lp, doc, ctx.unit_id)
        elif strata:
            notes.append(
                "no frozen model: a stratified model has a baseline hazard per stratum (fit "
                "without strata to export it)"
            )
        return MultivariableCoxResult(
            endpoint=endpoint.name,
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            population=params.population,
            level=params.level,
            ties=params.ties,
            strata=list(strata),
            horizons=list(params.horizons),
            baseline_survival=baseline,
            marker=params.marker,
            adjust=list(params.adjust),
            model=model,
            without_marker=reduced_rows.tests,
            unadjusted=alone.variables[0],
            marker_added=added,
            figures=[figure, *nomograms],
            warnings=notes,
            columns=columns,
            model_file=model_file,
            model_sha256=model_sha256,
            unscored=unscored,
            populations=[
                counts_of(params.population, endpoint.name, model.n, model.events, "model fit")
            ],
        )

    def apply(
        self,
        ctx: UnitContext,
        params: MultivariableCoxParams,
        fitted: Fitted[MultivariableCoxResult],
    ) -> AppliedResult:
        """Score a new cohort's linear predictor with the frozen model; nothing is refitted."""
        trained = fitted.result
        if trained.model_sha256 is None:
            raise InputError(
                f"unit '{ctx.unit_id}' has no frozen model: its model was not fitted in the "
                "training run"
            )
        doc = _export.read_model(
            fitted.file(_export.MODEL_FILE, sha256=trained.model_sha256, what="model")
        )
        data = ctx.cohort.data
        lp = _export.score(data, doc)
        unscored = [str(i) for i in lp.index[lp.isna()]]
        notes: list[str] = []
        if unscored:
            notes.append(
                f"{len(unscored)} patient(s) without a linear predictor (a missing model "
                f"variable): {name_ids(unscored)}"
            )
        for column, span in doc.ranges.items():
            values = data[column].astype(float)
            outside = values.index[(values < span.minimum) | (values > span.maximum)]
            if len(outside):
                notes.append(
                    f"{column}: {len(outside)} patient(s) outside the training range "
                    f"{span.minimum:.4g} to {span.maximum:.4g} (extrapolated): "
                    f"{name_ids([str(i) for i in outside])}"
                )
        return AppliedResult(
            unit=self.name,
            n=len(data),
            scored=len(data) - len(unscored),
            unscored=unscored,
            frozen={
                "model file sha256": trained.model_sha256,
                "terms": len(doc.coefficients) - 1,
            },
            summary=(
                f"{doc.title}: the frozen Cox model from {_export.MODEL_FILE} applied (linear "
                f"predictor centred at the training means, as predict(type = 'lp'))"
            ),
            columns=_export.columns(lp, doc, doc.title),
            warnings=notes,
        )

    def results_sentences(
        self, result: MultivariableCoxResult, params: MultivariableCoxParams
    ) -> list[Sentence]:
        return marker_sentences(result)

    def methods(self, result: MultivariableCoxResult, params: MultivariableCoxParams) -> str:
        """The Methods paragraph: the model, the nested test, C and the scales."""
        where = "training set" if result.population == "train" else "whole cohort"
        m = result.model
        labels = {v.variable: v.label for v in m.variables}
        adjust = ", ".join(labels[a] for a in result.adjust)
        epv = m.events / max(1, sum(len(v.terms) for v in m.variables))
        epv_text = f"{epv:.1f}" if math.isfinite(epv) else "n/a"
        strata = (
            f", stratified by {', '.join(result.strata)} (a baseline hazard per stratum)"
            if result.strata
            else ""
        )
        horizons = (
            f" The frozen model predicts survival at {', '.join(f'{h:g}' for h in result.horizons)}"
            f" {result.time_unit} from the baseline survival of the fit (as survfit.coxph)."
            if result.horizons
            else ""
        )
        drawn = [f.name.removeprefix("nomogram_") for f in result.figures]
        drawn = [d for d, f in zip(drawn, result.figures, strict=True) if d != f.name]
        if drawn:
            times = ", ".join(drawn)
            horizons += (
                f" Nomograms of the fitted model with predicted survival at {times} "
                f"{result.time_unit} were drawn as rms::nomogram of a cph fit."
            )
        return (
            f"The marker ({labels[result.marker]}) was related to "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} in a multivariable Cox "
            f"proportional-hazards model adjusted for the pre-specified standard variables "
            f"{adjust}, fitted on the {where} (complete cases, n = {m.n}, {m.events} events, "
            f"{epv_text} events per model term; {ties_phrase(result.ties)}){strata}. What the "
            "marker adds "
            "was assessed on the same patients by the likelihood-ratio test of the model with "
            "versus without the marker and by the change in Harrell's C; its unadjusted hazard "
            "ratio (the marker alone, same patients) is shown beside the adjusted one. Hazard "
            f"ratios have Wald {100 * result.level:g}% confidence intervals.{horizons} "
            + software()
        )
