"""Typed reads of single table cells (pandas types a cell as any scalar, even a date)."""

from __future__ import annotations

from typing import SupportsFloat, SupportsInt


def cell_float(value: object) -> float:
    """A numeric table cell as ``float`` (NaN stays NaN); TypeError for a non-numeric cell."""
    if isinstance(value, SupportsFloat):
        return float(value)
    raise TypeError(f"expected a number in the table cell, got {value!r}")


def cell_int(value: object) -> int:
    """A numeric table cell as ``int`` (truncated like ``int()``); TypeError otherwise."""
    if isinstance(value, SupportsInt):
        return int(value)
    raise TypeError(f"expected a whole number in the table cell, got {value!r}")
