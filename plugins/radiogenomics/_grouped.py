"""The skeleton shared by the units comparing one per-tumour value between score groups.

``mutation_burden`` and ``neoantigen_load`` both match samples to patients, split the patients
by a score, compare a per-tumour value by the Mann-Whitney test, draw it as violins, export the
value and the group as derived columns and open their Methods paragraph the same way; this
module does those steps once (:func:`score_groups`, :func:`compare_by_group`,
:class:`ValueGroupResult`, :func:`groups_methods`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from pydantic import Field

from remarkit import DerivedColumn, FigureRef, UnitContext, UnitResult
from remarkit.plugins.radiogenomics._common import (
    GenomicsSpec,
    GroupDefinition,
    GroupParams,
    GroupSummary,
    Row,
    SampleMatch,
    assign_groups,
    match_samples,
    match_warnings,
    score_label,
    split_phrase,
    summarise,
)
from remarkit.plugins.radiogenomics._tests import MannWhitney, mann_whitney_groups
from remarkit.report.formatting import p_phrase


class ValueGroupParams(GroupParams):
    """A per-tumour value compared between the high and low score groups."""

    exact: bool = Field(default=False, description="Exact Mann-Whitney p-value (else normal)")


class PatientInGroup(Row):
    """One analysed patient: sample, score group and score."""

    patient: str = Field(description="Patient id")
    sample: str = Field(description="Sample id")
    group: str = Field(description="Score group")
    score: float = Field(description="Score")


class ValueGroupResult(UnitResult):
    """The fields of every result comparing one per-tumour value between the score groups."""

    groups: GroupDefinition = Field(description="Score groups")
    match: SampleMatch = Field(description="Sample-to-patient matching")
    summaries: list[GroupSummary] = Field(description="The value per group (high first)")
    test: MannWhitney = Field(description="Mann-Whitney test of the value between the groups")


@dataclass(frozen=True)
class ScoreGroups:
    """Patients with a sample and a score (cohort order), split into a high and a low group."""

    label: str
    samples: pd.Series  # patient id -> sample id
    scores: pd.Series  # patient id -> score
    groups: pd.Series  # patient id -> group label
    definition: GroupDefinition
    match: SampleMatch
    labels: tuple[str, str]  # (high, low)

    @property
    def ids(self) -> list[str]:
        """Patient ids, cohort order."""
        return [str(p) for p in self.samples.index]


def score_groups(
    ctx: UnitContext, spec: GenomicsSpec, params: GroupParams, samples: Iterable[str], data: str
) -> tuple[ScoreGroups, list[str]]:
    """Match ``samples`` to patients, split them by the score; also the matching warnings."""
    label = score_label(ctx, params)
    matched = match_samples(ctx, spec, samples, data, params.score)
    groups, definition = assign_groups(params, matched.scores, label, ctx.thresholds)
    grouped = ScoreGroups(
        label=label,
        samples=matched.samples,
        scores=matched.scores,
        groups=groups,
        definition=definition,
        match=matched.match,
        labels=(params.high_label, params.low_label),
    )
    return grouped, match_warnings(matched.match)


def compare_values(
    values: pd.Series, grouped: ScoreGroups, *, exact: bool, sink: list[str], what: str
) -> MannWhitney:
    """Mann-Whitney test of ``values`` (by patient) between the two groups."""
    return mann_whitney_groups(
        values, grouped.groups, grouped.labels, exact=exact, sink=sink, what=what
    )


def violin(
    ctx: UnitContext,
    grouped: ScoreGroups,
    values: pd.Series,
    test: MannWhitney,
    *,
    name: str,
    ylabel: str,
    title: str,
    caption: str,
) -> FigureRef:
    """Violins of ``values`` in the high and low groups, annotated with the test's p-value."""
    from remarkit.report.plots.violin import ViolinGroup, violin_figure

    return ctx.save_figure(
        name,
        violin_figure(
            [ViolinGroup(g, values[grouped.groups == g].tolist()) for g in grouped.labels],
            ylabel=ylabel,
            title=title,
            annotation=f"Mann-Whitney {p_phrase(test.p_value)}",
            jitter_seed=ctx.seed,
        ),
        caption,
    )


def group_columns(
    grouped: ScoreGroups, values: pd.Series, *, name: str, label: str
) -> list[DerivedColumn]:
    """The value (continuous) and the score group (categorical, low first) as derived columns."""
    index = grouped.samples.index
    high, low = grouped.labels
    return [
        DerivedColumn(
            name=name,
            kind="continuous",
            ids=grouped.ids,
            values=[float(values[p]) for p in index],
            label=label,
        ),
        DerivedColumn(
            name="group",
            kind="categorical",
            ids=grouped.ids,
            values=[str(grouped.groups[p]) for p in index],
            levels=[low, high],
            label=f"{grouped.label} group",
        ),
    ]


@dataclass(frozen=True)
class GroupComparison:
    """A per-tumour value compared between the groups: test, violins, summaries, columns."""

    test: MannWhitney
    figure: FigureRef
    summaries: list[GroupSummary]
    columns: list[DerivedColumn]


def compare_by_group(
    ctx: UnitContext,
    grouped: ScoreGroups,
    values: pd.Series,
    *,
    exact: bool,
    sink: list[str],
    what: str,
    figure: str,
    title: str,
    column: str,
    label: str,
    caption: str,
) -> GroupComparison:
    """Test ``values`` (by patient) between the groups, draw the violins, export the columns.

    ``what`` names the value in warnings, ``figure`` and ``title`` the violins' figure and the
    start of its title, ``column`` and ``label`` the derived column (and the violins' axis);
    ``caption`` opens the figure's caption, the groups and the split follow.
    """
    test = compare_values(values, grouped, exact=exact, sink=sink, what=what)
    high, low = grouped.labels
    drawn = violin(
        ctx,
        grouped,
        values,
        test,
        name=figure,
        ylabel=label,
        title=f"{title} by {grouped.label}",
        caption=f"{caption} in the {high} and {low} groups ({grouped.label} split at "
        f"{grouped.definition.threshold:.4g}); Mann-Whitney test.",
    )
    return GroupComparison(
        test=test,
        figure=drawn,
        summaries=summarise(values, grouped.groups, grouped.labels),
        columns=group_columns(grouped, values, name=column, label=label),
    )


def groups_methods(result: ValueGroupResult, data: str) -> tuple[str, str]:
    """The Methods sentence on the groups, and the Mann-Whitney test's variant (for its name)."""
    g = result.groups
    groups = (
        f"Patients were divided into '{g.high_label}' (score >= {g.threshold:.4g}) and "
        f"'{g.low_label}' groups by {g.score_label}, split at {split_phrase(g, data)}."
    )
    test = "exact" if result.test.exact else "normal approximation with continuity correction"
    return groups, test
