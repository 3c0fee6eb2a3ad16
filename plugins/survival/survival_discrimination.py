"""survival_discrimination: Harrell's C of survival scores per set, as survival::concordance.

Each score (a cohort or derived column: a raw marker, a ``[cohort.derived]`` variable or a Cox
model's linear predictor ``<unit id>.lp``) is evaluated in each set that has patients: the
training and test sets of ``remarkit run``, the one external validation set of ``remarkit
apply``. Nothing is fitted here; a score fitted on the training set is optimistic there.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit import (
    MISSING_SCORE,
    MISSING_SURVIVAL,
    Endpoint,
    InputError,
    Needs,
    StatisticsError,
    Unit,
    UnitContext,
    UnitParams,
    UnitResult,
    exclusion,
    merged,
)
from remarkit import population as counts_of
from remarkit.modeling.columns import column_label
from remarkit.plugins.survival._score_sets import Set, join, score_column, set_mask
from remarkit.plugins.survival._td_auc import AucAt, set_auc
from remarkit.plugins.survival._text import endpoint_phrase
from remarkit.text import name_ids


def _default_sets() -> list[Set]:
    return ["train", "test"]


class SurvivalScore(UnitParams):
    """A score to evaluate: a cohort or derived column and which end predicts the event."""

    column: str = Field(description="Cohort or derived column, e.g. 'cox.lp' or 'pgr'")
    label: str = Field(default="", description="Display label (default: the column's label)")
    direction: Literal["higher", "lower"] = Field(
        default="higher",
        description="Which end predicts the event (shorter survival): 'higher' for a risk score "
        "or linear predictor (concordance reverse = TRUE), 'lower' for a protective marker",
    )


class SurvivalDiscriminationParams(UnitParams):
    """The ``[[unit]]`` table of a survival_discrimination unit."""

    endpoint: str | None = Field(
        default=None, description="Time-to-event endpoint (default: the study's default one)"
    )
    scores: list[SurvivalScore] = Field(min_length=1, description="Scores, in table order")
    sets: list[Set] = Field(
        default_factory=_default_sets,
        description="Sets: 'all' (whole cohort), 'train', 'test' (the external validation set "
        "of an applied cohort); sets without patients are left out",
    )
    horizons: list[float] = Field(
        default_factory=list,
        description="Horizons of the time-dependent AUC, in the endpoint's time unit "
        "(increasing, > 0); none: Harrell's C only",
    )
    n_boot: int = Field(
        default=200, ge=20, le=10000, description="Bootstrap replicates of the AUC(t) intervals"
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")

    @field_validator("horizons")
    @classmethod
    def _increasing(cls, value: list[float]) -> list[float]:
        if any(t <= 0 for t in value) or any(b <= a for a, b in pairwise(value)):
            raise ValueError("horizons must be increasing times > 0")
        return value

    @field_validator("sets")
    @classmethod
    def _distinct(cls, value: list[Set]) -> list[Set]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sets must be non-empty and list each set once")
        return value

    @field_validator("scores")
    @classmethod
    def _unique(cls, value: list[SurvivalScore]) -> list[SurvivalScore]:
        columns = [s.column for s in value]
        doubles = sorted({c for c in columns if columns.count(c) > 1})
        if doubles:
            raise ValueError(f"scores list column(s) {doubles} more than once")
        return value


class SetConcordance(BaseModel):
    """Harrell's C of one score in one set (estimate None when no pair is comparable)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set: Set = Field(description="'all', 'train' or 'test' (an external cohort is all 'test')")
    name: str = Field(description="Display name of the set")
    n: int = Field(description="Patients with the score and the endpoint")
    events: int = Field(description="Of those, with an event")
    estimate: float | None = Field(description="Harrell's C")
    se: float | None = Field(description="Standard error (infinitesimal jackknife)")
    lower: float | None = Field(description="Lower Wald bound, C - z SE")
    upper: float | None = Field(description="Upper Wald bound, C + z SE")
    concordant: int = Field(description="Concordant comparable pairs")
    discordant: int = Field(description="Discordant comparable pairs")
    tied_x: int = Field(description="Comparable pairs tied on the score (count 1/2)")
    note: str = Field(default="", description="Why C was not estimated, if it was not")
    auc: list[AucAt] = Field(
        default_factory=list, description="Time-dependent AUC at each horizon (if requested)"
    )


