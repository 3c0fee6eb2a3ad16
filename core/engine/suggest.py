"""Hints ("did you mean ...?") for misspelt unit names, spec keys and unit parameters."""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word`` (difflib ratio >= 0.6), or None when none is close."""
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and word not in pool:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` for the closest candidate, or ``""`` when none is close."""
    match = closest(word, candidates)
    return f"; did you mean `{match}`?" if match is not None else ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Pydantic models an annotation may hold directly (through Optional/Union/Annotated)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _models_in(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [m for arg in get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _containers_in(annotation: Any) -> list[Any]:
    """Item annotations of the lists, tuples, sets and dicts an annotation may hold."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _containers_in(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [item for arg in get_args(annotation) for item in _containers_in(arg)]
    if origin in (list, tuple, set, frozenset):
        return [a for a in get_args(annotation) if a is not Ellipsis]
    if origin is dict:
        args = get_args(annotation)
        return [args[1]] if len(args) == 2 else []
    return []


def expected_literals(expected: str) -> list[str]:
    """The quoted choices of pydantic's ``literal_error`` context (``"'a' or 'b'"``)."""
    return re.findall(r"'((?:[^'\\]|\\.)*)'", expected)


def models_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[type[BaseModel]]:
    """The models found by following ``loc`` from ``model`` (list indexes and dict keys are
    stepped over); empty when the path leads to no model."""
    annotations: list[Any] = [model]
    for step in loc:
        following: list[Any] = []
        for annotation in annotations:
            for found in _models_in(annotation):
                info = found.model_fields.get(str(step))
                if info is not None:
                    following.append(info.annotation)
                elif step == found.__name__:  # pydantic names the member of a union of models
                    following.append(found)
            following.extend(_containers_in(annotation))
        annotations = following
    models: list[type[BaseModel]] = []
    for annotation in annotations:
        models.extend(m for m in _models_in(annotation) if m not in models)
    return models


def fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model(s) at ``loc`` (see :func:`models_at`)."""
    names: list[str] = []
    for found in models_at(model, loc):
        names.extend(
            n for n, info in found.model_fields.items() if not info.exclude and n not in names
        )
    return names


def misspelt_required(model: type[BaseModel], loc: Sequence[str | int], given: object) -> str:
    """For a missing required field at ``loc`` of a table that accepts other keys (a
    ``[[unit]]`` table: its parameters), ``"; is `x` a misspelling?"`` naming a given key close
    to the field's name; ``""`` otherwise."""
    if not loc or not isinstance(given, dict):
        return ""
    open_tables = [m for m in models_at(model, loc[:-1]) if m.model_config.get("extra") == "allow"]
    if not open_tables:
        return ""
    known = set(fields_at(model, loc[:-1]))
    match = closest(str(loc[-1]), [str(k) for k in given if k not in known])
    return f"; is `{match}` a misspelling?" if match is not None else ""
