"""``group_comparison``: a score compared between patient groups within a subset.

The reference paper's Figure 5C-F and Tables S6-S11: model scores by sequential resection among
DCB patients, by pCR among resected patients (Mann-Whitney), and across mRECIST categories
(Kruskal-Wallis), each with violin plots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitParams, merged
from remarkit import population as counts_of
from remarkit.modeling.outcome_columns import outcome_columns
from remarkit.plugins.evaluators._adjust import Adjustment, adjusted, adjustment_field
from remarkit.plugins.evaluators._common import (
    Population,
    Row,
    ScoreSpec,
    categorical_column,
    drop_missing,
    finite,
    join_labels,
    non_empty,
    numeric_column,
    population_mask,
    unique_columns,
)
from remarkit.plugins.evaluators._group_tests import TEST_NAMES, TestName, compare
from remarkit.plugins.evaluators._sets import (
    EvaluatorResult,
    require_population,
    set_name,
    set_names,
)
from remarkit.report.formatting import p_phrase
from remarkit.report.labels import outcome_names
from remarkit.stats.multiplicity import P_ADJUST_NAMES
from remarkit.text import versions

if TYPE_CHECKING:
    from remarkit.report.plots.violin import ViolinPanel


class SubsetFilter(UnitParams):
    """Keep patients with (or without) the outcome, or whose column value is one of ``levels``."""

    outcome: Literal["positive", "negative"] | None = Field(
        default=None, description="Keep patients with ('positive') or without the outcome"
    )
    column: str | None = Field(default=None, description="Categorical column to filter on")
    levels: list[str] | None = Field(default=None, description="Values of ``column`` to keep")

    @model_validator(mode="after")
    def _one_kind(self) -> SubsetFilter:
        by_column = self.column is not None or self.levels is not None
        if (self.outcome is None) == (not by_column):
            raise ValueError("a subset filter takes either 'outcome' or 'column' with 'levels'")
        if by_column and (self.column is None or not self.levels):
            raise ValueError("a column filter needs both 'column' and a non-empty 'levels'")
        return self


class GroupComparisonParams(UnitParams):
    """The ``[[unit]]`` table of ``group_comparison``."""

    scores: list[ScoreSpec] = Field(description="Scores to compare between the groups")
    group: str = Field(description="Categorical column whose levels are the groups")
    subset: list[SubsetFilter] = Field(
        default_factory=list, description="Filters (all must hold) selecting the patients"
    )
    population: Population = Field(default="all", description="'all', 'train' or 'test'")
    test: Literal["auto", "mann_whitney", "t_test", "kruskal_wallis"] = Field(
        default="auto",
        description="'auto': Mann-Whitney for two groups, Kruskal-Wallis for more",
    )
    exact: bool = Field(default=False, description="Exact Mann-Whitney p (no ties only)")
    p_adjust: Adjustment = adjustment_field("holm", "the table's scores")
    outcome_groups: bool = Field(
        default=False,
        description="Allow grouping by an outcome column (the binary outcome, an endpoint's "
        "time or event): a score across the outcome's own levels measures discrimination, and "
        "the result is labelled as such; refused by default",
    )

    @field_validator("scores")
    @classmethod
    def _scores(cls, value: list[ScoreSpec]) -> list[ScoreSpec]:
        unique_columns(non_empty(value, "scores"), "scores")
        return value


class GroupSummary(Row):
    """A score's distribution in one group."""

    level: str = Field(description="Group")
    n: int = Field(description="Patients")
    median: float = Field(description="Median")
    q1: float = Field(description="First quartile (type 7)")
    q3: float = Field(description="Third quartile (type 7)")
    mean: float = Field(description="Mean")
    sd: float | None = Field(description="Standard deviation (None for one patient)")


class ScoreComparison(Row):
    """One score compared across the groups."""

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")
    groups: list[GroupSummary] = Field(description="Groups in level order")
    test: TestName = Field(description="Test used")
    method: str = Field(description="How the p-value was computed (e.g. normal approximation)")
    statistic: float | None = Field(description="Test statistic (W, t or H)")
    df: float | None = Field(description="Degrees of freedom (t-test, Kruskal-Wallis)")
    p_value: float | None = Field(description="Two-sided p-value")
    p_adjusted: float | None = Field(
        default=None, description="p-value adjusted over the table's scores (p_adjust)"
    )
    excluded: list[str] = Field(description="Patients of the subset left out for a missing score")