class ScoreConcordance(BaseModel):
    """One score: its direction and its C per set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    direction: Literal["higher", "lower"] = Field(description="Which end predicts the event")
    sets: list[SetConcordance] = Field(description="One row per set with patients, in order")
    missing: int = Field(
        description="Patients of the sets with the endpoint but no score (left out)"
    )


class SurvivalDiscriminationResult(UnitResult):
    """Harrell's C of every score in every set."""

    kind: Literal["survival_discrimination"] = "survival_discrimination"
    endpoint: str = Field(description="Endpoint name")
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    level: float = Field(description="Confidence level")
    has_training_set: bool = Field(description="False for an external validation cohort")
    horizons: list[float] = Field(default_factory=list, description="AUC(t) horizons")
    n_boot: int = Field(default=0, description="Bootstrap replicates of the AUC(t) intervals")
    seed: int = Field(default=0, description="Seed of the bootstrap (the study's seed)")
    scores: list[ScoreConcordance] = Field(description="One block per score")


def _set_c(
    ctx: UnitContext,
    which: Set,
    endpoint: Endpoint,
    values: pd.Series,
    spec: SurvivalScore,
    params: SurvivalDiscriminationParams,
    seed: int,
    notes: list[str],
    label: str,
) -> SetConcordance:
    from remarkit.stats import concordance

    keep = set_mask(ctx, which) & endpoint.complete & values.notna()
    time = endpoint.time[keep].to_numpy(dtype=float)
    event = endpoint.event[keep].to_numpy(dtype=float)
    name = ctx.cohort.set_label(which)
    counts = {"set": which, "name": name, "n": int(keep.sum()), "events": int(event.sum())}
    score = values[keep].to_numpy(dtype=float)
    auc = []
    if params.horizons and score.size:
        risk = score if spec.direction == "higher" else -score
        auc = set_auc(
            time, event, risk, params.horizons, n_boot=params.n_boot, seed=seed, level=params.level
        )
        for row in auc:
            if row.auc is None:
                notes.append(
                    f"{label}, {name.lower()}: AUC at {row.time:g} not estimated, {row.note}"
                )
    try:
        res = concordance(
            time, event, score, reverse=spec.direction == "higher", level=params.level
        )
    except StatisticsError as exc:
        notes.append(f"{label}, {name.lower()}: C not estimated, {exc}")
        return SetConcordance(
            **counts,
            estimate=None,
            se=None,
            lower=None,
            upper=None,
            concordant=0,
            discordant=0,
            tied_x=0,
            note=str(exc),
            auc=auc,
        )
    return SetConcordance(
        **counts,
        estimate=res.estimate,
        se=res.se,
        lower=res.lower,
        upper=res.upper,
        concordant=res.concordant,
        discordant=res.discordant,
        tied_x=res.tied_x,
        auc=auc,
    )


