"""A unit's parameters read from its ``Params`` model: readable types, defaults, allowed values,
nested tables expanded, and a ready-to-paste ``[[unit]]`` example.

:func:`describe_params` returns plain dicts (the ``parameters`` of ``remarkit plugins --json``);
each parameter has the keys ``name``, ``type``, ``required``, ``default``, ``description``,
``choices``, ``constraints``, ``allowed``, ``model``, ``model_description`` and ``fields``
(documented in ``docs/units.md``).
"""

from __future__ import annotations

import enum
import json
import math
import re
import types
from pathlib import PurePath
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from remarkit.engine.spec_toml import plain as _plain
from remarkit.engine.spec_toml import toml_value

CONSTRAINTS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")
_NAMES = {str: "str", int: "int", float: "float", bool: "bool", type(None): "none"}


def _strip(annotation: Any) -> Any:
    """The annotation without ``Annotated`` and without ``None`` in a union."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if _is_union(annotation):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _strip(members[0])
    return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def type_label(annotation: Any) -> str:
    """A readable type: ``list[str]``, ``"higher" | "lower"``, ``float | "training"``, ``path``.

    ``None`` is left out of unions: TOML has no null, a parameter is simply omitted."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return " | ".join(json.dumps(_plain(v)) for v in get_args(annotation))
    if _is_union(annotation):
        return " | ".join(type_label(a) for a in get_args(annotation) if a is not type(None))
    if origin in (list, tuple, set, frozenset):
        items = [a for a in get_args(annotation) if a is not Ellipsis]
        inner = type_label(items[0]) if items else "any"
        return f"list[{inner}]"
    if origin is dict:
        args = get_args(annotation)
        return f"dict[{type_label(args[0])}, {type_label(args[1])}]" if args else "dict"
    if annotation in _NAMES:
        return _NAMES[annotation]
    if isinstance(annotation, type) and issubclass(annotation, PurePath):
        return "path"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(json.dumps(_plain(m.value)) for m in annotation)
    if annotation is Any:
        return "any"
    return getattr(annotation, "__name__", str(annotation))


def _literals(annotation: Any) -> list[Any] | None:
    """Allowed values when the value, or each item of a list or dict, is one of fixed choices."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return [_plain(v) for v in get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [_plain(m.value) for m in annotation]
    if origin in (list, tuple, set, frozenset):
        items = [a for a in get_args(annotation) if a is not Ellipsis]
        return _literals(items[0]) if len(items) == 1 else None
    if origin is dict and get_args(annotation):
        return _literals(get_args(annotation)[1])
    return None


def _models(annotation: Any) -> list[type[BaseModel]]:
    """Models the value holds: itself, its list items, dict values or union members."""
    annotation = _strip(annotation)
    if _is_model(annotation):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        for model in _models(arg):
            if model not in found:
                found.append(model)
    return found


def constraints(info: FieldInfo) -> dict[str, Any]:
    """The field's bounds and lengths (``gt``, ``ge``, ``lt``, ``le``, ``min_length``, ...)."""
    found: dict[str, Any] = {}
    for meta in info.metadata:
        for name in CONSTRAINTS:
            value = getattr(meta, name, None)
            if value is not None:
                found[name] = _plain(value)
    return found


def allowed_text(annotation: Any, bounds: dict[str, Any], choices: list[Any] | None) -> str:
    """A readable summary of the allowed values: ``0 < value <= 1``, ``"a" or "b"``."""
    parts: list[str] = []
    if choices is not None:
        quoted = [json.dumps(c) for c in choices]
        text = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        container = get_origin(_strip(annotation)) in (list, tuple, set, frozenset, dict)
        parts.append(f"each {text}" if container else text)
    low = _bound(bounds, "gt", " < ") or _bound(bounds, "ge", " <= ")
    high = _bound(bounds, "lt", " < ") or _bound(bounds, "le", " <= ")
    if low and high:
        parts.append(f"{low[1]}{low[0]}value{high[0]}{high[1]}")
    elif low:  # a lone lower bound reads better with the value first
        parts.append(f"value{low[0].replace('<', '>')}{low[1]}")
    elif high:
        parts.append(f"value{high[0]}{high[1]}")
    if "multiple_of" in bounds:
        parts.append(f"a multiple of {_num(bounds['multiple_of'])}")
    unit = _length_unit(annotation)
    lo, hi = bounds.get("min_length"), bounds.get("max_length")
    if lo is not None and hi is not None:
        parts.append(f"{lo} to {hi} {unit}")
    elif lo is not None:
        parts.append("non-empty" if lo == 1 else f"at least {lo} {unit}")
    elif hi is not None:
        parts.append(f"at most {hi} {unit}")
    if "pattern" in bounds:
        parts.append(f"matches {bounds['pattern']}")
    return "; ".join(parts)


def _bound(bounds: dict[str, Any], key: str, sign: str) -> tuple[str, str] | None:
    return (sign, _num(bounds[key])) if key in bounds else None


