"""Parameters and result model of the baseline_table unit (Table 1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import UnitParams, UnitResult

Summary = Literal["auto", "mean", "median"]
TestName = Literal["welch_t", "mann_whitney", "chi_square", "fisher"]


class BaselineTableParams(UnitParams):
    """The ``[[unit]]`` table of a baseline_table unit."""

    variables: list[str] = Field(
        min_length=1, description="Rows of the table: cohort or derived columns, in order"
    )
    by: str = Field(
        default="split",
        description="Columns of the table: 'split' (train vs test), 'outcome', or a two-level "
        "categorical column (cohort or derived, e.g. a marker group: REMARK 14)",
    )
    subset: Literal["all", "train", "test"] = Field(
        default="all", description="Patients included (by outcome, often 'train')"
    )
    summary: dict[str, Summary] = Field(
        default_factory=dict,
        description="Per-variable summary of continuous rows, overriding the spec's 'summary'",
    )
    labels: dict[str, str] = Field(default_factory=dict, description="Row label overrides")
    negative_label: str = Field(
        default="", description="Column label of the non-events (default 'not <positive>')"
    )
    normality_alpha: float = Field(
        default=0.05,
        gt=0,
        lt=1,
        description="'auto' rows use median [IQR] when Shapiro-Wilk p < this in any group",
    )
    fisher_below: float = Field(
        default=5.0, ge=0, description="Fisher's exact test when any expected count is below"
    )
    total: bool = Field(default=True, description="Add a column over all included patients")
    outcome_row: bool = Field(
        default=False,
        description="Must stay false: a baseline table never shows the outcome (its counts per "
        "set are in the cohort table); kept so older study files validate",
    )
    title: str = Field(default="", description="Table caption (default by grouping)")

    @model_validator(mode="after")
    def _consistent(self) -> BaselineTableParams:
        if self.by in self.variables:
            raise ValueError(f"by = '{self.by}' is also a row of the table")
        if self.outcome_row:
            raise ValueError(
                "outcome_row: a baseline table never shows the outcome (the cohort table gives "
                "its counts per set); remove outcome_row"
            )
        if self.by == "split" and self.subset != "all":
            raise ValueError("by = 'split' needs subset = 'all' (both splits)")
        unknown = sorted(set(self.summary) - set(self.variables))
        if unknown:
            raise ValueError(f"summary given for variables not in the table: {unknown}")
        return self


class GroupStats(BaseModel):
    """One variable in one group (column of the table)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    n: int = Field(description="Patients with a value")
    missing: int = Field(
        description="Patients without a value (absences where the variable does not apply excluded)"
    )
    not_applicable: int = Field(
        default=0,
        description="Patients the variable does not apply to (not_applicable_when), no value",
    )
    mean: float | None = Field(default=None, description="Mean (continuous)")
    sd: float | None = Field(default=None, description="Standard deviation, n - 1 (continuous)")
    median: float | None = Field(default=None, description="Median (continuous)")
    q1: float | None = Field(default=None, description="25th percentile, R type 7 (continuous)")
    q3: float | None = Field(default=None, description="75th percentile, R type 7 (continuous)")
    counts: list[int] = Field(default_factory=list, description="Count per level (categorical)")
    normality_p: float | None = Field(
        default=None, description="Shapiro-Wilk p (continuous rows chosen by the 'auto' rule)"
    )


class BaselineRow(BaseModel):
    """One variable of Table 1 with its group summaries and test."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Column name")
    label: str = Field(description="Row label")
    unit: str = Field(description="Measurement unit")
    type: Literal["continuous", "categorical"] = Field(description="Variable type")
    summary: Literal["mean", "median"] | None = Field(
        description="Continuous summary shown: mean ± SD or median [IQR]"
    )
    summary_source: Literal["spec", "params", "auto", ""] = Field(
        description="Where the summary choice came from"
    )
    levels: list[str] = Field(description="Levels (categorical), reference first")
    groups: list[GroupStats] = Field(description="Per table column, in the result's group order")
    total: GroupStats | None = Field(description="Over every included patient")
    test: TestName | None = Field(description="Test used; None when no test applies")
    statistic: float | None = Field(description="Test statistic (t, W, chi-square)")
    df: float | None = Field(description="Degrees of freedom (t, chi-square)")
    p_value: float | None = Field(description="Two-sided p-value")
    min_expected: float | None = Field(description="Smallest expected count (categorical)")
    note: str = Field(default="", description="Why no test was done, when none was")
    simulated: bool = Field(
        default=False,
        description="Fisher's p-value by Monte Carlo (the r x c table was too large to enumerate)",
    )


class GroupHeader(BaseModel):
    """A column of the table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="'train'/'test' or '1'/'0' (outcome)")
    label: str = Field(description="Column label")
    n: int = Field(description="Patients in the group")


class BaselineTableResult(UnitResult):
    """Table 1: patient characteristics by split or outcome, with tests and missing counts."""

    kind: Literal["baseline_table"] = "baseline_table"
    title: str = Field(description="Table caption")
    by: str = Field(description="Grouping: 'split', 'outcome' or a categorical column")
    subset: Literal["all", "train", "test"] = Field(description="Patients included")
    groups: list[GroupHeader] = Field(description="Table columns")
    n: int = Field(description="Patients included")
    rows: list[BaselineRow] = Field(description="One row per variable, in the params' order")
    normality_alpha: float = Field(description="Shapiro-Wilk level of the 'auto' rule")
    fisher_below: float = Field(description="Expected-count limit below which Fisher is used")
    show_total: bool = Field(description="Whether the report shows the total column")
