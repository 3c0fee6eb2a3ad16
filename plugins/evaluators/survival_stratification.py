"""``survival_stratification``: survival of the two patient groups a score's threshold defines.

Patients are split by each score's threshold, fixed on the training set for the binary outcome
(Youden, or given) and applied unchanged everywhere. In the whole cohort and in each split:
Kaplan-Meier curves with numbers at risk, log-rank test, medians with CIs by R's rules, the Cox
hazard ratio, and median follow-up by reverse Kaplan-Meier (REMARK item 6). The reference paper's
Figure 5A-B. An external validation cohort has no training set: thresholds are given or come from
the applied model's training run, and populations without patients are left out.

Groups are named by ``positive_label``/``negative_label`` when given; else a model output (a
column an upstream unit derived) gives 'Predicted <outcome>' / 'Predicted non-<outcome>' and a
cohort variable (a marker) its label and threshold, e.g. 'AFP ≥ 400 ng/ml' / 'AFP < 400 ng/ml'.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from remarkit import (
    MISSING_OUTCOME,
    MISSING_SURVIVAL,
    InputError,
    Needs,
    Sentence,
    Unit,
    UnitContext,
    UnitParams,
    exclusion,
    merged,
)
from remarkit import population as counts_of
from remarkit.plugins.evaluators._common import (
    SPLIT,
    Population,
    Row,
    Y,
    drop_missing,
    join_labels,
    non_empty,
    population_mask,
    require_classes,
    score_exclusions,
    score_table,
    unique_columns,
)
from remarkit.plugins.evaluators._km import (
    EVENT,
    GROUP,
    TIME,
    PopulationSurvival,
    analyse_population,
    panel,
)
from remarkit.plugins.evaluators._sentences import survival_sentences
from remarkit.plugins.evaluators._sets import (
    NO_TRAINING_SET,
    EvaluatorResult,
    present_splits,
    set_name,
    set_names,
)
from remarkit.plugins.evaluators._threshold import (
    FixedThreshold,
    ThresholdedScore,
    fix_threshold,
    frozen_threshold,
    given_threshold,
    origin_phrase,
    predict,
)
from remarkit.report.labels import outcome_names
from remarkit.text import versions


def _every_population() -> list[Population]:
    return ["all", "train", "test"]


class SurvivalParams(UnitParams):
    """The ``[[unit]]`` table of ``survival_stratification``."""

    scores: list[ThresholdedScore] = Field(description="Scores or markers that define the groups")
    endpoint: str | None = Field(
        default=None, description="Time-to-event endpoint (default: the study's default one)"
    )
    populations: list[Population] = Field(
        default_factory=_every_population,
        description="Where to compare the groups: 'all' (whole cohort), 'train', 'test'",
    )
    positive_label: str = Field(
        default="",
        description="Name of the group at or beyond the threshold; default: 'Predicted <outcome>' "
        "for a model output, '<label> ≥ <threshold> <unit>' for a cohort variable",
    )
    negative_label: str = Field(
        default="",
        description="Name of the other group; default: 'Predicted non-<outcome>' for a model "
        "output, '<label> < <threshold> <unit>' for a cohort variable",
    )
    hr_reference: Literal["positive", "negative"] = Field(
        default="positive", description="Reference group of the hazard ratio"
    )
    risk_times: list[float] | None = Field(
        default=None, description="Times for the numbers at risk (default: round steps)"
    )
    conf_type: Literal["log", "log-log", "plain"] = Field(
        default="log", description="survfit conf.type of the KM and median CIs"
    )
    level: float = Field(default=0.95, gt=0.0, lt=1.0, description="Confidence level")

    @field_validator("scores")
    @classmethod
    def _scores(cls, value: list[ThresholdedScore]) -> list[ThresholdedScore]:
        unique_columns(non_empty(value, "scores"), "scores")
        return value

    @field_validator("populations")
    @classmethod
    def _populations(cls, value: list[Population]) -> list[Population]:
        if len(set(non_empty(value, "populations"))) != len(value):
            raise ValueError("populations lists a population more than once")
        return value

    @field_validator("risk_times")
    @classmethod
    def _times(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (not value or min(value) < 0 or sorted(value) != value):
            raise ValueError("risk_times must be increasing times >= 0")
        return value


class ScoreSurvival(Row):
    """One score's threshold and the survival of the two groups it defines, per population."""

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    direction: Literal["higher", "lower"] = Field(description="Which end predicts the outcome")
    threshold: FixedThreshold = Field(description="Threshold (pre-specified or fixed on train)")
    positive_label: str = Field(description="Name of the group at or beyond the threshold")
    negative_label: str = Field(description="Name of the other group")
    hr_reference: str = Field(description="Name of the HR's reference group")
    populations: list[PopulationSurvival] = Field(description="In the order requested")
    excluded: list[str] = Field(description="Patients left out for a missing score")


