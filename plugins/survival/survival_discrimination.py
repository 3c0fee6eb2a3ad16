"""survival_discrimination: Harrell's C of markers and Cox linear predictors, per set.

For each score column (a marker, or ``<unit id>.lp`` of a multivariable_cox unit, also on an
external cohort scored by ``remarkit apply``) and each set (whole cohort, training, test or
external validation set): Harrell's C with its standard error and Wald CI, as
``survival::concordance(Surv(time, event) ~ score, reverse = ...)``, from
:func:`remarkit.stats.concordance`; with ``horizons``, also the cumulative/dynamic AUC(t) with
inverse-probability-of-censoring weights and a bootstrap SE/CI, from
:func:`remarkit.stats.time_dependent_auc`. Nothing is fitted: the scores come as they are.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit import (
    FigureRef,
    InputError,
    Needs,
    StatisticsError,
    Unit,
    UnitContext,
    UnitParams,
    UnitResult,
)
from remarkit.engine.cohort import Endpoint
from remarkit.modeling.columns import check_columns, column_label, is_categorical
from remarkit.plugins.survival._td_auc import N_BOOT, TdAucRow, td_auc_rows
from remarkit.plugins.survival._text import endpoint_phrase
from remarkit.report.plots.td_auc import AucPanel, AucSeries, td_auc_figure
from remarkit.stats import concordance

Set = Literal["all", "train", "test"]


class Score(BaseModel):
    """A score column and which end of it is worse."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str = Field(description="Cohort or derived column")
    higher: Literal["worse", "better"] = Field(
        default="worse",
        description="'worse' for a risk score (higher = shorter survival, e.g. a Cox linear "
        "predictor), 'better' when higher values mean longer survival",
    )
    label: str = Field(default="", description="Display label (default: the column's)")


def _default_sets() -> list[Set]:
    return ["train", "test"]


class DiscriminationParams(UnitParams):
    """The ``[[unit]]`` table of a survival_discrimination unit."""

    scores: list[Score] = Field(min_length=1, description="Scores to evaluate")
    endpoint: str | None = Field(default=None, description="Endpoint (default: the study's)")
    sets: list[Set] = Field(
        default_factory=_default_sets,
        description="Sets: 'all' (whole cohort), 'train', 'test' (the external validation set "
        "of an applied cohort); sets without patients are left out",
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")
    horizons: list[float] = Field(
        default_factory=list,
        description="Times (in the endpoint's unit) of a time-dependent AUC(t) per score and "
        "set (cumulative/dynamic, IPCW; bootstrap SE and CI); none by default",
    )

    @field_validator("horizons")
    @classmethod
    def _increasing(cls, value: list[float]) -> list[float]:
        if value and (min(value) <= 0 or sorted(set(value)) != value):
            raise ValueError("horizons must be increasing times > 0")
        return value

    @field_validator("sets")
    @classmethod
    def _distinct(cls, value: list[Set]) -> list[Set]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sets must be non-empty and list each set once")
        return value


class ConcordanceRow(BaseModel):
    """Harrell's C of one score in one set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set: Set = Field(description="'all', 'train' or 'test'")
    set_name: str = Field(description="Display name of the set")
    n: int = Field(description="Patients with the score, a time and an event indicator")
    events: int = Field(description="Of those, with an event")
    excluded: int = Field(description="Patients of the set left out for a missing value")
    c_index: float = Field(description="Harrell's C")
    se: float = Field(description="Standard error (infinitesimal jackknife, as survival)")
    lower: float = Field(description="Lower Wald bound")
    upper: float = Field(description="Upper Wald bound")


class ScoreConcordance(BaseModel):
    """A score's C in every set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    higher: Literal["worse", "better"] = Field(description="Which end is worse")
    rows: list[ConcordanceRow] = Field(description="One row per set with patients")
    td_auc: list[TdAucRow] = Field(
        default_factory=list,
        description="AUC(t) per set and horizon (empty without horizons)",
    )


class DiscriminationResult(UnitResult):
    """Harrell's C of every score per set."""

    kind: Literal["survival_discrimination"] = "survival_discrimination"
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    level: float = Field(description="Confidence level")
    scores: list[ScoreConcordance] = Field(description="One entry per score")
    horizons: list[float] = Field(default_factory=list, description="Horizons of AUC(t)")
    n_boot: int = Field(default=0, description="Bootstrap replicates of AUC(t)'s SE and CI")


def _mask(ctx: UnitContext, which: Set) -> pd.Series:
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which


class SurvivalDiscrimination(Unit[DiscriminationParams, DiscriminationResult]):
    """Harrell's C with SE and CI of scores per set, as survival::concordance."""

    name = "survival_discrimination"
    title = "Survival discrimination"
    family = "evaluator"
    version = "1.1"
    Params = DiscriminationParams
    Result = DiscriminationResult
    remark_items = (18,)
    citations = (
        "Harrell FE et al. JAMA 1982;247:2543-6.",
        "Uno H et al. J Am Stat Assoc 2007;102:527-37.",
        "Blanche P, Dartigues JF, Jacqmin-Gadda H. Stat Med 2013;32:5381-97.",
    )
    report_section = "survival"

    def needs(self, params: DiscriminationParams) -> Needs:
        """The score columns and the endpoint."""
        return Needs(
            columns=[s.column for s in params.scores],
            survival=True,
            endpoint=params.endpoint,
            split=any(s != "all" for s in params.sets),
        )

    def run(self, ctx: UnitContext, params: DiscriminationParams) -> DiscriminationResult:
        """Harrell's C of each score in each set with patients."""
        columns = [s.column for s in params.scores]
        check_columns(ctx, columns, "scores")
        for column in columns:
            if is_categorical(ctx.cohort.data[column]):
                raise InputError(f"score '{column}' is categorical", field="scores")
        endpoint = ctx.cohort.endpoint(params.endpoint)
        sets = [s for s in params.sets if bool(_mask(ctx, s).any())]
        if not sets:
            raise InputError("none of the sets has patients", field="sets")
        notes: list[str] = []
        out: list[ScoreConcordance] = []
        for spec in params.scores:
            label = spec.label or column_label(ctx, spec.column, {})[0]
            x = ctx.cohort.data[spec.column]
            rows: list[ConcordanceRow] = []
            aucs: list[TdAucRow] = []
            for which in sets:
                mask = _mask(ctx, which)
                ok = mask & endpoint.complete & x.notna()
                name = "Whole cohort" if which == "all" else ctx.cohort.split_name(which)
                row = _row(ctx, params, spec, endpoint, which, name, ok, int((mask & ~ok).sum()))
                if isinstance(row, str):
                    notes.append(f"{label}, {name.lower()}: {row}")
                    continue
                rows.append(row)
                if params.horizons:
                    sign = 1.0 if spec.higher == "worse" else -1.0
                    found, why = td_auc_rows(
                        which,
                        name,
                        endpoint.time[ok].to_numpy(dtype=float),
                        endpoint.event[ok].to_numpy(dtype=float),
                        sign * x[ok].to_numpy(dtype=float),
                        params.horizons,
                        seed=ctx.seed,
                        level=params.level,
                    )
                    aucs.extend(found)
                    notes.extend(f"{label}, {name.lower()}: {w}" for w in why)
            out.append(
                ScoreConcordance(
                    column=spec.column, label=label, higher=spec.higher, rows=rows, td_auc=aucs
                )
            )
        figures = []
        if any(s.td_auc for s in out):
            figures.append(_auc_figure(ctx, out, sets, endpoint.spec.unit, params.level))
        return DiscriminationResult(
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            level=params.level,
            scores=out,
            horizons=list(params.horizons),
            n_boot=N_BOOT if params.horizons else 0,
            figures=figures,
            warnings=notes,
        )

    def methods(self, result: DiscriminationResult, params: DiscriminationParams) -> str:
        """The Methods paragraph."""
        return (
            "Discrimination for "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} was measured by "
            "Harrell's concordance index (pairs comparable when the shorter time is an event; "
            "ties in the score count 1/2) with its infinitesimal-jackknife standard error and "
            f"Wald {100 * result.level:g}% confidence interval, as survival::concordance, in each "
            "set separately; scores were applied as they are, with nothing refitted."
            + _auc_methods(result)
        )


