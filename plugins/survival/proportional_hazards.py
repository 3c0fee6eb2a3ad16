"""proportional_hazards: cox.zph tests and Schoenfeld residual plots of one Cox model.

One Cox model of the endpoint on ``variables`` (optionally stratified by ``strata``) is fitted on
the population's complete cases; :func:`remarkit.stats.cox_zph` tests proportional hazards per
term and globally (survival >= 3.0, score test, ``terms = TRUE``), and the scaled Schoenfeld
residuals are plotted against the transformed time with plot.cox.zph's natural-spline smooth.
A term with p < alpha is a named warning and a highlighted row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitResult
from remarkit import population as counts_of
from remarkit.cells import cell_float, cell_int
from remarkit.modeling.columns import check_columns, collect_warnings, column_label, is_categorical
from remarkit.plugins.survival import _fit
from remarkit.plugins.survival._rows import CoxParams, Population, Ties
from remarkit.plugins.survival._text import endpoint_phrase, software, ties_phrase
from remarkit.plugins.survival._zph_smooth import zph_smooth
from remarkit.report.formatting import p_phrase

if TYPE_CHECKING:
    from remarkit.plugins.survival._zph_plot import ResidualPanel
    from remarkit.stats import CoxZphResult

Transform = Literal["km", "identity", "rank", "log"]
TRANSFORM_TEXT: dict[str, str] = {
    "km": "one minus the Kaplan-Meier estimate (transform 'km')",
    "identity": "time itself (transform 'identity')",
    "rank": "the rank of the event times (transform 'rank')",
    "log": "log time (transform 'log')",
}
GLOBAL = "GLOBAL"
#: The residual plots' x axis is the transformed time, labelled with times (as plot.cox.zph).
AXIS_SCALE: dict[str, str] = {
    "km": ", Kaplan-Meier scale",
    "identity": "",
    "rank": ", rank scale",
    "log": ", log scale",
}


class ProportionalHazardsParams(CoxParams):
    """The ``[[unit]]`` table of a proportional_hazards unit."""

    variables: list[str] = Field(min_length=1, description="Model variables: cohort or derived")
    strata: list[str] = Field(
        default_factory=list,
        description="Categorical columns to stratify by (a separate baseline hazard per level; "
        "the remedy for a variable that violates proportional hazards)",
    )
    transform: Transform = Field(
        default="km", description="Time transform of cox.zph: 'km', 'identity', 'rank', 'log'"
    )
    alpha: float = Field(
        default=0.05, gt=0.0, lt=1.0, description="A term with p < alpha is flagged"
    )
    df: int = Field(default=4, ge=3, le=10, description="Degrees of freedom of the spline smooth")

    def analysed(self) -> list[str]:
        """The model variables."""
        return list(self.variables)

    @model_validator(mode="after")
    def _strata_not_in_model(self) -> ProportionalHazardsParams:
        both = sorted(set(self.strata) & set(self.variables))
        if both:
            raise ValueError(f"strata column(s) {both} are also model variables")
        if len(set(self.strata)) != len(self.strata):
            raise ValueError("strata lists a column more than once")
        return self


class ZphTest(BaseModel):
    """cox.zph's test of one term (or GLOBAL): chi-square, df, p and the verdict."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="Model variable, or 'GLOBAL' for the joint test")
    label: str = Field(description="Display label")
    chisq: float = Field(description="Score test chi-square of term x g(t)")
    df: int = Field(description="Degrees of freedom (levels - 1 for a categorical variable)")
    p_value: float = Field(description="Upper-tail chi-square p-value")
    violates: bool = Field(description="p < alpha: proportional hazards is doubtful")


