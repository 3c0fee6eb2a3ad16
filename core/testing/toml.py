"""Write ``[[unit]]`` tables as TOML text (study.toml is TOML; remarkit only reads it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from remarkit.engine import spec_toml
from remarkit.engine.spec_toml import toml_key, toml_value

__all__ = ["toml_key", "toml_value", "unit_table", "unit_tables"]


def unit_table(table: Mapping[str, Any]) -> str:
    """One ``[[unit]]`` table: ``id`` and ``use`` first, then the unit's parameters."""
    return spec_toml.unit_tables([table])


def unit_tables(tables: Sequence[Mapping[str, Any]] | str) -> str:
    """TOML text of several ``[[unit]]`` tables (a string is taken as TOML already)."""
    if isinstance(tables, str):
        return tables
    return spec_toml.unit_tables(tables)