def _row(
    ctx: UnitContext,
    params: DiscriminationParams,
    spec: Score,
    endpoint: Endpoint,
    which: Set,
    name: str,
    ok: pd.Series,
    excluded: int,
) -> ConcordanceRow | str:
    """C of one score in one set, or why it cannot be computed."""
    time = endpoint.time[ok].to_numpy(dtype=float)
    event = endpoint.event[ok].to_numpy(dtype=float)
    score = ctx.cohort.data.loc[ok, spec.column].to_numpy(dtype=float)
    if int(event.sum()) == 0:
        return f"no events among the {int(ok.sum())} patients; C not computed"
    try:
        res = concordance(time, event, score, reverse=spec.higher == "worse", level=params.level)
    except StatisticsError as exc:
        return f"C not computed, {exc}"
    return ConcordanceRow(
        set=which,
        set_name=name,
        n=int(ok.sum()),
        events=int(np.sum(event)),
        excluded=excluded,
        c_index=res.estimate,
        se=res.se,
        lower=res.lower,
        upper=res.upper,
    )


def _auc_methods(result: DiscriminationResult) -> str:
    """The AUC(t) sentence of the Methods paragraph (empty without horizons)."""
    if not result.horizons:
        return ""
    times = ", ".join(f"{h:g}" for h in result.horizons)
    return (
        f" The time-dependent AUC at {times} {result.time_unit} was the cumulative/dynamic "
        "AUC(t) (cases: events by t; controls: event-free after t) with inverse-probability-"
        "of-censoring weights from the Kaplan-Meier estimate of the censoring distribution "
        "(Uno et al.; timeROC's marginal weighting), its standard error and percentile "
        f"{100 * result.level:g}% interval from {result.n_boot} seeded bootstrap samples of "
        "patients."
    )


def _auc_figure(
    ctx: UnitContext, scores: list[ScoreConcordance], sets: list[Set], unit: str, level: float
) -> FigureRef:
    """AUC(t) of every score, one panel per set."""
    panels = []
    for which in sets:
        series: list[AucSeries | None] = []
        for s in scores:
            rows = [r for r in s.td_auc if r.set == which]
            series.append(
                AucSeries(
                    label=s.label,
                    times=[r.time for r in rows],
                    auc=[r.auc for r in rows],
                    lower=[r.lower for r in rows],
                    upper=[r.upper for r in rows],
                )
                if rows
                else None
            )
        if any(series):
            name = "Whole cohort" if which == "all" else ctx.cohort.split_name(which)
            panels.append(AucPanel(title=name, series=series))
    return ctx.save_figure(
        "td_auc",
        td_auc_figure(panels, time_unit=unit, level=level),
        f"Time-dependent AUC(t) of each score with {100 * level:g}% bootstrap intervals; "
        "dashed line, chance (0.5).",
    )
