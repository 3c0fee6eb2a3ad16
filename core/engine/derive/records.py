"""What each derivation produced: typed records for results.json, and the cohort's log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from remarkit.engine.derive.spec import (
    CutSpec,
    ExpressionSpec,
    RegroupSpec,
    StandardizeSpec,
    TransformSpec,
)
from remarkit.engine.spec import VariableSpec


class _Counts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Name of the derived variable")
    type: Literal["continuous", "categorical"] = Field(description="Type of the derived values")
    levels: list[str] | None = Field(
        default=None, description="Levels of a categorical result, reference first"
    )
    n: int = Field(description="Patients in the cohort")
    n_missing: int = Field(description="Patients with a missing derived value")
    counts: dict[str, int] = Field(
        default_factory=dict, description="Patients per level (categorical results)"
    )
    warnings: list[str] = Field(default_factory=list, description="Counted problems, one line each")


class CutRecord(CutSpec, _Counts):
    """A cut: its rule (breaks as text, 'Inf'/'-Inf' for infinities) and counts."""

    breaks: list[str] | None = Field(  # type: ignore[assignment]  # numbers as text in the record
        default=None, description="Cut-points as given, as text ('-Inf', '10', 'Inf')"
    )
    effective_breaks: list[str] = Field(description="Cut-points used (threshold expanded)")
    effective_labels: list[str] = Field(description="Interval labels, lowest interval first")
    n_outside: int = Field(description="Non-missing values outside the breaks (missing, as R)")


class RegroupRecord(RegroupSpec, _Counts):
    """A regrouping: its rule and the observed levels it did not cover."""

    unmapped_values: list[str] = Field(
        default_factory=list, description="Observed levels no map entry or pattern covers"
    )
    n_unmapped: int = Field(default=0, description="Patients whose level was not covered")
    assigned: dict[str, str] = Field(
        default_factory=dict, description="Old level -> new level, as applied"
    )


class TransformRecord(TransformSpec, _Counts):
    """A transform: its rule and the values outside the function's domain."""

    n_invalid: int = Field(description="Values outside the domain, set missing")


class StandardizeRecord(StandardizeSpec, _Counts):
    """A standardisation with the training set's mean and SD, frozen."""

    mean: float = Field(description="Training-set mean of the variable")
    sd: float = Field(description="Training-set standard deviation (n - 1)")
    n_fit: int = Field(description="Training patients with a value (fitted on)")
    fitted_on: str = Field(
        description="'training set', or the training run whose mean and SD were re-applied"
    )


class ExpressionRecord(ExpressionSpec, _Counts):
    """An expression: its text, the columns it used and the values lost to arithmetic."""

    uses: list[str] = Field(description="Columns the expression uses")
    n_division_by_zero: int = Field(description="Values missing because of a division by zero")
    n_invalid: int = Field(description="Values missing because of a domain error or overflow")


AnyRecord: TypeAlias = (
    CutRecord | RegroupRecord | TransformRecord | StandardizeRecord | ExpressionRecord
)
DerivedRecord = Annotated[AnyRecord, Field(discriminator="rule")]


class RangeWarning(BaseModel):
    """Values outside a variable's plausible range, accepted with ``on_out_of_range = 'warning'``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    variable: str = Field(description="Declared or derived variable")
    low: float = Field(description="Lower end of the plausible range")
    high: float = Field(description="Upper end of the plausible range")
    rows: list[int] = Field(description="Table rows (header = row 1) with values outside")
    message: str = Field(description="The one-line warning as printed")


@dataclass(frozen=True)
class Derivation:
    """The derived variables of a cohort: their records, types and the range warnings."""

    records: list[AnyRecord] = field(default_factory=list)
    range_warnings: list[RangeWarning] = field(default_factory=list)
    methods: str = ""

    def variable(self, name: str) -> VariableSpec | None:
        """The derived variable ``name`` as a variable spec (type, label, unit, levels)."""
        for record in self.records:
            if record.name == name:
                return VariableSpec(
                    type=record.type,
                    label=record.label,
                    unit=record.unit,
                    levels=record.levels,
                    reference=record.levels[0] if record.levels else None,
                )
        return None

    def fingerprint(self) -> str:
        """Canonical JSON of every rule and fitted value (part of the cohort's cache key)."""
        return json.dumps([r.model_dump(mode="json") for r in self.records], sort_keys=True)