class SurvivalDiscrimination(Unit[SurvivalDiscriminationParams, SurvivalDiscriminationResult]):
    """Harrell's C (SE and CI as survival::concordance) of survival scores per set."""

    name = "survival_discrimination"
    title = "Survival discrimination"
    family = "evaluator"
    version = "1.0"
    Params = SurvivalDiscriminationParams
    Result = SurvivalDiscriminationResult
    remark_items = (10, 18)
    citations = (
        "Harrell FE, Lee KL, Mark DB. Stat Med 1996;15:361-87.",
        "Therneau TM, Watson DA. The concordance statistic and the Cox model. Mayo Clinic, 2017.",
    )
    report_section = "survival"

    def needs(self, params: SurvivalDiscriminationParams) -> Needs:
        """The score columns and the endpoint."""
        return Needs(
            columns=[s.column for s in params.scores],
            survival=True,
            endpoint=params.endpoint,
            split=any(s != "all" for s in params.sets),
        )

    def run(
        self, ctx: UnitContext, params: SurvivalDiscriminationParams
    ) -> SurvivalDiscriminationResult:
        """C of every score in every set with patients; complete cases per score."""
        from remarkit.plugins.survival._concordance_plot import (
            AucCurve,
            CPoint,
            auc_figure,
            concordance_figure,
        )

        endpoint = ctx.cohort.endpoint(params.endpoint)
        notes: list[str] = []
        splits = [s for s in params.sets if bool(set_mask(ctx, s).any())]
        if not splits:
            raise InputError("none of the sets has patients", field="sets")
        within = pd.concat([set_mask(ctx, s) for s in splits], axis=1).any(axis=1)
        no_endpoint = [
            str(i) for i in endpoint.complete.index[(~endpoint.complete & within).to_numpy()]
        ]
        if no_endpoint:
            notes.append(
                f"{len(no_endpoint)} patient(s) without a time or event indicator for "
                f"{endpoint.label} left out ({name_ids(no_endpoint)})"
            )
        exclusions = exclusion(MISSING_SURVIVAL, no_endpoint)
        blocks: list[ScoreConcordance] = []
        for spec in params.scores:
            values = score_column(ctx, spec.column)
            label = spec.label or column_label(ctx, spec.column, {})[0]
            missing = values.index[(values.isna() & endpoint.complete & within).to_numpy()]
            if len(missing):
                ids = [str(i) for i in missing]
                notes.append(
                    f"{label}: {len(ids)} patient(s) with a missing score left out "
                    f"({name_ids(ids)})"
                )
                exclusions += exclusion(MISSING_SCORE, ids, scope=label)
            sets = [
                _set_c(ctx, s, endpoint, values, spec, params, ctx.seed, notes, label)
                for s in splits
            ]
            blocks.append(
                ScoreConcordance(
                    column=spec.column,
                    label=label,
                    direction=spec.direction,
                    sets=sets,
                    missing=len(missing),
                )
            )
        points = [
            CPoint(b.label, s.name, s.estimate, s.lower, s.upper) for b in blocks for s in b.sets
        ]
        where = join([ctx.cohort.set_label(s).lower() for s in splits])
        figure = ctx.save_figure(
            "concordance",
            concordance_figure(points, level=params.level),
            f"Harrell's C of each score for {endpoint.label} in the {where}, with "
            f"{100 * params.level:g}% confidence intervals (C +/- z SE); the dashed line is 0.5 "
            "(no discrimination).",
        )
        figures = [figure]
        if params.horizons:
            curves = [
                AucCurve(
                    b.label,
                    s.name,
                    [a.time for a in s.auc],
                    [a.auc for a in s.auc],
                    [a.lower for a in s.auc],
                    [a.upper for a in s.auc],
                )
                for b in blocks
                for s in b.sets
            ]
            figures.append(
                ctx.save_figure(
                    "td_auc",
                    auc_figure(curves, level=params.level, unit=endpoint.spec.unit),
                    f"Time-dependent AUC (cumulative/dynamic, inverse-probability-of-censoring "
                    f"weighted) of each score for {endpoint.label} at the horizons, in the "
                    f"{where}; bars are {100 * params.level:g}% percentile bootstrap intervals "
                    f"({params.n_boot} replicates); the dashed line is 0.5.",
                )
            )
        return SurvivalDiscriminationResult(
            endpoint=endpoint.name,
            endpoint_label=endpoint.label,
            time_unit=endpoint.spec.unit,
            level=params.level,
            has_training_set=ctx.cohort.has_training_set,
            scores=blocks,
            horizons=list(params.horizons),
            n_boot=params.n_boot if params.horizons else 0,
            seed=ctx.seed if params.horizons else 0,
            figures=figures,
            warnings=notes,
            exclusions=exclusions,
            populations=merged(
                counts_of(s.set, endpoint.name, s.n, s.events, block.label)
                for block in blocks
                for s in block.sets
            ),
        )

    def methods(
        self, result: SurvivalDiscriminationResult, params: SurvivalDiscriminationParams
    ) -> str:
        """The Methods paragraph."""
        labels = [b.label for b in result.scores]
        shown = join(labels)
        names = list(dict.fromkeys(s.name.lower() for b in result.scores for s in b.sets))
        sets = join(names)
        higher = [b.label for b in result.scores if b.direction == "higher"]
        lower = [b.label for b in result.scores if b.direction == "lower"]
        direction = []
        if higher:
            direction.append(f"higher values of {', '.join(higher)} predicting shorter survival")
        if lower:
            direction.append(f"lower values of {', '.join(lower)} predicting shorter survival")
        text = (
            f"The discrimination of {shown} for "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} was measured by "
            f"Harrell's concordance index (C) in the {sets} ({'; '.join(direction)}). A pair of "
            "patients is comparable when the shorter time is an event (an event and a censoring "
            "at the same time are comparable, two events at the same time are not); pairs tied "
            "on the score count one half. Standard errors are the infinitesimal jackknife and "
            f"the {100 * result.level:g}% confidence intervals C +/- z SE, as R "
            "survival::concordance. Patients without the endpoint or the score were left out "
            "of that score's analyses (complete cases). Nothing was fitted by this analysis: a "
            "score fitted on the training set (a Cox model's linear predictor) is optimistic "
            "there, and the "
            + ("test set" if result.has_training_set else "external validation set")
            + " gives its validated C. "
        )
        if result.horizons:
            times = join([f"{t:g}" for t in result.horizons])
            text += (
                f"The time-dependent AUC at {times} {result.time_unit} was estimated in the same "
                "sets as the cumulative/dynamic AUC(t) (cases: an event at or before t; "
                "controls: event-free beyond t; patients censored before t reweighted by the "
                "inverse of the Kaplan-Meier estimate of censoring; Uno et al. 2007, Blanche et "
                f"al. 2013), with {100 * result.level:g}% percentile intervals from "
                f"{result.n_boot} bootstrap replicates of patients (seed {result.seed}). "
            )
        return text + (
            "Software: remarkit.stats concordance and time_dependent_auc (checked against R "
            "survival::concordance and the AUC(t) definition computed in R)."
        )
