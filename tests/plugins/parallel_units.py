"""Units for the concurrency tests: per-case work that sleeps, warns and writes files.

``REMARKIT_TEST_MARKERS`` (a folder), when set, receives one file per case run, named by unit,
case and process id and holding the start and end times (the tests check overlap and find the
worker processes to kill from them); nothing of it reaches the results.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

from pydantic import Field

from remarkit import InputError, Needs, Unit, UnitContext, UnitParams, UnitResult, hookimpl


def slow_case(item: tuple[str, int, float, float]) -> float:
    """One case: sleep, warn for odd cases, return twice the value."""
    unit_id, case, value, sleep = item
    start = time.time()
    markers = os.environ.get("REMARKIT_TEST_MARKERS")
    marker = Path(markers, f"{unit_id}-{case}-{os.getpid()}") if markers else None
    if marker is not None:
        marker.write_text(f"{start}", encoding="utf-8")
    time.sleep(sleep)
    if case % 2:
        warnings.warn(f"odd case {case}", RuntimeWarning, stacklevel=1)
    if marker is not None:
        marker.write_text(f"{start} {time.time()}", encoding="utf-8")
    return 2 * value


class SlowParams(UnitParams):
    column: str = Field(default="age", description="Column whose values are doubled per case")
    cases: int = Field(default=4, description="Number of cases (first patients)")
    sleep: float = Field(default=0.2, description="Seconds each case sleeps")
    after: list[str] = Field(default_factory=list, description="Upstream unit ids")


class SlowResult(UnitResult):
    kind: str = "test_slow_cases"
    doubled: list[float] = Field(description="Twice the column, one value per case")


class SlowCases(Unit[SlowParams, SlowResult]):
    """Doubles a column case by case through ``ctx.executor`` and writes a file."""

    name = "test_slow_cases"
    family = "phase_scorer"
    version = "1.0"
    Params = SlowParams
    Result = SlowResult

    def needs(self, params: SlowParams) -> Needs:
        return Needs(columns=[params.column], units=params.after)

    def run(self, ctx: UnitContext, params: SlowParams) -> SlowResult:
        values = [float(v) for v in ctx.cohort.data[params.column]][: params.cases]
        items = [(ctx.unit_id, i, v, params.sleep) for i, v in enumerate(values)]
        doubled = ctx.executor.map(slow_case, items)
        warnings.warn("unit-level warning", UserWarning, stacklevel=1)
        ctx.artifact_path("doubled.txt").write_text(" ".join(map(str, doubled)), "utf-8")
        return SlowResult(doubled=doubled)

    def methods(self, result: SlowResult, params: SlowParams) -> str:
        return f"{len(result.doubled)} cases doubled."


class BadInput(Unit[SlowParams, SlowResult]):
    """Raises InputError (bad data of a new cohort under ``remarkit apply``)."""

    name = "test_bad_input"
    family = "evaluator"
    version = "1.0"
    Params = SlowParams
    Result = SlowResult

    def run(self, ctx: UnitContext, params: SlowParams) -> SlowResult:
        raise InputError("values out of range", file="cohort.csv", column="marker")

    def methods(self, result: SlowResult, params: SlowParams) -> str:
        return ""


@hookimpl
def remarkit_register_units(registry):  # type: ignore[no-untyped-def]
    registry.add(SlowCases)
    registry.add(BadInput)
