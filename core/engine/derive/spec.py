"""``[cohort.derived.NAME]`` tables: one model per rule, parsed with errors naming the field.

Derived variables are evaluated in declaration order; each may use the cohort's declared
variables and the derived variables declared before it.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remarkit.errors import InputError

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(default="", description="Display name of the derived variable")
    unit: str = Field(default="", description="Measurement unit of the derived variable")
    rationale: str = Field(
        default="", description="Why this derivation, quoted in Methods (e.g. 'pre-specified')"
    )


class _CategoricalRule(_Rule):
    reference: str | None = Field(
        default=None, description="Reference level (default: the first level)"
    )


class _ContinuousRule(_Rule):
    range: tuple[float, float] | None = Field(
        default=None, description="Plausible [low, high] of the derived values (finite)"
    )
    on_out_of_range: Literal["error", "warning"] = Field(
        default="error", description="A derived value outside `range` is an error or a warning"
    )


class CutSpec(_CategoricalRule):
    """Cut a continuous variable into ordered categories, with R's ``cut()`` semantics."""

    rule: Literal["cut"] = Field(description="Rule discriminator")
    variable: str = Field(description="Continuous variable cut")
    breaks: list[float] | None = Field(
        default=None, description="Cut-points, strictly increasing (inf/-inf allowed)"
    )
    threshold: float | None = Field(
        default=None, description="Shorthand for breaks = [-inf, threshold, inf]"
    )
    right: bool = Field(
        default=True, description="Intervals closed on the right (a, b]; false: [a, b)"
    )
    include_lowest: bool = Field(
        default=False,
        description="Close the lowest interval on the left (right = true) or the highest on "
        "the right (right = false), as R's include.lowest",
    )
    labels: list[str] | None = Field(
        default=None, description="One label per interval, lowest first (default: R's labels)"
    )


class RegroupSpec(_CategoricalRule):
    """Regroup the levels of a categorical variable by an explicit map or regular expressions."""

    rule: Literal["regroup"] = Field(description="Rule discriminator")
    variable: str = Field(description="Categorical variable regrouped")
    map: dict[str, str] = Field(default_factory=dict, description="Old level -> new level")
    patterns: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="New level -> regular expression(s) a whole old level must match",
    )
    order: list[str] | None = Field(
        default=None,
        description="Order of the new levels (default: order of first appearance in map, "
        "then patterns)",
    )
    unmapped: Literal["error", "missing"] = Field(
        default="error",
        description="An observed level no map entry or pattern covers: an error, or missing",
    )


class TransformSpec(_ContinuousRule):
    """A fixed transform of a continuous variable."""

    rule: Literal["transform"] = Field(description="Rule discriminator")
    variable: str = Field(description="Continuous variable transformed")
    function: Literal["log", "log2", "log10", "log1p", "sqrt"] = Field(
        description="log (natural), log2, log10, log1p (log(1 + x)) or sqrt"
    )
    on_invalid: Literal["missing", "error"] = Field(
        default="missing",
        description="A value outside the function's domain (log of x <= 0, log1p of x <= -1, "
        "sqrt of x < 0): missing (counted and warned) or an error",
    )


class StandardizeSpec(_ContinuousRule):
    """(x - mean) / SD with the training set's mean and SD (n - 1), frozen for other cohorts."""

    rule: Literal["standardize"] = Field(description="Rule discriminator")
    variable: str = Field(description="Continuous variable standardised")


class ExpressionSpec(_ContinuousRule):
    """Arithmetic of continuous columns, parsed by remarkit's safe expression parser."""

    rule: Literal["expression"] = Field(description="Rule discriminator")
    expression: str = Field(
        description="e.g. 'weight / (height / 100) ** 2'; names, numbers, + - * / **, "
        "parentheses and log, log2, log10, log1p, exp, sqrt, abs, min, max"
    )


RuleSpec = CutSpec | RegroupSpec | TransformSpec | StandardizeSpec | ExpressionSpec

RULES: dict[str, type[RuleSpec]] = {
    "cut": CutSpec,
    "regroup": RegroupSpec,
    "transform": TransformSpec,
    "standardize": StandardizeSpec,
    "expression": ExpressionSpec,
}


def field_of(name: str, sub: str = "") -> str:
    """The spec field ``cohort.derived.NAME[.sub]``."""
    return f"cohort.derived.{name}" + (f".{sub}" if sub else "")


def parse_rules(
    raw: dict[str, Any], *, file: str | None = None, reserved: set[str] | None = None
) -> tuple[dict[str, RuleSpec], list[InputError]]:
    """Parse every ``[cohort.derived.NAME]`` table; return the rules and every problem found."""
    rules: dict[str, RuleSpec] = {}
    errors: list[InputError] = []
    for name, table in raw.items():
        where = field_of(name)
        if not NAME.fullmatch(name):
            errors.append(
                InputError(
                    f"derived variable name '{name}' must start with a letter and hold only "
                    "letters, digits and '_'",
                    file=file,
                    field=where,
                )
            )
            continue
        if reserved and name in reserved:
            errors.append(
                InputError(
                    f"'{name}' is already a declared cohort variable; give the derived "
                    "variable another name",
                    file=file,
                    field=where,
                )
            )
            continue
        if not isinstance(table, dict):
            errors.append(InputError("must be a table", file=file, field=where))
            continue
        kind = table.get("rule")
        model = RULES.get(kind) if isinstance(kind, str) else None
        if model is None:
            errors.append(
                InputError(
                    f"unknown rule {kind!r} (rules: {', '.join(RULES)})",
                    file=file,
                    field=field_of(name, "rule"),
                )
            )
            continue
        try:
            rules[name] = model.model_validate(table)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                message = {
                    "extra_forbidden": "unknown field",
                    "missing": "required field is missing",
                }.get(err["type"], err["msg"])
                errors.append(InputError(message, file=file, field=field_of(name, loc)))
    return rules, errors
