"""The study's declared primary analysis (``[study.primary]``), checked against its units.

```toml
[study.primary]
model = "combined.probability"                      # the primary model's score column
comparison = ["combined.probability", "clinical.probability"]  # the primary paired comparison
```

Every other result is exploratory and the report marks it so.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit.errors import InputError


class PrimaryAnalysis(BaseModel):
    """The pre-specified primary model and comparison (REMARK 10: which analyses were planned)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(
        description="Score or probability column of the primary model: '<unit id>.<column>' "
        "(a unit's output) or a cohort variable"
    )
    comparison: list[str] = Field(
        default_factory=list,
        description="The primary comparison: two score columns compared by model_comparison "
        "(empty: no primary comparison)",
    )
    note: str = Field(default="", description="Why this analysis is primary (shown in the report)")

    @field_validator("comparison")
    @classmethod
    def _two_distinct(cls, value: list[str]) -> list[str]:
        if value and (len(value) != 2 or value[0] == value[1]):
            raise ValueError("comparison names two different score columns, e.g. ['a', 'b']")
        return value


def primary_problems(
    primary: PrimaryAnalysis | None,
    unit_ids: Iterable[str],
    cohort_columns: set[str],
    *,
    spec_file: str,
) -> list[InputError]:
    """One error per ``[study.primary]`` column naming neither a unit's output nor a variable."""
    if primary is None:
        return []
    ids = set(unit_ids)
    errors: list[InputError] = []
    named = [("study.primary.model", primary.model)]
    named += [(f"study.primary.comparison[{i}]", c) for i, c in enumerate(primary.comparison)]
    for field, column in named:
        if column in cohort_columns:
            continue
        prefix, dot, _ = column.partition(".")
        if dot and prefix in ids:
            continue
        known = ", ".join(sorted(ids)) or "none"
        errors.append(
            InputError(
                f"'{column}' is neither a cohort variable nor '<unit id>.<column>' of a unit "
                f"of the study (units: {known})",
                file=spec_file,
                field=field,
            )
        )
    return errors


PRIMARY_HELP = (
    "[study.primary]: the pre-specified primary model and comparison; every other result is "
    "marked exploratory"
)
LIMITATIONS_HELP = (
    "REMARK 19: the study's limitations; replaces the list the report derives from the results "
    "(events per variable, test-set size, calibration, multiplicity, single centre)"
)
CENTRES_HELP = (
    "Recruiting centres, e.g. 'single centre' or '4 centres': a single centre (also '1', 'one', "
    "'single', 'mono-centre') is listed among the limitations"
)
