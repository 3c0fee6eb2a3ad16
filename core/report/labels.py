"""Names of outcome levels for tables, figures and Methods (for units: see remarkit.engine.labels)."""

from __future__ import annotations

from remarkit.engine.labels import BARE_CODES, outcome_names

__all__ = ["BARE_CODES", "outcome_names"]
