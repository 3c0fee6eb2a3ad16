"""baseline_table: Table 1, patient characteristics by split, by outcome or by a marker group."""

from __future__ import annotations

from importlib.metadata import version
from typing import Literal

import pandas as pd

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    InputError,
    Needs,
    Unit,
    UnitContext,
    exclusion,
    population,
    unknown_outcome,
)
from remarkit.modeling.columns import check_columns, collect_warnings, column_label, is_categorical
from remarkit.modeling.outcome_columns import outcome_columns
from remarkit.plugins.clinical import baseline_rows
from remarkit.plugins.clinical.baseline_models import (
    BaselineRow,
    BaselineTableParams,
    BaselineTableResult,
    GroupHeader,
    GroupStats,
    Summary,
)
from remarkit.plugins.clinical.baseline_rows import RowMeta
from remarkit.report.labels import outcome_names
from remarkit.text import name_ids

TEST_NAMES = {
    "welch_t": "Welch's t-test",
    "mann_whitney": "the Mann-Whitney U test",
    "chi_square": "Pearson's chi-square test",
    "fisher": "Fisher's exact test",
}


def group_by_column(
    ctx: UnitContext, column: str, include: pd.Series
) -> tuple[pd.Series, list[tuple[str, str]]]:
    """Patients with a value of a two-level categorical ``column``, and its levels as groups."""
    check_columns(ctx, [column], "by")
    series = ctx.cohort.data[column]
    if not is_categorical(series):
        raise InputError(f"'{column}' is continuous; group by a categorical column", field="by")
    levels = [str(c) for c in series.cat.categories]
    if len(levels) != 2:
        raise InputError(
            f"'{column}' has {len(levels)} levels ({levels}); the table compares two groups",
            field="by",
        )
    label = column_label(ctx, column, {})[0]
    return include & series.notna(), [(level, f"{label}: {level}") for level in levels]


def _not_applicable(
    row: BaselineRow, absent: pd.Series, group: pd.Series, keys: list[str]
) -> BaselineRow:
    """``row`` with the absences where the variable does not apply moved out of 'missing'."""

    def moved(stats: GroupStats, count: int) -> GroupStats:
        return stats.model_copy(update={"missing": stats.missing - count, "not_applicable": count})

    groups = [
        moved(g, int(absent[group == k].sum())) for g, k in zip(row.groups, keys, strict=True)
    ]
    total = None if row.total is None else moved(row.total, int(absent.sum()))
    return row.model_copy(update={"groups": groups, "total": total})


def _no_outcome_rows(ctx: UnitContext, variables: list[str]) -> None:
    """A baseline table describes patients before the outcome: no outcome column is a row."""
    held = outcome_columns(ctx.cohort.spec)
    found = [f"'{c}' ({held[c]})" for c in variables if c in held]
    if found:
        raise InputError(
            f"{', '.join(found)} cannot be a row of a baseline table: it is an outcome, not a "
            "patient characteristic",
            field="variables",
        )


def _by_label(ctx: UnitContext, params: BaselineTableParams) -> str:
    if params.by == "outcome":
        return ctx.cohort.spec.binary_outcome().label or "outcome"
    return column_label(ctx, params.by, {})[0]