class ZphCurve(BaseModel):
    """plot.cox.zph's smooth of one term's scaled residuals, with its band."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="Model variable")
    constant: float = Field(
        description="The time-constant estimate the curve is compared with: the coefficient "
        "(one-df term) or 1 (a categorical term, residuals as multiples of its fitted effect)"
    )
    x: list[float] = Field(description="Transformed times of the curve")
    fit: list[float] = Field(description="Smoothed beta(t)")
    lower: list[float] = Field(description="fit - z se")
    upper: list[float] = Field(description="fit + z se")


class ProportionalHazardsResult(UnitResult):
    """Tests of proportional hazards per term and globally, and the residual smooths."""

    kind: Literal["proportional_hazards"] = "proportional_hazards"
    endpoint: str = Field(description="Endpoint name")
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    population: Population = Field(description="'train' or 'all'")
    transform: Transform = Field(description="cox.zph's time transform")
    ties: Ties = Field(description="Tie handling of the model tested")
    alpha: float = Field(description="Significance level of the flag")
    level: float = Field(description="Confidence level of the smooth's band")
    df: int = Field(description="Degrees of freedom of the spline smooth")
    strata: list[str] = Field(description="Stratifying columns")
    strata_labels: list[str] = Field(description="Their display labels")
    n: int = Field(description="Patients in the model")
    events: int = Field(description="Of those, with an event")
    excluded_variables: int = Field(description="Left out for a missing variable or stratum")
    excluded_endpoint: int = Field(description="Left out for a missing time or event")
    tests: list[ZphTest] = Field(description="One test per model variable, then GLOBAL")
    curves: list[ZphCurve] = Field(description="Smooths of the terms that could be smoothed")
    violations: list[str] = Field(description="Labels of the terms with p < alpha")


def _tests(table: pd.DataFrame, labels: dict[str, str], alpha: float) -> list[ZphTest]:
    rows = []
    for row in table.itertuples(index=False):
        p = cell_float(row.p_value)
        rows.append(
            ZphTest(
                term=str(row.term),
                label=labels.get(str(row.term), "Global test"),
                chisq=cell_float(row.chisq),
                df=cell_int(row.df),
                p_value=p,
                violates=bool(p < alpha),
            )
        )
    return rows


def _violation(test: ZphTest, alpha: float, categorical: bool) -> str:
    """The named warning of a term (or GLOBAL) with p < alpha, with its remedies."""
    what = "the model as a whole (global test)" if test.term == GLOBAL else test.label
    text = (
        f"Proportional hazards doubtful for {what}: cox.zph chi-square {test.chisq:.2f} on "
        f"{test.df} df, {p_phrase(test.p_value)} (alpha {alpha:g}); "
    )
    if test.term == GLOBAL:
        return text + "see the terms flagged and the residual plots"
    if categorical:
        return text + (
            f'consider stratifying by it (strata = ["{test.term}"]) or a time-varying '
            "coefficient (an interaction with time)"
        )
    return text + (
        "consider a time-varying coefficient (an interaction with time) or stratifying by "
        "a categorised version of it ([cohort.derived] cut, then strata)"
    )


def _constants(frame: _fit.SurvFrame, params: ProportionalHazardsParams) -> dict[str, float]:
    """Each variable's time-constant reference line: its coefficient, or 1 (several terms)."""
    from remarkit.stats import cox_regression

    fit = cox_regression(
        frame.data,
        _fit.TIME,
        _fit.EVENT,
        params.variables,
        strata=params.strata or None,
        ties=params.ties,
        concordance_index=False,
    )
    out: dict[str, float] = {}
    for column in params.variables:
        coefs = fit.table.loc[fit.table["variable"] == column, "coef"]
        out[column] = float(coefs.iloc[0]) if len(coefs) == 1 else 1.0
    return out


