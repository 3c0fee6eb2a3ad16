"""survival_discrimination: Harrell's C of markers and Cox linear predictors, per set.

For each score column (a marker, or ``<unit id>.lp`` of a multivariable_cox unit, also on an
external cohort scored by ``remarkit apply``) and each set (whole cohort, training, test or
external validation set): Harrell's C with its standard error and Wald CI, as
``survival::concordance(Surv(time, event) ~ score, reverse = ...)``, from
:func:`remarkit.stats.concordance`. Nothing is fitted: the scores come as they are.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitParams, UnitResult
from remarkit.engine.cohort import Endpoint
from remarkit.modeling.columns import check_columns, column_label, is_categorical
from remarkit.plugins.survival._text import endpoint_phrase
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


class DiscriminationResult(UnitResult):
    """Harrell's C of every score per set."""

    kind: Literal["survival_discrimination"] = "survival_discrimination"
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    level: float = Field(description="Confidence level")
    scores: list[ScoreConcordance] = Field(description="One entry per score")


def _mask(ctx: UnitContext, which: Set) -> pd.Series:
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which


class SurvivalDiscrimination(Unit[DiscriminationParams, DiscriminationResult]):
    """Harrell's C with SE and CI of scores per set, as survival::concordance."""

    name = "survival_discrimination"
    title = "Survival discrimination"
    family = "evaluator"
    version = "1.0"
    Params = DiscriminationParams
    Result = DiscriminationResult
    remark_items = (18,)
    citations = ("Harrell FE et al. JAMA 1982;247:2543-6.",)
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
            for which in sets:
                mask = _mask(ctx, which)
                ok = mask & endpoint.complete & x.notna()
                name = "Whole cohort" if which == "all" else ctx.cohort.split_name(which)
                row = _row(ctx, params, spec, endpoint, which, name, ok, int((mask & ~ok).sum()))
                if isinstance(row, str):
                    notes.append(f"{label}, {name.lower()}: {row}")
                else:
                    rows.append(row)
            out.append(
                ScoreConcordance(column=spec.column, label=label, higher=spec.higher, rows=rows)
            )
        return DiscriminationResult(
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            level=params.level,
            scores=out,
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