class SurvivalStratificationResult(EvaluatorResult):
    """Kaplan-Meier comparison of the two groups each score's threshold defines."""

    kind: Literal["survival_stratification"] = "survival_stratification"
    time_unit: str = Field(description="Unit of the survival times")
    endpoint_label: str = Field(
        default="Survival", description="Display name of the time-to-event endpoint analysed"
    )
    level: float = Field(description="Confidence level")
    conf_type: str = Field(description="survfit conf.type")
    positive_label: str = Field(
        description="The given name of the groups at or beyond the threshold ('' when each "
        "score names its own: ScoreSurvival.positive_label)"
    )
    negative_label: str = Field(description="The given name of the other groups (or '')")
    hr_reference: str = Field(description="The HR's reference group when named alike (or '')")
    risk_times: list[float] = Field(description="Times of the numbers at risk")
    scores: list[ScoreSurvival] = Field(description="One entry per score")


class SurvivalStratification(Unit[SurvivalParams, SurvivalStratificationResult]):
    """KM curves, log-rank, medians, Cox HR and follow-up of the groups a threshold defines."""

    name = "survival_stratification"
    title = "Survival by score group"
    family = "evaluator"
    version = "1.1"  # 1.1: groups named per score (marker label and threshold, or Predicted)
    Params = SurvivalParams
    Result = SurvivalStratificationResult
    remark_items = (6, 15)
    citations = (
        "Therneau TM. survival: A Package for Survival Analysis in R.",
        "Schemper M, Smith TL. Control Clin Trials 1996;17:343-6 (reverse Kaplan-Meier).",
    )
    report_section = "survival"

    def needs(self, params: SurvivalParams) -> Needs:
        # the binary outcome only fixes Youden thresholds: given thresholds need none
        youden = any(s.threshold is None for s in params.scores)
        return Needs(
            columns=[s.column for s in params.scores],
            outcome=youden,
            survival=True,
            endpoint=params.endpoint,
        )

    def run(self, ctx: UnitContext, params: SurvivalParams) -> SurvivalStratificationResult:
        from remarkit.report.plots.km import km_figure, risk_times

        cohort = ctx.cohort
        endpoint = cohort.endpoint(params.endpoint)
        sink: list[str] = []
        if params.positive_label and params.positive_label == params.negative_label:
            raise InputError("positive_label and negative_label must differ")
        surv = endpoint.spec
        frame = score_table(ctx, params.scores)
        frame[surv.time] = endpoint.time.astype(float)
        frame[surv.event] = endpoint.event.astype(float)
        complete = drop_missing(frame, {surv.time: "Survival", surv.event: "Survival"}, sink)
        exclusions = exclusion(MISSING_SURVIVAL, frame.index.difference(complete.index, sort=False))
        frame = complete
        frame = frame.rename(columns={surv.time: TIME, surv.event: EVENT})
        times = params.risk_times or risk_times(float(frame[TIME].max()))
        populations = _populations(ctx, params.populations)
        unit = surv.unit
        scores: list[ScoreSurvival] = []
        figures = []
        for k, spec in enumerate(params.scores):
            label = spec.display(ctx)
            data = drop_missing(frame, {spec.column: label}, sink)
            exclusions += score_exclusions(frame, data, label)
            if cohort.has_training_set and not cohort.has_outcome:
                train = data[data[SPLIT] == "train"]
                threshold = given_threshold(
                    train[spec.column].to_numpy(dtype=np.float64), spec, label
                )
            elif cohort.has_training_set:
                # the threshold is fixed on training patients with a known outcome; the
                # survival analyses below keep every patient with a score and survival data
                train = data[data[SPLIT] == "train"]
                unknown = train.index[train[Y].isna().to_numpy()]
                exclusions += exclusion(MISSING_OUTCOME, unknown, f"{label}, threshold")
                train = train.drop(index=unknown)
                y_train = train[Y].to_numpy(dtype=np.int64)
                require_classes(y_train, f"{label}, training set")
                threshold = fix_threshold(
                    y_train, train[spec.column].to_numpy(dtype=np.float64), spec, label, sink
                )
            else:
                threshold = frozen_threshold(spec, label, ctx.thresholds)
            pred = predict(
                data[spec.column].to_numpy(dtype=np.float64), threshold.value, spec.direction
            )
            pos_label, neg_label = _group_labels(ctx, params, spec, label, threshold.value)
            reference = pos_label if params.hr_reference == "positive" else neg_label
            other = neg_label if reference == pos_label else pos_label
            data = data.assign(**{GROUP: np.where(pred == 1, pos_label, neg_label)})
            rows: list[PopulationSurvival] = []
            panels = []
            for population in populations:
                part = data[population_mask(ctx, population).reindex(data.index)]
                title = set_name(ctx, population)
                row, series = analyse_population(
                    population,
                    part,
                    (pos_label, neg_label),
                    reference=reference,
                    times=times,
                    level=params.level,
                    conf_type=params.conf_type,
                    sink=sink,
                    prefix=f"{label}, {title.lower()}",
                )
                rows.append(row)
                panels.append(
                    panel(title, row, series, times, f"Time ({unit})", hr_of=(other, reference))
                )
            origin = origin_phrase([threshold.source])
            figures.append(
                ctx.save_figure(
                    f"km_{k + 1}",
                    km_figure(panels),
                    f"Kaplan-Meier curves of {endpoint.label.lower()} in the groups {label} "
                    f"defines: {pos_label} vs {neg_label} (threshold {threshold.value:.4g}, "
                    f"{origin}), with {100 * params.level:g}% CIs and numbers at risk. The hazard "
                    f"ratio is of {other} relative to {reference} (HR > 1: {other} has the "
                    "higher hazard).",
                )
            )
            scores.append(
                ScoreSurvival(
                    column=spec.column,
                    label=label,
                    direction=spec.direction,
                    threshold=threshold,
                    positive_label=pos_label,
                    negative_label=neg_label,
                    hr_reference=reference,
                    populations=rows,
                    excluded=[str(i) for i in frame.index.difference(data.index)],
                )
            )
        return SurvivalStratificationResult(
            time_unit=unit,
            endpoint_label=endpoint.label,
            level=params.level,
            conf_type=params.conf_type,
            positive_label=params.positive_label,
            negative_label=params.negative_label,
            hr_reference=_shared([s.hr_reference for s in scores]),
            risk_times=[float(t) for t in times],
            scores=scores,
            figures=figures,
            warnings=sink,
            exclusions=exclusions,
            set_names=set_names(ctx),
            populations=merged(
                counts_of(row.population, endpoint.name, row.n, row.events, score.label)
                for score in scores
                for row in score.populations
            ),
        )

    def fixed_thresholds(
        self, unit_id: str, result: SurvivalStratificationResult
    ) -> dict[str, float]:
        """Each score's threshold, when it was fixed on this cohort's training set."""
        return {s.column: s.threshold.value for s in result.scores if s.threshold.on_training_set}

    def results_sentences(
        self, result: SurvivalStratificationResult, params: SurvivalParams
    ) -> list[Sentence]:
        return survival_sentences(result)

    def methods(self, result: SurvivalStratificationResult, params: SurvivalParams) -> str:
        labels = join_labels([s.label for s in result.scores])
        pct = f"{100 * result.level:g}%"
        if result.set_names is not None:
            return _external_methods(result, labels, pct)
        origin = origin_phrase(s.threshold.source for s in result.scores).replace(
            "Youden index", "Youden index for the binary outcome"
        )
        return (
            f"Patients were divided into two groups by {labels} ({_groups_text(result)}), at "
            f"thresholds {origin} and applied unchanged to every patient. Survival of the two "
            "groups was estimated by "
            f"the Kaplan-Meier method with {pct} pointwise CIs (conf.type = "
            f'"{result.conf_type}") and compared by the log-rank test, in the whole cohort '
            "and in each split; medians and their CIs follow R survival's quantile.survfit "
            "rules (not reached when the curve stays above 0.5). Hazard ratios with Wald "
            f"{pct} CIs come from Cox models with Efron's tie handling, with "
            f"{_references(result)} as reference. Median follow-up was estimated by the "
            "reverse Kaplan-Meier method. All estimates were computed with remarkit.stats, "
            "which reproduces R survival's survfit, survdiff and coxph. "
            f"Software: {versions('numpy', 'scipy')}."
        )


