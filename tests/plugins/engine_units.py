"""Small units used by the engine tests (registered directly, not through the built-in registry)."""

from __future__ import annotations

from pydantic import Field

from remarkit import (
    DerivedColumn,
    Needs,
    Unit,
    UnitContext,
    UnitParams,
    UnitResult,
    hookimpl,
)


class StandardiseParams(UnitParams):
    column: str = Field(description="Continuous column to standardise")


class StandardiseResult(UnitResult):
    kind: str = "test_standardise"
    mean: float
    sd: float


class Standardise(Unit[StandardiseParams, StandardiseResult]):
    """z-score a column with the training set's mean and SD; derive it as '<id>.z'."""

    name = "test_standardise"
    family = "marker_response"
    version = "1.0"
    Params = StandardiseParams
    Result = StandardiseResult
    remark_items = (10,)

    def needs(self, params: StandardiseParams) -> Needs:
        return Needs(columns=[params.column])

    def run(self, ctx: UnitContext, params: StandardiseParams) -> StandardiseResult:
        values = ctx.cohort.data[params.column]
        train = values[ctx.cohort.train]
        mean, sd = float(train.mean()), float(train.std(ddof=1))
        z = (values - mean) / sd
        column = DerivedColumn(
            name="z", kind="continuous", ids=list(values.index), values=[float(v) for v in z]
        )
        return StandardiseResult(mean=mean, sd=sd, columns=[column])

    def methods(self, result: StandardiseResult, params: StandardiseParams) -> str:
        return f"{params.column} was standardised (train mean {result.mean:.3g})."


class CountParams(UnitParams):
    column: str
    threshold: float = 0.0


class CountResult(UnitResult):
    kind: str = "test_count"
    above: int
    random_draw: float


class CountAbove(Unit[CountParams, CountResult]):
    """Count patients whose column exceeds a threshold (exercises derived columns and the RNG)."""

    name = "test_count"
    family = "evaluator"
    version = "1.0"
    Params = CountParams
    Result = CountResult

    def needs(self, params: CountParams) -> Needs:
        return Needs(columns=[params.column])

    def run(self, ctx: UnitContext, params: CountParams) -> CountResult:
        above = int((ctx.cohort.data[params.column] > params.threshold).sum())
        return CountResult(above=above, random_draw=float(ctx.rng.random()))

    def methods(self, result: CountResult, params: CountParams) -> str:
        return "Counted."


class FailParams(UnitParams):
    after: list[str] = Field(default_factory=list)


class FailResult(UnitResult):
    kind: str = "test_fail"


class AlwaysFails(Unit[FailParams, FailResult]):
    """Raises, to test failure isolation."""

    name = "test_fail"
    family = "clinical"
    version = "1.0"
    Params = FailParams
    Result = FailResult

    def needs(self, params: FailParams) -> Needs:
        return Needs(units=params.after)

    def run(self, ctx: UnitContext, params: FailParams) -> FailResult:
        raise ValueError("deliberate failure")

    def methods(self, result: FailResult, params: FailParams) -> str:
        return ""


class WrongType(Unit[FailParams, FailResult]):
    """Returns the wrong type, to test result checking."""

    name = "test_wrong_type"
    family = "clinical"
    version = "1.0"
    Params = FailParams
    Result = FailResult

    def run(self, ctx: UnitContext, params: FailParams) -> FailResult:
        return {"kind": "test_fail"}  # type: ignore[return-value]

    def methods(self, result: FailResult, params: FailParams) -> str:
        return ""


class DependsParams(UnitParams):
    upstream: list[str]


class Depends(Unit[DependsParams, FailResult]):
    """Declares upstream units (to test ordering and cycles)."""

    name = "test_depends"
    family = "integrator"
    version = "1.0"
    Params = DependsParams
    Result = FailResult

    def needs(self, params: DependsParams) -> Needs:
        return Needs(units=params.upstream)

    def run(self, ctx: UnitContext, params: DependsParams) -> FailResult:
        return FailResult()

    def methods(self, result: FailResult, params: DependsParams) -> str:
        return ""


def _square(x: float) -> float:
    return x * x


class SquaresResult(UnitResult):
    kind: str = "test_squares"
    squares: list[float]


class Squares(Unit[FailParams, SquaresResult]):
    """Squares the ages through the context's executor (per-case work)."""

    name = "test_squares"
    family = "phase_scorer"
    version = "1.0"
    Params = FailParams
    Result = SquaresResult

    def run(self, ctx: UnitContext, params: FailParams) -> SquaresResult:
        ages = [float(v) for v in ctx.cohort.data["age"]]
        return SquaresResult(squares=ctx.executor.map(_square, ages))

    def methods(self, result: SquaresResult, params: FailParams) -> str:
        return ""


class Warns(Unit[FailParams, FailResult]):
    """Triggers numpy, scipy and Python warnings inside its run (issue 16, finding 15)."""

    name = "test_warns"
    family = "clinical"
    version = "1.0"
    Params = FailParams
    Result = FailResult

    def run(self, ctx: UnitContext, params: FailParams) -> FailResult:
        import warnings

        import numpy as np
        from scipy import stats

        values = np.random.default_rng(1).normal(size=6000)
        stats.shapiro(values)  # scipy: p-value may not be accurate for N > 5000
        np.log(np.zeros(1))  # numpy: divide by zero
        np.log(np.zeros(1))  # the same warning twice is recorded once
        warnings.warn("a unit's own warning", UserWarning, stacklevel=1)
        warnings.warn("an old API", DeprecationWarning, stacklevel=1)  # not recorded
        return FailResult(warnings=["recorded by the unit"])

    def methods(self, result: FailResult, params: FailParams) -> str:
        return ""


class LeakResult(UnitResult):
    kind: str = "test_outcome_leak"


class OutcomeLeak(Unit[FailParams, LeakResult]):
    """Derives every patient's outcome as a 'score': it reads the test set's outcomes (a leak
    remarkit.testing.check_unit must catch)."""

    name = "test_outcome_leak"
    family = "clinical"
    version = "1.0"
    Params = FailParams
    Result = LeakResult

    def needs(self, params: FailParams) -> Needs:
        return Needs(outcome=True)

    def run(self, ctx: UnitContext, params: FailParams) -> LeakResult:
        outcome = ctx.cohort.outcome
        values: list[float | str | None] = [float(v) for v in outcome]
        column = DerivedColumn(
            name="score", kind="continuous", ids=list(outcome.index), values=values
        )
        return LeakResult(columns=[column])

    def methods(self, result: LeakResult, params: FailParams) -> str:
        return "Each patient's outcome was copied into a score."


TEST_UNITS = (Standardise, CountAbove, AlwaysFails, WrongType, Depends, Squares, Warns, OutcomeLeak)


@hookimpl
def remarkit_register_units(registry):  # type: ignore[no-untyped-def]
    for unit in TEST_UNITS:
        registry.add(unit)
