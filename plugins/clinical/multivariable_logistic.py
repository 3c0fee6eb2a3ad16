"""multivariable_logistic: a model of the variables a selection rule picks, with VIF (Table 2)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from importlib.metadata import version
from typing import Literal

from pydantic import Field, model_validator

from remarkit import BINARY_OUTCOME, InputError, Needs, Unit, UnitContext, UnitResult, population
from remarkit.modeling import training as _fit
from remarkit.modeling.columns import check_columns
from remarkit.modeling.fit import fit_model
from remarkit.modeling.logistic_scales import scales_sentence, training_scales, with_scales
from remarkit.modeling.missing import (
    ImputableLogisticParams,
    MissingData,
    imputation_methods,
    interval_phrase,
)
from remarkit.modeling.pooled import impute_training
from remarkit.modeling.rows import (
    CiMethod,
    ScaledVariableFit,
    VariableFit,
    VifRow,
    ci_phrase,
)
from remarkit.modeling.scaling import ScaleFit
from remarkit.plugins.clinical._forest import forest_rows
from remarkit.plugins.clinical.univariable_logistic import UnivariableResult
from remarkit.report.labels import outcome_names


class MultivariableParams(ImputableLogisticParams):
    """The ``[[unit]]`` table of a multivariable_logistic unit.

    ``variables`` are the candidates. With ``univariable`` (an upstream univariable_logistic
    unit's id) a candidate enters when any of its terms has a univariable p below
    ``p_threshold``; without it every candidate enters. ``force`` variables always enter.
    ``missing = "multiple_imputation"`` imputes every candidate (with the outcome) on the
    training set and pools the model fitted on each completed set by Rubin's rules.
    ``scale`` puts a continuous variable's odds ratio per SD, per IQR (of the observed training
    values) or per doubling; with ``univariable`` it must match that unit's scale.
    """

    univariable: str | None = Field(
        default=None, description="Id of the univariable_logistic unit selecting variables"
    )
    p_threshold: float = Field(default=0.05, gt=0, le=1, description="Univariable p below which")
    force: list[str] = Field(default_factory=list, description="Variables that always enter")

    @model_validator(mode="after")
    def _force_among_candidates(self) -> MultivariableParams:
        extra = sorted(set(self.force) - set(self.variables))
        if extra:
            raise ValueError(f"force lists variables that are not candidates: {extra}")
        return self


class MultivariableResult(UnitResult):
    """The multivariable model (training set), its VIFs and the univariable columns of Table 2."""

    kind: Literal["multivariable_logistic"] = "multivariable_logistic"
    outcome: str = Field(description="Label of the modelled (positive) outcome")
    ci: CiMethod = Field(description="Confidence interval method")
    level: float = Field(description="Confidence level")
    selection: Literal["univariable", "all"] = Field(description="How variables were chosen")
    univariable_unit: str | None = Field(description="The selecting univariable unit")
    p_threshold: float | None = Field(description="Univariable p-value threshold")
    selected: list[str] = Field(description="Variables in the model, in candidate order")
    forced: list[str] = Field(description="Variables forced in")
    n: int = Field(
        description="Training patients in the model (complete cases; all under imputation)"
    )
    events: int = Field(description="Of those, with the positive outcome")
    epv: float = Field(description="Events per variable: min(events, non-events) / model terms")
    intercept: float = Field(description="Intercept (log odds)")
    variables: list[ScaledVariableFit] = Field(
        description="Model variables with their terms and continuous scales"
    )
    vif: list[VifRow] = Field(description="GVIF per variable (car::vif); empty for one variable")
    univariable: list[ScaledVariableFit] = Field(
        description="The selecting unit's univariable fits (Table 2's left half)"
    )
    missing_data: MissingData = Field(
        default_factory=lambda: MissingData(method="complete_case"),
        description="Missing-data method (complete cases, or multiple imputation with m, "
        "iterations and the values imputed per variable); under imputation the VIFs are of "
        "the first completed data set",
    )


class MultivariableLogistic(Unit[MultivariableParams, MultivariableResult]):
    """Multivariable logistic regression with a stated selection rule (REMARK 16, 17)."""

    name = "multivariable_logistic"
    title = "Multivariable logistic regression"
    family = "clinical"
    version = "1.0"
    Params = MultivariableParams
    Result = MultivariableResult
    remark_items = (10, 16, 17)
    report_section = "regression"

    def needs(self, params: MultivariableParams) -> Needs:
        """The candidate columns, the outcome and the selecting unit."""
        units = [params.univariable] if params.univariable else []
        return Needs(columns=list(params.variables), units=units, outcome=True)

    def run(self, ctx: UnitContext, params: MultivariableParams) -> MultivariableResult:
        """Select, fit on the training set, compute VIFs, draw the forest plot."""
        from remarkit.report.plots.forest import forest_plot

        check_columns(ctx, params.variables, "variables")
        univariable = self._univariable(ctx, params)
        selected = _select(params, univariable) if univariable else list(params.variables)
        if not selected:
            raise InputError(
                f"no candidate has a univariable p < {params.p_threshold:g}; nothing to model",
                field="p_threshold",
            )
        scales = training_scales(ctx, params.variables, params.scale)
        _same_scales(params, univariable, scales)
        notes: list[str] = []
        imputed = None
        if params.missing == "multiple_imputation":
            imputed = impute_training(ctx, params.variables, params, params.reference)
        model = fit_model(
            ctx, selected, params, notes, field="variables", imputed=imputed, scales=scales
        )
        variables = with_scales(model.variables, scales)
        vif_rows: list[VifRow] = []
        if len(selected) > 1:
            vif_rows = [
                VifRow(variable=v, label=model.label(v), gvif=g, df=d, gvif_adjusted=a)
                for v, g, d, a in _fit.fit_vif(model.frame, selected)
            ]
        outcome = outcome_names(ctx.cohort.spec.binary_outcome())[0]
        fig = forest_plot(forest_rows(variables), title=f"Multivariable model: {outcome}")
        figure = ctx.save_figure(
            "forest",
            fig,
            f"Adjusted odds ratios ({interval_phrase(params.ci, params.level, params.missing)}) "
            "of the multivariable "
            f"model for {outcome}, training set.",
        )
        return MultivariableResult(
            outcome=outcome,
            ci=params.ci,
            level=params.level,
            selection="univariable" if univariable else "all",
            univariable_unit=params.univariable,
            p_threshold=params.p_threshold if univariable else None,
            selected=selected,
            forced=list(params.force),
            n=model.n,
            events=model.events,
            epv=model.epv,
            intercept=model.intercept,
            variables=variables,
            vif=vif_rows,
            univariable=univariable,
            missing_data=imputed.missing if imputed else MissingData(method="complete_case"),
            figures=[figure],
            warnings=notes,
            exclusions=model.frame.exclusions(),
            populations=[population("train", BINARY_OUTCOME, model.n, model.events, "model fit")],
        )

    @staticmethod
    def _univariable(ctx: UnitContext, params: MultivariableParams) -> list[ScaledVariableFit]:
        if params.univariable is None:
            return []
        upstream = ctx.upstream[params.univariable]
        if not isinstance(upstream, UnivariableResult):
            raise InputError(
                f"unit '{params.univariable}' is not a univariable_logistic unit",
                field="univariable",
            )
        fits = upstream.variables
        by_name = {f.variable: f for f in fits}
        missing = [c for c in params.variables if c not in by_name]
        if missing:
            raise InputError(
                f"candidates {missing} are not in unit '{params.univariable}'",
                field="variables",
            )
        return list(fits)

    def methods(self, result: MultivariableResult, params: MultivariableParams) -> str:
        """The Methods paragraph: the selection rule, the fit, VIF and EPV."""
        if result.selection == "univariable":
            rule = (
                f"variables with a univariable p < {result.p_threshold:g} (any level) in unit "
                f"'{result.univariable_unit}'"
            )
        else:
            rule = "the pre-specified variables"
        forced = f", with {', '.join(result.forced)} forced in" if result.forced else ""
        imputed = result.missing_data.method == "multiple_imputation"
        if imputed:
            sample = f"n = {result.n}, missing values multiply imputed"
            intervals = f"pooled t-based {100 * result.level:g}% CIs"
            vif = "; on the first completed data set"
        else:
            sample = f"complete cases, n = {result.n}"
            intervals = f"{ci_phrase(result.ci, result.level)}s"
            vif = ""
        return (
            f"A multivariable logistic model of {result.outcome} was fitted on the training set "
            f"({sample}, {result.events} events, {result.epv:.1f} events "
            f"per variable) with {rule}{forced}. Odds ratios are reported with their "
            f"{intervals}; "
            "collinearity was assessed with generalised variance inflation factors (GVIF, "
            f"car::vif){vif}, and fewer than 10 events per variable is flagged."
            f"{scales_sentence(result.variables, imputed=imputed)}"
            f"{imputation_methods(result.missing_data)} Software: remarkit.stats "
            f"(statsmodels {version('statsmodels')})."
        )


def _select(params: MultivariableParams, univariable: Sequence[VariableFit]) -> list[str]:
    """Candidates forced in or with any estimable univariable term at p < the threshold."""
    best = {
        v.variable: min((t.p_value for t in v.terms if t.estimable), default=math.inf)
        for v in univariable
    }
    return [c for c in params.variables if c in params.force or best[c] < params.p_threshold]


def _same_scales(
    params: MultivariableParams,
    univariable: list[ScaledVariableFit],
    scales: dict[str, ScaleFit],
) -> None:
    """Table 2 shows both columns on one scale: a variable's scale must match the upstream's."""
    for fit in univariable:
        here = scales.get(fit.variable)
        if here is None or fit.variable not in params.variables:
            continue
        there = fit.scale.scale if fit.scale is not None else "unit"
        if here.scale != there:
            raise InputError(
                f"'{fit.variable}' is on scale '{here.scale}' here but '{there}' in unit "
                f"'{params.univariable}'; the univariable and multivariable columns need one scale",
                field=f"scale.{fit.variable}",
            )