def _group_labels(
    ctx: UnitContext, params: SurvivalParams, spec: ThresholdedScore, label: str, value: float
) -> tuple[str, str]:
    """The two groups' names: given, 'Predicted ...' for a model output, else by threshold."""
    if params.positive_label:
        return params.positive_label, params.negative_label or f"Not {params.positive_label}"
    prefix = spec.column.split(".", 1)[0]
    if "." in spec.column and prefix in ctx.upstream:
        name = outcome_names(ctx.study.cohort.outcome)[0]
        return f"Predicted {name}", f"Predicted non-{name}"
    var = ctx.study.cohort.variables.get(spec.column)
    unit = f" {var.unit}" if var is not None and var.unit else ""
    at, beyond = ("≥", "<") if spec.direction == "higher" else ("≤", ">")
    return f"{label} {at} {value:.4g}{unit}", f"{label} {beyond} {value:.4g}{unit}"


def _shared(names: list[str]) -> str:
    """The one name every score shares, else ''."""
    return names[0] if names and len(set(names)) == 1 else ""


def _groups_text(result: SurvivalStratificationResult) -> str:
    """'A ≥ 1 vs A < 1' per score, joined (the Methods' and notes' naming of the groups)."""
    return join_labels([f"'{s.positive_label}' vs '{s.negative_label}'" for s in result.scores])


