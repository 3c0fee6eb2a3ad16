"""A unit with a table fragment and a figure, for the report tests (templates via the hook)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from remarkit import FigureRef, Needs, Unit, UnitContext, UnitParams, UnitResult, hookimpl
from remarkit.report.figures import new_figure

TEMPLATES = Path(__file__).parent / "report_templates"


class GroupRow(BaseModel):
    label: str
    mean: float
    low: float
    high: float
    p: float | None


class GroupParams(UnitParams):
    column: str = Field(description="Continuous column summarised by outcome group")
    caption: str = Field(default="", description="Extra text for the table caption")


class GroupResult(UnitResult):
    kind: str = "test_report_groups"
    n: int
    events: int
    rows: list[GroupRow]


class GroupMeans(Unit[GroupParams, GroupResult]):
    """Mean of a column by outcome with a normal-theory CI, and a histogram figure."""

    name = "test_report_groups"
    family = "clinical"
    version = "1.0"
    Params = GroupParams
    Result = GroupResult
    remark_items = (13, 15)
    citations = ("Student. The probable error of a mean. Biometrika 1908;6:1-25.",)
    report_section = "baseline"

    def needs(self, params: GroupParams) -> Needs:
        return Needs(columns=[params.column], outcome=True)

    def run(self, ctx: UnitContext, params: GroupParams) -> GroupResult:
        values = ctx.cohort.data[params.column].astype(float)
        outcome = ctx.cohort.outcome
        rows = []
        for label, mask in (("outcome", outcome == 1), ("no outcome", outcome == 0)):
            x = values[mask].dropna().to_numpy()
            half = 1.96 * x.std(ddof=1) / np.sqrt(len(x))
            rows.append(
                GroupRow(
                    label=label, mean=x.mean(), low=x.mean() - half, high=x.mean() + half, p=None
                )
            )
        rows[0] = rows[0].model_copy(update={"p": 0.0004})
        fig, ax = new_figure(4, 3)
        ax.hist(values.dropna().to_numpy(), bins=10)
        ax.set_xlabel(params.column)
        ref: FigureRef = ctx.save_figure("hist", fig, f"Distribution of {params.column}")
        return GroupResult(
            n=int(values.notna().sum()),
            events=int(outcome[values.notna()].sum()),
            rows=rows,
            figures=[ref],
        )

    def methods(self, result: GroupResult, params: GroupParams) -> str:
        return (
            f"Means of {params.column} by outcome with normal-theory 95% CIs (NumPy).\n\n"
            "A second paragraph."
        )


@hookimpl
def remarkit_register_units(registry):  # type: ignore[no-untyped-def]
    registry.add(GroupMeans)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    return [str(TEMPLATES)]
