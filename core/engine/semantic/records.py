"""What each semantic feature recorded: typed records for results.json, and the cohort's set."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
from pydantic import Field

from remarkit.engine.semantic.spec import SemanticSpec
from remarkit.engine.spec import VariableSpec


class SemanticRecord(SemanticSpec):
    """A semantic feature: its readers and consensus rule (as declared) and what they gave."""

    name: str = Field(description="Name of the consensus variable")
    n: int = Field(description="Patients in the cohort")
    n_missing: int = Field(description="Patients without a consensus level (no reader scored)")
    counts: dict[str, int] = Field(description="Patients per consensus level, in level order")
    n_scored: dict[str, int] = Field(description="Patients each reader scored, by reader column")
    n_complete: int = Field(description="Patients scored by every reader")
    n_disagree: int = Field(description="Patients whose readers gave different levels")
    n_adjudicated: int = Field(
        description="Patients whose consensus came from the adjudicator (or the adjudicated column "
        "where the readers disagreed)"
    )


@dataclass(frozen=True)
class SemanticSet:
    """A cohort's semantic features: their records and every reader's levels by patient id.

    ``scores`` holds one column per reader (and adjudicator or adjudicated column), the levels
    as text, None where a reader gave none; rows are the cohort's patients in its order.
    """

    records: list[SemanticRecord] = field(default_factory=list)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    methods: str = ""

    def record(self, name: str) -> SemanticRecord | None:
        """The record of feature ``name``, or None."""
        return next((r for r in self.records if r.name == name), None)

    def variable(self, name: str) -> VariableSpec | None:
        """The consensus variable of feature ``name`` as a categorical variable spec."""
        record = self.record(name)
        if record is None:
            return None
        levels = record.ordered_levels()
        return VariableSpec(
            type="categorical", label=record.label, levels=levels, reference=levels[0]
        )

    def readers(self, name: str) -> pd.DataFrame:
        """The readers' levels of feature ``name``: one column per reader, None where missing."""
        record = self.record(name)
        if record is None:
            raise KeyError(f"no semantic feature {name!r}")
        return self.scores[record.readers]

    def fingerprint(self) -> str:
        """Canonical JSON of every record and score (part of the cohort's cache key)."""
        scores = self.scores.astype(object).where(self.scores.notna(), None)
        return json.dumps(
            {
                "records": [r.model_dump(mode="json") for r in self.records],
                "scores": {c: list(scores[c]) for c in scores.columns},
                "ids": [str(i) for i in scores.index],
            },
            sort_keys=True,
        )
