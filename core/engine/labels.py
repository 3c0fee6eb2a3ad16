"""Names of outcome levels for tables, figures and Methods: labels, never raw codes like 0/1."""

from __future__ import annotations

from typing import Protocol

#: Codes that say nothing on their own (an outcome printed as '1' or 'yes' is unreadable).
BARE_CODES = frozenset({"0", "1", "yes", "no", "y", "n", "true", "false", "t", "f", "pos", "neg"})


class OutcomeLike(Protocol):
    """The ``[cohort.outcome]`` fields used here (read-only, as the frozen spec has them)."""

    @property
    def column(self) -> str: ...

    @property
    def positive(self) -> str: ...

    @property
    def label(self) -> str: ...


#: Level names of a study without a binary outcome (groups of a risk score).
NO_OUTCOME_NAMES = ("High risk", "Low risk")


def outcome_names(outcome: OutcomeLike | None) -> tuple[str, str]:
    """(positive, negative) level names: 'DCB' / 'No DCB', 'Response' / 'No response'.

    The outcome's ``label`` names the positive level; without one, a meaningful code (``'DCB'``)
    does; a bare code (``1``, ``yes``) is named with its column: ``'response = 1'`` /
    ``'response ≠ 1'``. A study without a binary outcome (``None``) names risk groups.
    """
    if outcome is None:
        return NO_OUTCOME_NAMES
    name = outcome.label.strip() or (
        outcome.positive if outcome.positive.strip().lower() not in BARE_CODES else ""
    )
    if not name:
        return f"{outcome.column} = {outcome.positive}", f"{outcome.column} ≠ {outcome.positive}"
    lowered = name[0].lower() + name[1:] if name[1:2].islower() else name
    return name, f"No {lowered}"
