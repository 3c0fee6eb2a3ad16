"""proportional_hazards: cox.zph of a Cox model, per variable and GLOBAL, with residual plots.

The model is fitted on the same patients and options as the Cox units (population, endpoint,
references, scales, ties, strata); :func:`remarkit.stats.cox_zph` gives the score test of each
variable's coefficient varying with (transformed) time, and jointly. A variable whose test has
p below ``alpha`` is named in a warning with the usual remedies: stratify on it (``strata`` of
multivariable_cox) or model a time interaction. The scaled Schoenfeld residuals are plotted
against time with a lowess smooth (a visual aid; R's plot.cox.zph draws a spline).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from matplotlib.figure import Figure
from pydantic import BaseModel, ConfigDict, Field, model_validator
from statsmodels.nonparametric.smoothers_lowess import lowess

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitResult
from remarkit.cells import cell_float, cell_int
from remarkit.modeling.columns import check_columns, collect_warnings, is_categorical
from remarkit.plugins.survival import _fit
from remarkit.plugins.survival._rows import CoxParams, Population, Ties
from remarkit.plugins.survival._text import endpoint_phrase, software, ties_phrase
from remarkit.report.figures import REFERENCE_GREY, new_figure
from remarkit.stats import CoxZphResult, cox_zph

Transform = Literal["km", "identity", "rank", "log"]


class PhParams(CoxParams):
    """The ``[[unit]]`` table of a proportional_hazards unit."""

    variables: list[str] = Field(min_length=1, description="Model variables (as in the model)")
    strata: list[str] = Field(default_factory=list, description="Stratifying columns")
    transform: Transform = Field(default="km", description="Time transform of cox.zph")
    alpha: float = Field(default=0.05, gt=0, lt=1, description="Flag a term with p below this")

    def analysed(self) -> list[str]:
        """The model variables."""
        return list(self.variables)

    @model_validator(mode="after")
    def _strata_apart(self) -> PhParams:
        clash = sorted(set(self.strata) & set(self.variables))
        if clash:
            raise ValueError(f"strata {clash} are also model variables")
        return self


class PhTerm(BaseModel):
    """cox.zph's test of one variable (all its levels together) or GLOBAL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(description="Column name, or 'GLOBAL'")
    label: str = Field(description="Row label")
    chisq: float = Field(description="Score test chi-square")
    df: int = Field(description="Degrees of freedom")
    p_value: float = Field(description="p-value")
    violated: bool = Field(description="p below alpha (the global row included)")


class PhResult(UnitResult):
    """The proportional-hazards tests of a Cox model."""

    kind: Literal["proportional_hazards"] = "proportional_hazards"
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    population: Population = Field(description="'train' or 'all'")
    ties: Ties = Field(description="Tie handling of the model tested")
    strata: list[str] = Field(description="Stratifying columns")
    transform: Transform = Field(description="Time transform")
    alpha: float = Field(description="Level below which a term is flagged")
    n: int = Field(description="Patients in the model")
    events: int = Field(description="Events in the model")
    terms: list[PhTerm] = Field(description="One row per variable, then GLOBAL")


def _labels(ctx: UnitContext, params: PhParams) -> dict[str, str]:
    return {c: params.labels.get(c) or ctx.cohort.label(c) for c in params.variables}


