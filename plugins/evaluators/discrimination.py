"""``discrimination``: AUC with DeLong CI, Youden threshold fixed on train, 2x2 metrics, ROC.

Reproduces the reference paper's Table 3 (one block per model: training and test rows) and
Figure 4B-C (ROC curves in the training and test sets); optionally the same evaluation within
each level of a subgroup column (e.g. treatment regimen), with the whole-training-set threshold.
An external validation cohort has one set and no training set: thresholds are given or come from
the applied model's training run (``ctx.thresholds``), and the training rows are None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from remarkit import (
    BINARY_OUTCOME,
    FigureRef,
    Needs,
    Sentence,
    StatisticsError,
    Unit,
    UnitContext,
    UnitParams,
    merged,
)
from remarkit import population as counts_of
from remarkit.plugins.evaluators._common import (
    SPLIT,
    Row,
    Split,
    Y,
    add_warning,
    categorical_column,
    drop_missing,
    join_labels,
    non_empty,
    outcome_table,
    require_classes,
    score_exclusions,
    unique_columns,
)
from remarkit.plugins.evaluators._performance import (
    SetPerformance,
    evaluate_set,
    operating_point,
    roc_coordinates,
)
from remarkit.plugins.evaluators._sentences import discrimination_sentences
from remarkit.plugins.evaluators._sets import EvaluatorResult, present_splits, set_name, set_names
from remarkit.plugins.evaluators._threshold import (
    FixedThreshold,
    ThresholdedScore,
    fix_threshold,
    frozen_threshold,
    origin_phrase,
)
from remarkit.report.labels import outcome_names
from remarkit.text import name_ids, versions

if TYPE_CHECKING:
    from remarkit.report.plots.roc import RocPanel, RocSeries


class DiscriminationParams(UnitParams):
    """The ``[[unit]]`` table of ``discrimination``."""

    scores: list[ThresholdedScore] = Field(description="Scores or models, in table order")
    level: float = Field(default=0.95, gt=0.0, lt=1.0, description="Confidence level")
    subgroup: str | None = Field(
        default=None, description="Categorical column: also evaluate within each of its levels"
    )

    @field_validator("scores")
    @classmethod
    def _scores(cls, value: list[ThresholdedScore]) -> list[ThresholdedScore]:
        unique_columns(non_empty(value, "scores"), "scores")
        return value


class ScorePerformance(Row):
    """One score: its training threshold and its performance in the training and test sets."""

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    direction: Literal["higher", "lower"] = Field(description="Which end predicts the outcome")
    threshold: FixedThreshold = Field(description="Threshold fixed on the training set")
    train: SetPerformance | None = Field(description="Training set (None without one)")
    test: SetPerformance = Field(
        description="Test set, or the external validation set (threshold applied unchanged)"
    )
    excluded: list[str] = Field(description="Patients left out for a missing score")


class SubgroupPerformance(Row):
    """One score within one subgroup level and split (None when it cannot be evaluated)."""

    level: str = Field(description="Subgroup level")
    split: Split = Field(description="train or test")
    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    n: int = Field(description="Patients in the cell")
    n_cases: int = Field(description="Patients with the outcome")
    performance: SetPerformance | None = Field(description="None when a class is empty")


class DiscriminationResult(EvaluatorResult):
    """Table 3 of the reference paper, plus subgroup rows."""

    kind: Literal["discrimination"] = "discrimination"
    outcome: str = Field(description="The outcome the scores predict")
    level: float = Field(description="Confidence level")
    scores: list[ScorePerformance] = Field(description="One block per score")
    subgroup: str | None = Field(default=None, description="Subgroup column")
    subgroup_label: str | None = Field(default=None, description="Subgroup column label")
    subgroups: list[SubgroupPerformance] = Field(default_factory=list, description="Cells")


def _arrays(part: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    return part[Y].to_numpy(dtype=np.int64), part[column].to_numpy(dtype=np.float64)


class Discrimination(Unit[DiscriminationParams, DiscriminationResult]):
    """AUC (DeLong CI), Youden threshold fixed on train, sensitivity/specificity/PPV/NPV."""

    name = "discrimination"
    family = "evaluator"
    version = "1.0"
    Params = DiscriminationParams
    Result = DiscriminationResult
    remark_items = (10, 15, 16)
    citations = (
        "DeLong ER, DeLong DM, Clarke-Pearson DL. Biometrics 1988;44:837-45.",
        "Sun X, Xu W. IEEE Signal Process Lett 2014;21:1389-93.",
        "Robin X, et al. pROC. BMC Bioinformatics 2011;12:77.",
        "Clopper CJ, Pearson ES. Biometrika 1934;26:404-13.",
    )
    report_section = "performance"

    def needs(self, params: DiscriminationParams) -> Needs:
        columns = [s.column for s in params.scores]
        if params.subgroup:
            columns.append(params.subgroup)
        return Needs(columns=columns, outcome=True)

    def run(self, ctx: UnitContext, params: DiscriminationParams) -> DiscriminationResult:
        from remarkit.report.plots.roc import RocPanel, RocSeries, roc_figure

        sink: list[str] = []
        frame, exclusions = outcome_table(ctx, params.scores, sink)
        splits = present_splits(ctx)
        blocks: list[ScorePerformance] = []
        panels: dict[str, list[RocSeries | None]] = {s: [] for s in splits}
        for spec in params.scores:
            label = spec.display(ctx)
            data = drop_missing(frame[[Y, SPLIT, spec.column]], {spec.column: label}, sink)
            exclusions += score_exclusions(frame, data, label)
            sets = {s: _arrays(data[data[SPLIT] == s], spec.column) for s in splits}
            for split, (y, _) in sets.items():
                require_classes(y, f"{label}, {set_name(ctx, split).lower()}")
            threshold = (
                fix_threshold(*sets["train"], spec, label, sink)
                if ctx.cohort.has_training_set
                else frozen_threshold(spec, label, ctx.thresholds)
            )
            perf: dict[str, SetPerformance] = {}
            for split, (y, s) in sets.items():
                where = f"{label}, {set_name(ctx, split).lower()}"
                perf[split] = evaluate_set(
                    y,
                    s,
                    threshold=threshold.value,
                    direction=spec.direction,
                    level=params.level,
                    sink=sink,
                    prefix=where,
                )
                fpr, tpr = roc_coordinates(y, s, spec.direction, sink, where)
                panels[split].append(
                    RocSeries(
                        f"{label} (AUC {perf[split].auc:.2f})",
                        fpr,
                        tpr,
                        operating_point(perf[split]),
                    )
                )
            blocks.append(
                ScorePerformance(
                    column=spec.column,
                    label=label,
                    direction=spec.direction,
                    threshold=threshold,
                    train=perf.get("train"),
                    test=perf["test"],
                    excluded=[str(i) for i in frame.index.difference(data.index)],
                )
            )
        figure = roc_figure([RocPanel(set_name(ctx, s), panels[s]) for s in splits])
        origin = origin_phrase(b.threshold.source for b in blocks)
        caption = (
            "ROC curves of the scores in the training set (left) and the test set (right); "
            f"dots mark each score's threshold, {origin}."
        )
        if not ctx.cohort.has_training_set:
            caption = (
                f"ROC curves of the scores in the {_sets_text(ctx, splits)}; dots mark each "
                f"score's threshold, {origin}."
            )
        figures = [ctx.save_figure("roc", figure, caption)]
        cells: list[SubgroupPerformance] = []
        if params.subgroup:
            cells, sub_fig = self._subgroups(ctx, params, frame, blocks, sink)
            figures.append(sub_fig)
        return DiscriminationResult(
            outcome=_outcome_label(ctx),
            level=params.level,
            scores=blocks,
            subgroup=params.subgroup,
            subgroup_label=ctx.cohort.label(params.subgroup) if params.subgroup else None,
            subgroups=cells,
            figures=figures,
            warnings=sink,
            exclusions=exclusions,
            set_names=set_names(ctx),
            populations=merged(
                counts_of(split, BINARY_OUTCOME, perf.n, perf.n_cases, block.label)
                for block in blocks
                for split, perf in (("train", block.train), ("test", block.test))
                if perf is not None
            ),
        )

    def _subgroups(
        self,
        ctx: UnitContext,
        params: DiscriminationParams,
        frame: pd.DataFrame,
        blocks: list[ScorePerformance],
        sink: list[str],
    ) -> tuple[list[SubgroupPerformance], FigureRef]:
        from remarkit.report.plots.roc import RocPanel, RocSeries, roc_figure

        column = params.subgroup or ""
        groups = categorical_column(ctx, column)
        unknown = [str(i) for i in groups.index[groups.isna()]]
        if unknown:
            add_warning(
                sink,
                f"{ctx.cohort.label(column)}: {len(unknown)} patient(s) with a missing "
                f"'{column}' are in no subgroup ({name_ids(unknown)})",
            )
        cells: list[SubgroupPerformance] = []
        panels: list[RocPanel] = []
        splits = present_splits(ctx)
        for level in [str(c) for c in groups.cat.categories]:
            in_level = (groups.astype(object) == level).reindex(frame.index)
            for split in splits:
                series: list[RocSeries | None] = []
                where = f"{ctx.cohort.label(column)} = {level}, {set_name(ctx, split).lower()}"
                for spec, block in zip(params.scores, blocks, strict=True):
                    part = frame.loc[in_level & (frame[SPLIT] == split), [Y, spec.column]]
                    part = part.dropna()
                    y, s = _arrays(part, spec.column)
                    perf: SetPerformance | None = None
                    prefix = f"{block.label}, {where}"
                    try:
                        require_classes(y, prefix)
                        perf = evaluate_set(
                            y,
                            s,
                            threshold=block.threshold.value,
                            direction=spec.direction,
                            level=params.level,
                            sink=sink,
                            prefix=prefix,
                        )
                        fpr, tpr = roc_coordinates(y, s, spec.direction, sink, prefix)
                        series.append(
                            RocSeries(
                                f"{block.label} (AUC {perf.auc:.2f})",
                                fpr,
                                tpr,
                                operating_point(perf),
                            )
                        )
                    except StatisticsError as exc:
                        add_warning(sink, f"not evaluated: {exc}")
                        series.append(None)
                    cells.append(
                        SubgroupPerformance(
                            level=level,
                            split=split,
                            column=spec.column,
                            label=block.label,
                            n=int(y.size),
                            n_cases=int(y.sum()),
                            performance=perf,
                        )
                    )
                panels.append(RocPanel(f"{level}\n{set_name(ctx, split).lower()}", series))
        caption = (
            f"ROC curves within each level of {ctx.cohort.label(column)}, training set (left) "
            "and test set (right)."
        )
        if not ctx.cohort.has_training_set:
            caption = (
                f"ROC curves within each level of {ctx.cohort.label(column)}, "
                f"{_sets_text(ctx, splits)}."
            )
        figure = ctx.save_figure(
            "roc_subgroups", roc_figure(panels, ncols=len(splits), size=3.4), caption
        )
        return cells, figure

    def fixed_thresholds(self, unit_id: str, result: DiscriminationResult) -> dict[str, float]:
        """Each score's threshold, when it was fixed on this cohort's training set."""
        return {b.column: b.threshold.value for b in result.scores if b.threshold.on_training_set}

    def results_sentences(
        self, result: DiscriminationResult, params: DiscriminationParams
    ) -> list[Sentence]:
        return discrimination_sentences(result)

    def methods(self, result: DiscriminationResult, params: DiscriminationParams) -> str:
        pct = f"{100 * result.level:g}%"
        labels = join_labels([b.label for b in result.scores])
        given = [b.label for b in result.scores if b.threshold.source == "given"]
        if result.set_names is not None:
            return _external_methods(result, pct, labels, given)
        text = (
            f"Discrimination of {labels} for {result.outcome} was measured by the area under the "
            f"ROC curve (AUC) with {pct} confidence intervals by DeLong's method (fast midrank "
            "algorithm; equivalent to pROC's auc and ci.auc) in the training and test sets. "
            f"{_threshold_sentence(result, given)}; a patient was classified as positive when "
            "the score reached the threshold. Sensitivity, specificity, positive and negative "
            f"predictive values and accuracy are given with {pct} Clopper-Pearson exact "
            "intervals (as R's binom.test). "
            "Patients with a missing score were left out of that score's analyses "
            "(complete-case analysis)."
        )
        if result.subgroup:
            text += (
                f" The same evaluation was repeated within each level of "
                f"{result.subgroup_label}, with the whole training set's thresholds."
            )
        return text + f" Software: {versions('numpy', 'scipy')}."


def _threshold_sentence(result: DiscriminationResult, given: list[str]) -> str:
    """How the thresholds were set: pre-specified (given in the spec) or the Youden optimum."""
    fitted = [b.label for b in result.scores if b.threshold.source != "given"]
    youden = (
        "fixed on the training set at the maximum of Youden's index (of tied optima, the one "
        "with the highest sensitivity) and applied unchanged to the test set"
    )
    if not fitted:
        return "Each score was dichotomised at a pre-specified threshold"
    if not given:
        return f"Each score's threshold was {youden}"
    return (
        f"The thresholds of {join_labels(given)} were pre-specified; those of "
        f"{join_labels(fitted)} were {youden}"
    )


def _outcome_label(ctx: UnitContext) -> str:
    out = ctx.study.cohort.outcome
    return outcome_names(out)[0]


def _sets_text(ctx: UnitContext, splits: tuple[Split, ...]) -> str:
    """'external validation set' (the sets' names, lower case, joined)."""
    return join_labels([set_name(ctx, s).lower() for s in splits])


def _external_methods(result: DiscriminationResult, pct: str, labels: str, given: list[str]) -> str:
    """The Methods paragraph of a cohort without a training set (external validation)."""
    names = result.set_names or {}
    sets = join_labels([name.lower() for s, name in names.items() if s != "all"])
    frozen = [b.label for b in result.scores if b.threshold.source == "frozen"]
    text = (
        f"Discrimination of {labels} for {result.outcome} was measured by the area under the "
        f"ROC curve (AUC) with {pct} confidence intervals by DeLong's method (fast midrank "
        f"algorithm; equivalent to pROC's auc and ci.auc) in the {sets}. "
    )
    if frozen:
        text += "Each score's threshold was fixed on the training set of the applied model"
        if given:
            text += f" (pre-specified for {join_labels(given)})"
        text += f" and applied unchanged to the {sets}"
    else:
        text += "Each score was dichotomised at a pre-specified threshold"
    text += (
        "; a patient was classified as positive when the score reached the threshold. "
        "Sensitivity, specificity, positive and negative predictive values and accuracy are given "
        "with "
        f"{pct} Clopper-Pearson exact intervals (as R's binom.test). Patients with a missing "
        "score were left out of that score's analyses (complete-case analysis)."
    )
    if result.subgroup:
        text += (
            f" The same evaluation was repeated within each level of {result.subgroup_label}, "
            "with the same thresholds."
        )
    return text + f" Software: {versions('numpy', 'scipy')}."
