"""``[cohort.semantic.NAME]`` tables: a feature's reader columns, levels and consensus rule."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The consensus rules, as written in ``consensus = "..."``.
CONSENSUS_RULES = ("column", "adjudicator", "majority", "reader")


class SemanticSpec(BaseModel):
    """A semantic feature scored by two or more readers, and how their consensus is reached.

    ``consensus``: ``"column"`` (the adjudicated levels are in ``column``), ``"adjudicator"``
    (the readers' common level where they agree, else the ``adjudicator`` column's),
    ``"majority"`` (the level more than half of the readers gave; without a majority the
    ``adjudicator`` column's if given, else an error listing the patients) or ``"reader"``
    (the named ``reader``'s column).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(default="", description="Display name, e.g. 'Dilated vasculature'")
    readers: list[str] = Field(description="One cohort column per reader (two or more)")
    levels: list[str] = Field(description="The levels a reader may give (ordinal: in order)")
    scale: Literal["nominal", "ordinal"] = Field(
        default="nominal", description="'nominal', or 'ordinal' (levels in order: weighted kappa)"
    )
    reference: str | None = Field(
        default=None, description="Reference level of the consensus variable (default: the first)"
    )
    consensus: Literal["column", "adjudicator", "majority", "reader"] = Field(
        description="How the consensus is reached: 'column', 'adjudicator', 'majority' or 'reader'"
    )
    column: str | None = Field(
        default=None, description="Column of the adjudicated levels (consensus = 'column')"
    )
    adjudicator: str | None = Field(
        default=None,
        description="Column of the adjudicator's levels, used where the readers disagree "
        "('adjudicator'; optional with 'majority')",
    )
    reader: str | None = Field(
        default=None, description="The reader column taken as consensus (consensus = 'reader')"
    )

    @field_validator("readers")
    @classmethod
    def _two_readers(cls, readers: list[str]) -> list[str]:
        if len(readers) < 2:
            raise ValueError(
                f"a semantic feature needs at least two readers' columns ({len(readers)} given)"
            )
        repeated = sorted({r for r in readers if readers.count(r) > 1})
        if repeated:
            raise ValueError(f"reader column(s) {repeated} are given more than once")
        return readers

    @field_validator("levels")
    @classmethod
    def _levels(cls, levels: list[str]) -> list[str]:
        if len(levels) < 2:
            raise ValueError(f"needs at least two levels ({len(levels)} given)")
        if len(set(levels)) < len(levels):
            raise ValueError(f"levels {levels} repeat a level")
        return levels

    @model_validator(mode="after")
    def _rule_fields(self) -> SemanticSpec:
        if self.reference is not None and self.reference not in self.levels:
            raise ValueError(f"reference '{self.reference}' is not one of levels {self.levels}")
        needed = {"column": "column", "adjudicator": "adjudicator", "reader": "reader"}
        wanted = needed.get(self.consensus)
        if wanted is not None and getattr(self, wanted) is None:
            raise ValueError(f"consensus = '{self.consensus}' needs the field `{wanted}`")
        for name in ("column", "adjudicator", "reader"):
            given = getattr(self, name) is not None
            allowed = name == wanted or (name == "adjudicator" and self.consensus == "majority")
            if given and not allowed:
                raise ValueError(f"`{name}` is not used by consensus = '{self.consensus}'")
        if self.reader is not None and self.reader not in self.readers:
            raise ValueError(f"reader '{self.reader}' is not one of readers {self.readers}")
        others = [c for c in (self.column, self.adjudicator) if c is not None]
        if any(c in self.readers for c in others):
            raise ValueError("the consensus or adjudicator column may not be a reader's column")
        return self

    def columns(self) -> list[str]:
        """Every cohort column the feature reads: readers, then the adjudicated column if any."""
        extra = [c for c in (self.column, self.adjudicator) if c is not None]
        return [*self.readers, *extra]

    def ordered_levels(self) -> list[str]:
        """Levels of the consensus variable: the reference first, then the others in order."""
        if self.reference is None:
            return list(self.levels)
        return [self.reference, *[lv for lv in self.levels if lv != self.reference]]
