"""Write ``[[unit]]`` tables as TOML text (study.toml is TOML; remarkit only reads it)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    """A bare key when TOML allows one, else a quoted key."""
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """A TOML value: strings, booleans, numbers, lists and (inline) tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str | PurePath):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} value {value!r} as TOML")


def unit_table(table: Mapping[str, Any]) -> str:
    """One ``[[unit]]`` table: ``id`` and ``use`` first, then the unit's parameters."""
    for key in ("id", "use"):
        if key not in table:
            raise ValueError(f"a [[unit]] table needs '{key}' (got keys {sorted(table)})")
    lines = ["[[unit]]"]
    ordered = {"id": table["id"], "use": table["use"], **table}
    lines += [f"{toml_key(str(k))} = {toml_value(v)}" for k, v in ordered.items()]
    return "\n".join(lines) + "\n"


def unit_tables(tables: Sequence[Mapping[str, Any]] | str) -> str:
    """TOML text of several ``[[unit]]`` tables (a string is taken as TOML already)."""
    if isinstance(tables, str):
        return tables
    return "\n".join(unit_table(t) for t in tables)