class GroupComparisonResult(EvaluatorResult):
    """Scores compared between the levels of a column within a subset of patients."""

    kind: Literal["group_comparison"] = "group_comparison"
    group: str = Field(description="Grouping column")
    group_label: str = Field(description="Its label")
    subset: str = Field(description="Description of the patients compared")
    n: int = Field(description="Patients in the subset with a group value")
    empty_levels: list[str] = Field(description="Levels of the column with no patient here")
    scores: list[ScoreComparison] = Field(description="One entry per score")
    p_adjust: Adjustment = Field(default="none", description="Multiplicity adjustment applied")
    by_outcome: str = Field(
        default="",
        description="What outcome the grouping column holds when it is an outcome itself (e.g. "
        "'the binary outcome'; the report labels the comparison so), '' otherwise",
    )


def _subset(ctx: UnitContext, params: GroupComparisonParams) -> tuple[pd.Series, str]:
    """The patients to compare and a description of them."""
    require_population(ctx, params.population, "group_comparison")
    mask = population_mask(ctx, params.population)
    parts: list[str] = []
    out = ctx.study.cohort.outcome
    outcome_label = outcome_names(out)[0]
    for f in params.subset:
        if f.outcome is not None and out is not None:
            outcome_label = out.label or out.positive
            wanted = 1.0 if f.outcome == "positive" else 0.0
            mask &= ctx.cohort.outcome == wanted  # a missing outcome is in neither subset
            parts.append(f"{'with' if wanted else 'without'} {outcome_label}")
        else:
            column = categorical_column(ctx, f.column or "")
            known = {str(c) for c in column.cat.categories}
            unknown = [v for v in f.levels or [] if v not in known]
            if unknown:
                raise InputError(
                    f"subset: {unknown} are not levels of '{f.column}' ({sorted(known)})"
                )
            mask &= column.astype(object).isin(f.levels or [])
            shown = " or ".join(f.levels or [])
            parts.append(f"with {ctx.cohort.label(f.column or '')} = {shown}")
    text = "patients " + " and ".join(parts) if parts else "all patients"
    if params.population != "all":
        text += f" in the {set_name(ctx, params.population).lower()}"
    return mask, text


def _outcome_grouping(ctx: UnitContext, params: GroupComparisonParams) -> str:
    """What outcome ``group`` holds ('' when none); an InputError unless ``outcome_groups``."""
    held = outcome_columns(ctx.cohort.spec).get(params.group, "")
    if held and not params.outcome_groups:
        raise InputError(
            f"group = '{params.group}' is {held}: a score across the outcome's own levels is "
            "its discrimination (see the discrimination unit); set outcome_groups = true to "
            "show it, labelled as a comparison by the outcome",
            field="group",
        )
    return held


def _summary(level: str, x: np.ndarray) -> GroupSummary:
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    return GroupSummary(
        level=level,
        n=int(x.size),
        median=float(med),
        q1=float(q1),
        q3=float(q3),
        mean=float(x.mean()),
        sd=finite(x.std(ddof=1)) if x.size > 1 else None,
    )


