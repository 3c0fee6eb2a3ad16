"""Shared base for the typed results returned by :mod:`remarkit.stats`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StatResult(BaseModel):
    """Frozen, typed result of a statistical function (numbers as numbers)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")
