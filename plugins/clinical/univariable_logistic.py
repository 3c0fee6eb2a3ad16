"""univariable_logistic: one logistic model per candidate variable on the training set."""

from __future__ import annotations

from importlib.metadata import version
from typing import Literal

from pydantic import Field

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    MISSING_PREDICTOR,
    Needs,
    StatisticsError,
    Unit,
    UnitContext,
    UnitResult,
    exclusion,
    merged,
    population,
    unknown_outcome,
)
from remarkit.modeling import training as _fit
from remarkit.modeling.columns import check_columns, column_label, is_categorical
from remarkit.modeling.logistic_scales import (
    scale_frame,
    scale_imputed,
    scales_sentence,
    training_scales,
)
from remarkit.modeling.missing import (
    ImputableLogisticParams,
    MissingData,
    imputation_methods,
    interval_phrase,
)
from remarkit.modeling.pooled import (
    ImputedTraining,
    impute_training,
    pooled_logistic,
    separated_any,
)
from remarkit.modeling.rows import CiMethod, LogisticParams, ScaledVariableFit, ci_phrase
from remarkit.modeling.scaling import ScaleFit
from remarkit.plugins.clinical._forest import forest_rows
from remarkit.report.labels import outcome_names
from remarkit.text import name_ids


class UnivariableParams(ImputableLogisticParams):
    """The ``[[unit]]`` table of a univariable_logistic unit.

    ``scale`` puts a continuous candidate's odds ratio per SD, per IQR (of the observed
    training values) or per doubling instead of per 1 unit.

    ``missing = "multiple_imputation"`` imputes every candidate at once (with the outcome) on
    the training set, fits each candidate on every completed set and pools by Rubin's rules.
    """


class UnivariableResult(UnitResult):
    """Odds ratios of every candidate variable, each from its own model (training set)."""

    kind: Literal["univariable_logistic"] = "univariable_logistic"
    outcome: str = Field(description="Label of the modelled (positive) outcome")
    ci: CiMethod = Field(description="Confidence interval method")
    level: float = Field(description="Confidence level")
    variables: list[ScaledVariableFit] = Field(
        description="One fit per candidate, in the params' order, with its continuous scale"
    )
    missing_data: MissingData = Field(
        default_factory=lambda: MissingData(method="complete_case"),
        description="Missing-data method (complete cases per variable, or multiple imputation "
        "with m, iterations and the values imputed per variable)",
    )


def fit_variable(
    ctx: UnitContext,
    column: str,
    params: LogisticParams,
    notes: list[str],
    imputed: ImputedTraining | None = None,
    scale: ScaleFit | None = None,
) -> ScaledVariableFit:
    """Fit ``outcome ~ column`` on the training set's complete cases; record named warnings.

    With ``imputed`` the fit runs on every completed training set and is pooled (Rubin's rules);
    the counts per level are then of observed values. With ``scale`` the column enters on it
    (``imputed`` must already be on it).
    """
    label, unit = column_label(ctx, column, params.labels)
    refs = {column: params.reference[column]} if column in params.reference else {}
    frame = imputed.frames[0] if imputed else _fit.train_frame(ctx, [column], refs)
    if imputed is None and scale is not None:
        frame = scale_frame(frame, {column: scale})
    x = frame.data[column]
    categorical = is_categorical(x)
    reference = frame.references.get(column)
    counted = imputed.observed if imputed else frame.data
    at_ref = counted[_fit.OUTCOME][counted[column] == reference] if reference is not None else None
    base = {
        "variable": column,
        "label": label,
        "unit": unit,
        "type": "categorical" if categorical else "continuous",
        "reference": reference,
        "reference_n": None if at_ref is None else int(at_ref.size),
        "reference_events": None if at_ref is None else int(at_ref.sum()),
        "n": len(frame.data),
        "events": frame.events,
        "scale": scale,
    }
    for level in _fit.unused_levels(ctx, frame, column):
        notes.append(f"{label}: level '{level}' has no training patients with data; left out")
    problem = _fit.single_level(frame, column) or _fit.absent_reference(frame, column)
    if problem is not None:
        notes.append(f"{label}: not fitted, {problem}")
        return ScaledVariableFit(**base, terms=[], note=problem)
    separated = separated_any(imputed, column) if imputed else _fit.separated_levels(frame, column)
    notes.extend(f"{label}: {m}" for m in dict.fromkeys(separated.values()))
    try:
        if imputed:
            fit = pooled_logistic(imputed, [column], level=params.level, separated=separated)
        else:
            fit = _fit.fit_logistic(
                frame, [column], ci=params.ci, level=params.level, separated=list(separated)
            )
    except StatisticsError as exc:
        notes.append(f"{label}: not fitted, {exc}")
        return ScaledVariableFit(**base, terms=[], note=str(exc))
    notes.extend(m for m in (f"{label}: {w}" for w in fit.warnings) if m not in notes)
    return ScaledVariableFit(**base, terms=fit.terms)


