"""Sentences a unit contributes to the report's generated Results section.

A unit's ``results_sentences(result, params)`` returns :class:`Sentence` objects: text with
``{name}`` placeholders and, for each, the raw numbers and the report filter (``num``, ``sig``,
``p``, ``pct``, ``n_pct``, ``ci``, ``est_ci``; see remarkit.report.formatting) that prints them,
so every number reads exactly as in the unit's tables. ``table`` names which of the unit's
tables (1 = its first) holds the numbers; the report links the sentence to it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FilterName = Literal["num", "sig", "p", "pct", "n_pct", "ci", "est_ci", "int"]
#: Result topics, in the order the Results section tells them.
TOPICS: tuple[str, ...] = ("cohort", "marker", "performance", "calibration", "survival", "other")
Topic = Literal["cohort", "marker", "performance", "calibration", "survival", "other"]


class Number(BaseModel):
    """One placeholder's raw values and the filter printing them (as the tables do)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    filter: FilterName = Field(description="Report filter; 'int' prints a count")
    values: list[float | int | None] = Field(
        description="The filter's value arguments (est_ci: estimate, lower, upper; ci: lower, "
        "upper; n_pct: n, total; else one value)"
    )
    digits: int | None = Field(default=None, description="The filter's digits (None: default)")


class Sentence(BaseModel):
    """One sentence of the generated Results section."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(description="The sentence, with {name} placeholders for the numbers")
    numbers: dict[str, Number] = Field(default_factory=dict, description="Placeholders' numbers")
    topic: Topic = Field(default="other", description="Where in the Results section it goes")
    table: int = Field(
        default=1, ge=0, description="Which of the unit's tables holds the numbers (0: none)"
    )
    about: list[str] = Field(
        default_factory=list,
        description="Score columns the sentence reports on (the report marks a sentence on "
        "anything but the declared primary model or comparison as exploratory)",
    )


def number(filter: FilterName, *values: float | int | None, digits: int | None = None) -> Number:
    """Shorthand for :class:`Number`: ``number("est_ci", hr, lo, hi)``."""
    return Number(filter=filter, values=list(values), digits=digits)