def _references(result: SurvivalStratificationResult) -> str:
    """The HR reference group(s), quoted: one name, or one per score."""
    return join_labels(sorted({f"'{s.hr_reference}'" for s in result.scores}))


def _populations(ctx: UnitContext, requested: list[Population]) -> list[Population]:
    """The requested populations that have patients, else an InputError.

    Without a training set 'all' is the external set itself: left out when 'test' is requested.
    """
    splits = present_splits(ctx)
    kept = [p for p in requested if p == "all" or p in splits]
    if not ctx.cohort.has_training_set and "test" in kept and "all" in kept:
        kept.remove("all")
    if not kept:
        raise InputError(
            f"survival_stratification: populations {requested} have no patients: "
            f"{NO_TRAINING_SET}; use 'all' or 'test'"
        )
    return kept


def _external_methods(result: SurvivalStratificationResult, labels: str, pct: str) -> str:
    """The Methods paragraph of a cohort without a training set (external validation)."""
    names = result.set_names or {}
    sets = join_labels([names[p.population].lower() for p in result.scores[0].populations])
    origin = origin_phrase(s.threshold.source for s in result.scores)
    return (
        f"Patients were divided into two groups by {labels} ({_groups_text(result)}), at "
        f"thresholds {origin} and applied unchanged to every patient. Survival of the two "
        "groups was estimated by "
        f"the Kaplan-Meier method with {pct} pointwise CIs (conf.type = "
        f'"{result.conf_type}") and compared by the log-rank test in the {sets}; '
        "medians and their CIs follow R survival's quantile.survfit "
        "rules (not reached when the curve stays above 0.5). Hazard ratios with Wald "
        f"{pct} CIs come from Cox models with Efron's tie handling, with "
        f"{_references(result)} as reference. Median follow-up was estimated by the "
        "reverse Kaplan-Meier method. All estimates were computed with remarkit.stats, "
        "which reproduces R survival's survfit, survdiff and coxph. "
        f"Software: {versions('numpy', 'scipy')}."
    )
