"""How the provenance appendix shows parameters and hashes: readable rows, shortened hashes.

``results.json`` keeps every parameter and the full sha256 values; the appendix shows each
parameter as a ``name``/``value`` row (nested tables flattened to dotted names, lists and other
values as compact JSON with their characters as they are, never ``\\u003c`` escapes) and each
hash by its first :data:`SHORT_HASH` hex digits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

#: Hex digits of a sha256 shown in the report (12 = 48 bits: unique among any report's files).
SHORT_HASH = 12


def short_hash(value: Any) -> str:
    """The first :data:`SHORT_HASH` hex digits of a hash, with an ellipsis; '–' when absent."""
    if not value:
        return "\u2013"
    text = str(value)
    return text if len(text) <= SHORT_HASH else text[:SHORT_HASH] + "\u2026"


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value if value else '""'
    return json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(", ", ": "))


def _flatten(params: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from _flatten(value, name + ".")
        else:
            yield name, _value_text(value)


def param_rows(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """``(name, value)`` rows of a unit's parameters, in their declared order."""
    return list(_flatten(params or {}, ""))