def _length_unit(annotation: Any) -> str:
    origin = get_origin(_strip(annotation))
    if origin in (list, tuple, set, frozenset):
        return "items"
    return "entries" if origin is dict else "characters"


def _num(value: Any) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)


def describe_params(model: type[BaseModel], _seen: tuple[type, ...] = ()) -> list[dict[str, Any]]:
    """Every parameter of ``model`` in declaration order, nested tables expanded once."""
    params = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        required = info.is_required()
        default = None if required else _plain(info.get_default(call_default_factory=True))
        bounds = constraints(info)
        choices = _literals(info.annotation)
        nested = [m for m in _models(info.annotation) if m not in _seen]
        params.append(
            {
                "name": info.alias or name,
                "type": type_label(info.annotation),
                "required": required,
                "default": default,
                "description": " ".join((info.description or "").split()),
                "choices": choices,
                "constraints": bounds,
                "allowed": allowed_text(info.annotation, bounds, choices),
                "model": nested[0].__name__ if nested else None,
                "model_description": _doc(nested[0]) if nested else None,
                "fields": describe_params(nested[0], (*_seen, model)) if nested else None,
            }
        )
    return params


def _doc(model: type[BaseModel]) -> str:
    return " ".join((model.__doc__ or "").split())


def display_default(param: dict[str, Any]) -> str:
    """The default as TOML, ``required`` or ``unset`` (a None default: omitted)."""
    if param["required"]:
        return "required"
    return "unset" if param["default"] is None else toml_value(param["default"])


def placeholder(
    annotation: Any,
    name: str,
    bounds: dict[str, Any] | None = None,
    *,
    items: int = 1,
    index: int | None = None,
) -> Any:
    """A value of the right type for a parameter the user must fill in: the first allowed
    value, a number within the bounds, ``"<name>"`` for text; lists get ``items`` items (at
    least their minimum length), numbered ``"<name 1>"``, ``"<name 2>"`` when more than one."""
    bounds = bounds or {}
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return _plain(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _plain(next(iter(annotation)).value)
    if _is_union(annotation):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return placeholder(members[0], name, bounds, items=items, index=index)
    if origin in (list, tuple, set, frozenset):
        inner = [a for a in get_args(annotation) if a is not Ellipsis]
        n = max(items, int(bounds.get("min_length", 1)), 1)
        numbers = [None] if n == 1 else list(range(1, n + 1))
        return [placeholder(inner[0] if inner else str, name, index=i) for i in numbers]
    if origin is dict:
        return {}
    if _is_model(annotation):
        return {
            key: placeholder(info.annotation, key, constraints(info), index=index)
            for key, info in annotation.model_fields.items()
            if info.is_required()
        }
    if annotation is bool:
        return False
    if annotation in (int, float):
        return _number(annotation, bounds)
    return f"<{name}>" if index is None else f"<{name} {index}>"


def required_placeholders(model: type[BaseModel]) -> dict[str, Any]:
    """Placeholders of the required parameters: with one item per list, or two when the model
    rejects one (a unit comparing scores needs at least two)."""
    candidates = [
        {
            info.alias or key: placeholder(info.annotation, key, constraints(info), items=items)
            for key, info in model.model_fields.items()
            if info.is_required() and not info.exclude
        }
        for items in (1, 2)
    ]
    for values in candidates:
        try:
            model.model_validate(values)
        except Exception:  # a plugin's validator may raise anything; try the next candidate
            continue
        return values
    return candidates[0]


def _number(kind: type, bounds: dict[str, Any]) -> int | float:
    """A number inside the bounds: the lower bound (or just above it), else 1."""
    low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
    if low is None:
        value: float = 1 if high is None or high > 1 else high - 1
    elif "ge" in bounds:
        value = low
    elif high is not None:
        value = (low + high) / 2
    else:
        value = low + 1
    return math.ceil(value) if kind is int else float(value)


def unit_id(name: str) -> str:
    """A valid ``[[unit]]`` id made from the unit's name."""
    ident = re.sub(r"\W", "_", name)
    return ident if ident[:1].isalpha() else f"u_{ident}"


def toml_example(name: str, model: type[BaseModel]) -> str:
    """A ``[[unit]]`` table: required parameters filled in with placeholders, optional ones
    commented out with their default (or a placeholder, noted 'unset by default')."""
    lines = ["[[unit]]", f'id = "{unit_id(name)}"', f'use = "{name}"']
    required = required_placeholders(model)
    for key, info in model.model_fields.items():
        if info.exclude:
            continue
        key = info.alias or key
        bounds = constraints(info)
        if key in required:
            lines.append(f"{key} = {toml_value(required[key])}")
            continue
        default = info.get_default(call_default_factory=True)
        if default is None:
            value = toml_value(placeholder(info.annotation, key, bounds))
            lines.append(f"# {key} = {value}  # unset by default")
        else:
            lines.append(f"# {key} = {toml_value(default)}")
    return "\n".join(lines) + "\n"
