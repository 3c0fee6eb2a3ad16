"""Wording shared by the Cox units' Methods paragraphs."""

from __future__ import annotations

from importlib.metadata import version


def endpoint_phrase(label: str, unit: str) -> str:
    """'recurrence-free survival (times in days)'."""
    return f"{label[:1].lower()}{label[1:]} (times in {unit})"


def software() -> str:
    """The software sentence."""
    return (
        "Software: remarkit.stats (Cox partial likelihood by Newton-Raphson, checked against "
        f"R survival::coxph; numpy {version('numpy')}, scipy {version('scipy')})."
    )


def ties_phrase(ties: str) -> str:
    """ "Efron's method for tied event times" or Breslow's."""
    return f"{'Efron' if ties == 'efron' else 'Breslow'}'s method for tied event times"