class BaselineTable(Unit[BaselineTableParams, BaselineTableResult]):
    """Table 1 with the test per row and missing counts (REMARK 13)."""

    name = "baseline_table"
    title = "Patient characteristics"
    family = "clinical"
    version = "1.1"
    Params = BaselineTableParams
    Result = BaselineTableResult
    remark_items = (13, 14)
    report_section = "baseline"

    def needs(self, params: BaselineTableParams) -> Needs:
        """The listed columns (and a grouping column); the outcome when grouping by it."""
        by = [] if params.by in ("split", "outcome") else [params.by]
        return Needs(columns=[*params.variables, *by], outcome=params.by == "outcome")

    def run(self, ctx: UnitContext, params: BaselineTableParams) -> BaselineTableResult:
        """Summarise every variable in every group and test the difference."""
        cohort = ctx.cohort
        check_columns(ctx, params.variables, "variables")
        _no_outcome_rows(ctx, params.variables)
        include = pd.Series(True, index=cohort.data.index)
        if params.subset != "all":
            include = cohort.split == params.subset
        left_out = 0
        unknown: list[str] = []
        if params.by == "outcome":  # a patient whose outcome is missing is in neither column
            unknown = unknown_outcome(cohort.outcome, include)
            include = include & cohort.outcome_known
        if params.by == "split":
            raw = cohort.split[include].astype(str)
            headers = [("train", "Train set"), ("test", "Test set")]
        elif params.by == "outcome":
            raw = cohort.outcome[include].map({1.0: "1", 0.0: "0"})
            positive, negative = outcome_names(cohort.spec.binary_outcome())
            headers = [("1", positive), ("0", params.negative_label or negative)]
        else:
            grouped, headers = group_by_column(ctx, params.by, include)
            left_out = int((include & ~grouped).sum())
            include = grouped
            raw = cohort.data.loc[include, params.by].astype(str)
        keys = [k for k, _ in headers]
        group = pd.Series(pd.Categorical(raw, categories=keys), index=raw.index)
        notes: list[str] = []
        if left_out:
            notes.append(f"{left_out} patient(s) without a value of '{params.by}' left out")
        if unknown:
            notes.append(
                f"{len(unknown)} patient(s) with a missing outcome left out of the table "
                f"({name_ids(unknown)})"
            )
        rows: list[BaselineRow] = []
        for column in params.variables:
            x = cohort.data.loc[include, column]
            label, unit = column_label(ctx, column, params.labels)
            with collect_warnings(notes, prefix=f"{label}: "):
                if is_categorical(x):
                    meta = RowMeta(column, label, unit, "auto", "")
                    row = baseline_rows.categorical_row(
                        meta, x, group, keys, fisher_below=params.fisher_below
                    )
                else:
                    meta = RowMeta(column, label, unit, *self._summary(ctx, params, column))
                    row = baseline_rows.continuous_row(
                        meta, x, group, keys, alpha=params.normality_alpha
                    )
            if row.note:
                notes.append(f"{label}: no test, {row.note}")
            absent = ctx.cohort.not_applicable.get(column)
            if absent is not None:
                row = _not_applicable(row, absent[include], group, keys)
            rows.append(row)
        title = params.title or (
            "Baseline characteristics by data set"
            if params.by == "split"
            else f"Baseline characteristics by {_by_label(ctx, params)}"
            + ("" if params.subset == "all" else f" ({params.subset} set)")
        )
        return BaselineTableResult(
            title=title,
            by=params.by,
            subset=params.subset,
            groups=[GroupHeader(key=k, label=lbl, n=int((group == k).sum())) for k, lbl in headers],
            n=int(include.sum()),
            rows=rows,
            normality_alpha=params.normality_alpha,
            fisher_below=params.fisher_below,
            show_total=params.total,
            warnings=notes,
            exclusions=exclusion(MISSING_OUTCOME, unknown),
            populations=[
                population(
                    params.subset,
                    BINARY_OUTCOME if params.by == "outcome" else "",
                    int(include.sum()),
                    int((group == "1").sum()) if params.by == "outcome" else None,
                )
            ],
        )

    @staticmethod
    def _summary(
        ctx: UnitContext, params: BaselineTableParams, column: str
    ) -> tuple[Summary, Literal["spec", "params", "auto"]]:
        if column in params.summary:
            return params.summary[column], "params"
        spec = ctx.cohort.variable(column)
        if spec is not None and spec.summary != "auto":
            return spec.summary, "spec"
        return "auto", "auto"

    def methods(self, result: BaselineTableResult, params: BaselineTableParams) -> str:
        """The Methods paragraph: summaries, the normality rule and the tests used."""
        used = sorted({r.test for r in result.rows if r.test is not None})
        tests = ", ".join(TEST_NAMES[t] for t in used) or "no tests"
        groups = " and ".join(g.label for g in result.groups)
        return (
            f"Patient characteristics were compared between {groups} "
            f"({result.n} patients). Continuous variables are shown as mean ± SD or median "
            "[interquartile range, R type-7 quantiles]; unless fixed per variable, the median was "
            f"used when the Shapiro-Wilk test rejected normality (p < {result.normality_alpha:g}) "
            "in either group, or when a group had fewer than three values or no spread. Means were "
            "compared with Welch's t-test and medians with the Mann-Whitney U test (normal "
            "approximation with continuity correction). Categorical variables are shown as n (%) "
            "of patients with a value and compared with Pearson's chi-square test (Yates' "
            "correction on 2 x 2 tables), or Fisher's exact test when an expected count was below "
            f"{result.fisher_below:g}. Missing values are counted per variable and not imputed. "
            f"Tests used: {tests}."
            + (
                " Tables too large for the exact r x c enumeration had Fisher's p-value "
                "estimated by Monte Carlo from 2,000 random tables with the observed margins "
                "(as R's fisher.test(simulate.p.value = TRUE), numpy generator, fixed seed)."
                if any(r.simulated for r in result.rows)
                else ""
            )
            + f" Software: remarkit.stats (scipy {version('scipy')})."
        )