class ProportionalHazards(Unit[ProportionalHazardsParams, ProportionalHazardsResult]):
    """cox.zph tests per term and GLOBAL, with scaled Schoenfeld residual plots."""

    name = "proportional_hazards"
    title = "Proportional hazards"
    family = "clinical"
    version = "1.0"
    Params = ProportionalHazardsParams
    Result = ProportionalHazardsResult
    remark_items = (10, 18)
    citations = (
        "Grambsch PM, Therneau TM. Biometrika 1994;81:515-26.",
        "Therneau TM. survival: A Package for Survival Analysis in R.",
    )
    report_section = "survival"

    def needs(self, params: ProportionalHazardsParams) -> Needs:
        """The model variables, the strata and the endpoint."""
        return Needs(
            columns=[*params.variables, *params.strata],
            survival=True,
            endpoint=params.endpoint,
            split=params.population == "train",
        )

    def run(self, ctx: UnitContext, params: ProportionalHazardsParams) -> ProportionalHazardsResult:
        """Fit the model on the population's complete cases and test it."""
        from scipy.stats import norm

        from remarkit.plugins.survival._zph_plot import residual_figure, time_ticks
        from remarkit.stats import cox_zph

        columns = [*params.variables, *params.strata]
        check_columns(ctx, columns, "variables")
        for column in params.strata:
            if not is_categorical(ctx.cohort.data[column]):
                raise InputError(f"stratum column '{column}' is not categorical", field="strata")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        mask = _fit.population_mask(ctx, params)
        scaled = _fit.scales(ctx, params, params.variables, mask)
        frame = _fit.surv_frame(ctx, params, endpoint, columns, scaled, mask)
        where = _fit.population_name(params)
        problems = [
            f"{column_label(ctx, c, params.labels)[0]}: {p}"
            for c in params.variables
            if (p := _fit.fit_problem(ctx, frame, c, _fit.reference_level(ctx, params, c)))
        ]
        if frame.data.empty or problems or int(frame.data[_fit.EVENT].sum()) == 0:
            why = "; ".join(problems) or f"no events among the {len(frame.data)} patients"
            raise InputError(
                f"the Cox model cannot be fitted on the {where}: {why}", field="variables"
            )
        notes: list[str] = []
        labels = {c: column_label(ctx, c, params.labels)[0] for c in params.variables}
        try:
            with collect_warnings(notes, prefix="Cox model: "):
                zph = cox_zph(
                    frame.data,
                    _fit.TIME,
                    _fit.EVENT,
                    params.variables,
                    transform=params.transform,
                    ties=params.ties,
                    strata=params.strata or None,
                )
                constants = _constants(frame, params)
        except StatisticsError as exc:
            raise InputError(f"the Cox model cannot be fitted on the {where}: {exc}") from exc
        tests = _tests(zph.table, labels, params.alpha)
        notes.extend(
            _violation(t, params.alpha, is_categorical(frame.data[t.term]))
            for t in tests
            if t.violates and t.term != GLOBAL
        )
        notes.extend(
            _violation(t, params.alpha, False) for t in tests if t.violates and t.term == GLOBAL
        )
        z = float(norm.ppf(0.5 + params.level / 2.0))
        curves, panels = self._curves(zph, params, labels, constants, tests, z, notes)
        ticks = time_ticks(
            zph.residuals["x"].to_numpy(dtype=float),
            zph.residuals["time"].to_numpy(dtype=float),
            params.transform,
        )
        xlabel = f"Time ({endpoint.spec.unit}{AXIS_SCALE[params.transform]})"
        figure = ctx.save_figure(
            "schoenfeld",
            residual_figure(panels, ticks, xlabel=xlabel),
            f"Scaled Schoenfeld residuals against {TRANSFORM_TEXT[params.transform]} for "
            f"{endpoint.label}, {where} ({zph.events} events): natural-spline smooth "
            f"(df = {params.df}) with its {100 * params.level:g}% band; the dotted line is the "
            "time-constant estimate (a flat smooth along it supports proportional hazards).",
        )
        return ProportionalHazardsResult(
            endpoint=endpoint.name,
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            population=params.population,
            transform=params.transform,
            ties=params.ties,
            alpha=params.alpha,
            level=params.level,
            df=params.df,
            strata=list(params.strata),
            strata_labels=[column_label(ctx, c, {})[0] for c in params.strata],
            n=zph.n,
            events=zph.events,
            excluded_variables=frame.excluded_variables,
            excluded_endpoint=frame.excluded_endpoint,
            tests=tests,
            curves=curves,
            violations=[t.label for t in tests if t.violates and t.term != GLOBAL],
            figures=[figure],
            warnings=notes,
            populations=[
                counts_of(params.population, endpoint.name, zph.n, zph.events, "model tested")
            ],
        )

    def _curves(
        self,
        zph: CoxZphResult,
        params: ProportionalHazardsParams,
        labels: dict[str, str],
        constants: dict[str, float],
        tests: list[ZphTest],
        z: float,
        notes: list[str],
    ) -> tuple[list[ZphCurve], list[ResidualPanel]]:
        from remarkit.plugins.survival._zph_plot import ResidualPanel

        x = zph.residuals["x"].to_numpy(dtype=float)
        curves: list[ZphCurve] = []
        panels: list[ResidualPanel] = []
        verdict = {t.term: t for t in tests}
        for column in params.variables:
            y = zph.residuals[column].to_numpy(dtype=float)
            smooth = zph_smooth(x, y, cell_float(zph.var.loc[column, column]), df=params.df)
            if smooth is None:
                notes.append(f"{labels[column]}: too few distinct event times for the smooth")
            else:
                curves.append(
                    ZphCurve(
                        term=column,
                        constant=constants[column],
                        x=smooth.x.tolist(),
                        fit=smooth.fit.tolist(),
                        lower=(smooth.fit - z * smooth.se).tolist(),
                        upper=(smooth.fit + z * smooth.se).tolist(),
                    )
                )
            curve = curves[-1] if smooth is not None else None
            panels.append(
                ResidualPanel(
                    title=labels[column],
                    x=x,
                    y=y,
                    smooth_x=None if curve is None else curve.x,
                    fit=None if curve is None else curve.fit,
                    lower=None if curve is None else curve.lower,
                    upper=None if curve is None else curve.upper,
                    constant=constants[column],
                    p_value=verdict[column].p_value,
                    violates=verdict[column].violates,
                )
            )
        return curves, panels

    def methods(self, result: ProportionalHazardsResult, params: ProportionalHazardsParams) -> str:
        """The Methods paragraph: the model, the test, the plots and the remedies."""
        where = "training set" if result.population == "train" else "whole cohort"
        labels = [t.label for t in result.tests if t.term != GLOBAL]
        strata = (
            f", stratified by {', '.join(result.strata_labels)} (a separate baseline hazard per "
            "stratum)"
            if result.strata
            else ""
        )
        text = (
            "The proportional-hazards assumption was checked for the Cox model of "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} on {', '.join(labels)}"
            f"{strata}, fitted on the {where} (complete cases, n = {result.n}, {result.events} "
            f"events; {ties_phrase(result.ties)}), by the score test of each term's interaction "
            "with "
            f"a function of time g(t), g = {TRANSFORM_TEXT[result.transform]}, per term (a "
            "categorical variable tested on all its levels jointly) and globally (Grambsch and "
            "Therneau; as R survival's cox.zph >= 3.0). A term with p < "
            f"{result.alpha:g} was flagged. Scaled Schoenfeld residuals were plotted against "
            "transformed time with a natural cubic spline smooth (least squares, "
            f"{result.df} degrees of freedom, as plot.cox.zph) and its {100 * result.level:g}% "
            "pointwise band (plot.cox.zph draws +/- 2 standard errors). Remedies for a violating "
            "variable are to stratify the model by it (this unit's strata) or to let its "
            "coefficient vary with time (an interaction with a function of time). "
        )
        if result.violations:
            text += f"Flagged: {', '.join(result.violations)}. "
        return text + software()
