"""TOML text from Python values and from the :class:`~remarkit.engine.spec.Study` model.

remarkit reads study.toml with ``tomllib``; the demo, the testing kit and ``remarkit unit``'s
examples write it with these few functions: :func:`toml_value` (one value), :func:`toml_tables`
(a document of tables) and :func:`study_toml` (a whole study, every field that was set).
"""

from __future__ import annotations

import datetime
import enum
import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from remarkit.engine.spec import Study

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    """A bare key when TOML allows one, else a quoted key."""
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def plain(value: Any) -> Any:
    """A JSON-ready copy of ``value`` (models as dicts, paths and enums as their values)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def toml_value(value: Any) -> str:
    """``value`` as one TOML value: strings quoted, lists in brackets, mappings inline."""
    value = plain(value)
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
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return f"[{', '.join(toml_value(v) for v in value)}]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = (f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} value {value!r} as TOML")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key_value(key: str, value: Any) -> str:
    """``key = value``; a list of inline tables one table a line."""
    if _is_table_array(value):
        return f"{toml_key(key)} = [\n" + "".join(f"  {toml_value(v)},\n" for v in value) + "]"
    return f"{toml_key(key)} = {toml_value(value)}"


def _tables(path: tuple[str, ...], table: Mapping[str, Any], array: bool) -> list[str]:
    """The blocks of one table: its header and plain keys, then its sub-tables in order."""
    plain_keys = [
        _key_value(k, v)
        for k, v in table.items()
        if array or not (isinstance(v, dict) or _is_table_array(v))
    ]
    name = ".".join(toml_key(p) for p in path)
    blocks = []
    if array:
        blocks.append("\n".join([f"[[{name}]]", *plain_keys]))
    elif plain_keys or not table:
        blocks.append("\n".join(([f"[{name}]"] if path else []) + plain_keys))
    if array:
        return blocks
    for key, value in table.items():
        if isinstance(value, dict):
            blocks += _tables((*path, key), value, False)
        elif _is_table_array(value):
            for item in value:
                blocks += _tables((*path, key), item, True)
    return blocks


def toml_tables(document: Mapping[str, Any], *, comment: str = "") -> str:
    """A TOML document: ``[tables]`` and ``[[arrays of tables]]`` one block each.

    Plain keys come before a table's sub-tables; in an array of tables nested mappings are
    written inline. ``comment`` (lines without their ``#``) heads the document.
    """
    blocks = _tables((), plain(document), False)
    if comment:
        blocks.insert(0, "\n".join(f"# {line}".rstrip() for line in comment.splitlines()))
    return "\n\n".join(blocks) + "\n"


def study_toml(study: Study, *, comment: str = "") -> str:
    """``study`` as study.toml text: every field that was given, in the model's order (no
    ``unit`` key when there is no unit, so that ``[[unit]]`` tables can be appended)."""
    data = study.model_dump(
        mode="json", exclude_unset=True, exclude=None if study.unit else {"unit"}
    )
    return toml_tables(data, comment=comment)


def unit_tables(tables: Sequence[Mapping[str, Any]]) -> str:
    """``[[unit]]`` tables, ``id`` and ``use`` first, then each unit's parameters."""
    for table in tables:
        for key in ("id", "use"):
            if key not in table:
                raise ValueError(f"a [[unit]] table needs '{key}' (got keys {sorted(table)})")
    ordered = [{"id": t["id"], "use": t["use"], **t} for t in tables]
    return toml_tables({"unit": ordered}) if ordered else ""