def _plot(res: CoxZphResult, labels: dict[str, str], unit: str, transform: str) -> Figure:
    terms = [c for c in res.residuals.columns if c not in ("time", "x", "stratum")]
    ncols = min(3, len(terms))
    nrows = math.ceil(len(terms) / ncols)
    fig, axes = new_figure(3.2 * ncols, 2.6 * nrows, nrows=nrows, ncols=ncols, squeeze=False)
    x = res.residuals["x"].to_numpy(dtype=float)
    time = res.residuals["time"].to_numpy(dtype=float)
    for k, term in enumerate(terms):
        ax = axes[k // ncols][k % ncols]
        y = res.residuals[term].to_numpy(dtype=float)
        keep = np.isfinite(y)
        ax.scatter(x[keep], y[keep], s=6, alpha=0.4, linewidths=0)
        if keep.sum() > 3:
            smooth = lowess(y[keep], x[keep], frac=2 / 3, it=0)
            ax.plot(smooth[:, 0], smooth[:, 1], linewidth=1.5)
        ax.axhline(0.0, color=REFERENCE_GREY, linestyle="--", linewidth=1)
        variable, _, level = term.partition("[")
        name = labels.get(variable, variable) + (f" [{level}" if level else "")
        ax.set_title(name, fontsize=9)
        ax.set_ylabel("Beta(t)", fontsize=8)
        ticks = np.quantile(x, [0.0, 0.5, 1.0])
        ax.set_xticks(ticks)
        shown = np.interp(ticks, np.sort(x), np.sort(time)) if transform != "identity" else ticks
        ax.set_xticklabels([f"{t:.4g}" for t in shown], fontsize=7)
        ax.set_xlabel(f"Time ({unit})", fontsize=8)
    for k in range(len(terms), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.tight_layout()
    return fig


class ProportionalHazards(Unit[PhParams, PhResult]):
    """cox.zph tests and scaled Schoenfeld residual plots of a Cox model (REMARK 10, 18)."""

    name = "proportional_hazards"
    title = "Proportional-hazards check"
    family = "clinical"
    version = "1.0"
    Params = PhParams
    Result = PhResult
    remark_items = (10, 18)
    citations = ("Grambsch PM, Therneau TM. Biometrika 1994;81:515-26.",)
    report_section = "survival"

    def needs(self, params: PhParams) -> Needs:
        """The model columns and the endpoint."""
        return Needs(
            columns=[*params.variables, *params.strata],
            survival=True,
            endpoint=params.endpoint,
            split=params.population == "train",
        )

    def run(self, ctx: UnitContext, params: PhParams) -> PhResult:
        """Fit the model on the population's complete cases and test proportional hazards."""
        check_columns(ctx, [*params.variables, *params.strata], "variables")
        for column in params.strata:
            if not is_categorical(ctx.cohort.data[column]):
                raise InputError(f"stratum column '{column}' is continuous", field="strata")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        mask = _fit.population_mask(ctx, params)
        scaled = _fit.scales(ctx, params, params.variables, mask)
        frame = _fit.surv_frame(
            ctx, params, endpoint, [*params.variables, *params.strata], scaled, mask
        )
        notes: list[str] = []
        try:
            with collect_warnings(notes):
                res = cox_zph(
                    frame.data,
                    _fit.TIME,
                    _fit.EVENT,
                    list(params.variables),
                    transform=params.transform,
                    ties=params.ties,
                    strata=list(params.strata) or None,
                )
        except StatisticsError as exc:
            raise InputError(f"the model cannot be tested: {exc}", field="variables") from exc
        labels = _labels(ctx, params)
        terms: list[PhTerm] = []
        for row in res.table.itertuples(index=False):
            term = str(row.term)
            p = cell_float(row.p_value)
            terms.append(
                PhTerm(
                    term=term,
                    label="Global test" if term == "GLOBAL" else labels.get(term, term),
                    chisq=cell_float(row.chisq),
                    df=cell_int(row.df),
                    p_value=p,
                    violated=p < params.alpha,
                )
            )
        for t in terms:
            if t.violated and t.term != "GLOBAL":
                notes.append(
                    f"{t.label}: proportional hazards rejected (cox.zph p = {t.p_value:.3g} < "
                    f'{params.alpha:g}); consider stratifying on it (strata = ["{t.term}"] in '
                    "multivariable_cox) or a time interaction"
                )
        figure = ctx.save_figure(
            "schoenfeld",
            _plot(res, labels, endpoint.spec.unit, params.transform),
            f"Scaled Schoenfeld residuals against time ({params.transform} transform) with a "
            f"lowess smooth, {endpoint.label}; a flat smooth supports proportional hazards.",
        )
        return PhResult(
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            population=params.population,
            ties=params.ties,
            strata=list(params.strata),
            transform=params.transform,
            alpha=params.alpha,
            n=res.n,
            events=res.events,
            terms=terms,
            figures=[figure],
            warnings=notes,
        )

    def methods(self, result: PhResult, params: PhParams) -> str:
        """The Methods paragraph."""
        where = "training set" if result.population == "train" else "whole cohort"
        strata = f", stratified by {', '.join(result.strata)}" if result.strata else ""
        return (
            "The proportional-hazards assumption of the Cox model of "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} on the {where} "
            f"(n = {result.n}, {result.events} events; {ties_phrase(result.ties)}{strata}) was "
            "tested with the score test of each variable's coefficient varying with "
            f"{result.transform}-transformed time and jointly (Grambsch-Therneau, as "
            f"survival::cox.zph), flagging p < {result.alpha:g}, and inspected in plots of the "
            "scaled Schoenfeld residuals. " + software()
        )