class GroupComparison(Unit[GroupComparisonParams, GroupComparisonResult]):
    """Mann-Whitney / Kruskal-Wallis (or Welch t) of scores between groups, with violins."""

    name = "group_comparison"
    family = "evaluator"
    version = "1.1"
    Params = GroupComparisonParams
    Result = GroupComparisonResult
    remark_items = (15,)
    citations = (
        "Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60.",
        "Kruskal WH, Wallis WA. J Am Stat Assoc 1952;47:583-621.",
    )
    report_section = "groups"

    def needs(self, params: GroupComparisonParams) -> Needs:
        columns = [s.column for s in params.scores] + [params.group]
        columns += [f.column for f in params.subset if f.column is not None]
        outcome = any(f.outcome is not None for f in params.subset)
        return Needs(columns=list(dict.fromkeys(columns)), outcome=outcome)

    def run(self, ctx: UnitContext, params: GroupComparisonParams) -> GroupComparisonResult:
        from remarkit.report.plots.violin import ViolinGroup, ViolinPanel, violin_panels

        sink: list[str] = []
        by_outcome = _outcome_grouping(ctx, params)
        groups = categorical_column(ctx, params.group)
        mask, description = _subset(ctx, params)
        group_label = ctx.cohort.label(params.group)
        frame = pd.DataFrame({params.group: groups[mask]})
        frame = drop_missing(frame, {params.group: group_label}, sink, where=f"({description})")
        levels = [str(c) for c in groups.cat.categories]
        present = [lv for lv in levels if (frame[params.group].astype(object) == lv).any()]
        if len(present) < 2:
            raise StatisticsError(
                f"{group_label}: {len(present)} group(s) with patients among {description}; a "
                "comparison needs at least two"
            )
        results: list[ScoreComparison] = []
        panels: list[ViolinPanel] = []
        for spec in params.scores:
            label = spec.display(ctx)
            data = frame.assign(
                **{spec.column: numeric_column(ctx, spec.column).reindex(frame.index)}
            )
            data = drop_missing(data, {spec.column: label}, sink, where=f"({description})")
            x = data[spec.column].to_numpy(dtype=np.float64)
            g = data[params.group].astype(object).to_numpy()
            summaries = [_summary(lv, x[g == lv]) for lv in present if (g == lv).any()]
            outcome = compare(
                params.test,
                x,
                g,
                [s.level for s in summaries],
                exact=params.exact,
                sink=sink,
                prefix=f"{label} by {group_label}",
            )
            results.append(
                ScoreComparison(
                    column=spec.column,
                    label=label,
                    groups=summaries,
                    test=outcome.test,
                    method=outcome.method,
                    statistic=finite(outcome.statistic),
                    df=finite(outcome.df),
                    p_value=finite(outcome.p_value),
                    excluded=[str(i) for i in frame.index.difference(data.index)],
                )
            )
            panels.append(
                ViolinPanel(
                    title=label,
                    ylabel=label,
                    groups=[ViolinGroup(s.level, x[g == s.level].tolist()) for s in summaries],
                    annotation=f"{TEST_NAMES[outcome.test]} {p_phrase(outcome.p_value)}",
                )
            )
        figure = ctx.save_figure(
            "violins",
            violin_panels(panels, jitter_seed=ctx.seed),
            f"Scores by {group_label} among {description}: violins with medians and "
            "interquartile ranges; dots are patients."
            + (f" The groups are {by_outcome} itself." if by_outcome else ""),
        )
        return GroupComparisonResult(
            group=params.group,
            group_label=group_label,
            subset=description,
            n=len(frame),
            empty_levels=[lv for lv in levels if lv not in present],
            scores=[
                r.model_copy(update={"p_adjusted": v})
                for r, v in zip(
                    results, adjusted([r.p_value for r in results], params.p_adjust), strict=True
                )
            ],
            p_adjust=params.p_adjust,
            figures=[figure],
            warnings=sink,
            set_names=set_names(ctx),
            by_outcome=by_outcome,
            populations=merged(
                counts_of(params.population, "", sum(g.n for g in s.groups), None, s.label)
                for s in results
            ),
        )

    def methods(self, result: GroupComparisonResult, params: GroupComparisonParams) -> str:
        labels = join_labels([s.label for s in result.scores])
        methods = sorted({s.method for s in result.scores})
        return (
            f"{labels} {'were' if len(result.scores) > 1 else 'was'} compared between the "
            f"levels of {result.group_label}"
            + (f" ({result.by_outcome} itself)" if result.by_outcome else "")
            + f" among {result.subset} (n = {result.n}), two-sided: "
            f"{'; '.join(methods)} (as R's wilcox.test, t.test and kruskal.test, computed "
            f"with remarkit.stats).{_adjust_text(result)} Software: {versions('numpy', 'scipy')}."
        )


def _adjust_text(result: GroupComparisonResult) -> str:
    if len(result.scores) < 2:
        return ""
    if result.p_adjust == "none":
        return " p-values are not adjusted for multiple comparisons."
    return (
        f" p-values were adjusted over the {len(result.scores)} scores by the "
        f"{P_ADJUST_NAMES[result.p_adjust]} method (R p.adjust)."
    )