class UnivariableLogistic(Unit[UnivariableParams, UnivariableResult]):
    """Univariable logistic regression of the outcome on each candidate (REMARK 15)."""

    name = "univariable_logistic"
    title = "Univariable logistic regression"
    family = "clinical"
    version = "1.0"
    Params = UnivariableParams
    Result = UnivariableResult
    remark_items = (10, 15)
    report_section = "regression"

    def needs(self, params: UnivariableParams) -> Needs:
        """The candidate columns and the outcome."""
        return Needs(columns=list(params.variables), outcome=True)

    def run(self, ctx: UnitContext, params: UnivariableParams) -> UnivariableResult:
        """Fit every candidate separately on the training set."""
        from remarkit.report.plots.forest import forest_plot

        check_columns(ctx, params.variables, "variables")
        notes: list[str] = []
        cohort = ctx.cohort
        unknown = unknown_outcome(cohort.outcome, cohort.train)
        if unknown:
            notes.append(
                f"{len(unknown)} training patient(s) with a missing outcome left out of every "
                f"model: {name_ids(unknown)}"
            )
        scales = training_scales(ctx, params.variables, params.scale)
        imputed = None
        if params.missing == "multiple_imputation":
            imputed = impute_training(ctx, params.variables, params, params.reference)
            imputed = scale_imputed(imputed, scales)
        fits = [
            fit_variable(ctx, column, params, notes, imputed, scales.get(column))
            for column in params.variables
        ]
        known = cohort.data[cohort.train & cohort.outcome_known]
        exclusions = exclusion(MISSING_OUTCOME, unknown)
        if imputed is None:
            for fit in fits:
                absent = known.index[known[fit.variable].isna().to_numpy()]
                exclusions += exclusion(MISSING_PREDICTOR, absent, fit.label)
        outcome = outcome_names(ctx.cohort.spec.binary_outcome())[0]
        fig = forest_plot(forest_rows(fits), title=f"Univariable odds ratios for {outcome}")
        figure = ctx.save_figure(
            "forest",
            fig,
            f"Univariable odds ratios "
            f"({interval_phrase(params.ci, params.level, params.missing)}) for {outcome}, "
            "training set.",
        )
        return UnivariableResult(
            outcome=outcome,
            ci=params.ci,
            level=params.level,
            variables=fits,
            missing_data=imputed.missing if imputed else MissingData(method="complete_case"),
            figures=[figure],
            warnings=notes,
            exclusions=exclusions,
            populations=merged(
                population("train", BINARY_OUTCOME, v.n, v.events, v.label)
                for v in fits
                if v.n  # a variable that was not fitted used no patients
            ),
        )

    def methods(self, result: UnivariableResult, params: UnivariableParams) -> str:
        """The Methods paragraph."""
        imputed = result.missing_data.method == "multiple_imputation"
        sample = "missing values multiply imputed" if imputed else "complete cases per variable"
        intervals = (
            f"pooled t-based {100 * result.level:g}% CIs and p-values"
            if imputed
            else f"{ci_phrase(result.ci, result.level)}s and Wald p-values"
        )
        return (
            f"Each of {len(result.variables)} candidate variables was related to "
            f"{result.outcome} by univariable logistic regression on the training set "
            f"({sample}), reporting odds ratios with their {intervals}; categorical "
            "variables were coded against the reference levels of the study specification. "
            "Levels with no events or no non-events (quasi-complete separation) are reported as "
            "not estimable."
            f"{scales_sentence(result.variables, imputed=imputed)}"
            f"{imputation_methods(result.missing_data)} Software: remarkit.stats (statsmodels "
            f"{version('statsmodels')})."
        )
