"""The unit meta-test: every unit the built-in plugin manager registers has a one-value Literal
``kind``, a description on every result field (nested models too), and its own report fragment,
shipped by its own plugin package, that renders a recorded result (tests/plugin_kit/recorded/,
written by tools/record_unit_results.py) under the fragment contract.

A renamed or removed result field fails here in seconds: the recorded result no longer validates
(re-record it), and a fragment still reading the old name fails to render (StrictUndefined).
"""

from __future__ import annotations

import importlib
import json
import typing
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.template_dirs import core_templates_dir, template_names
from remarkit.engine.unit import UnitResult
from remarkit.testing.fragments import render_record

RECORDED = Path(__file__).parent / "recorded"


@cache
def _plugins() -> Plugins:
    return make_plugin_manager(entry_points=[])


def _builtin_units() -> list[str]:
    registry = _plugins().units()
    return sorted(n for n, o in registry.origins.items() if o.distribution == "remarkit")


def _models(annotation: Any, seen: dict[str, type[BaseModel]]) -> None:
    """Every pydantic model reachable from ``annotation`` (fields, lists, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation.__qualname__ in seen:
            return
        seen[annotation.__qualname__] = annotation
        for info in annotation.model_fields.values():
            _models(info.annotation, seen)
    for arg in typing.get_args(annotation):
        _models(arg, seen)


def _kind(result_type: type[UnitResult]) -> str:
    hint = typing.get_type_hints(result_type)["kind"]
    values = typing.get_args(hint) if typing.get_origin(hint) is typing.Literal else ()
    assert len(values) == 1 and isinstance(values[0], str), (
        f"{result_type.__name__}.kind must be a one-value string Literal, is {hint}"
    )
    return values[0]


def _plugin_templates(unit_name: str) -> Path:
    origin = _plugins().units().origins[unit_name]
    module = importlib.import_module(origin.plugin)
    assert module.__file__ is not None
    return Path(module.__file__).parent / "templates"


UNITS = _builtin_units()


def test_every_built_in_unit_has_one_recording_and_no_recording_is_stale() -> None:
    assert len(UNITS) >= 25
    assert sorted(p.stem for p in RECORDED.glob("*.json")) == UNITS


def test_no_built_in_template_hides_another() -> None:
    owners: dict[str, list[str]] = {}
    folders = [core_templates_dir(), *_plugins().builtin_template_dirs()]
    for folder in folders:
        for name in template_names(folder):
            owners.setdefault(name, []).append(str(folder))
    assert {n: f for n, f in owners.items() if len(f) > 1} == {}
    assert _plugins().template_dirs() == [] and _plugins().problems == []


@pytest.mark.parametrize("unit_name", UNITS)
def test_unit_kind_descriptions_and_fragment(unit_name: str, tmp_path: Path) -> None:
    unit = _plugins().units().units[unit_name]
    result_type = unit.Result
    kind = _kind(result_type)
    models: dict[str, type[BaseModel]] = {}
    _models(result_type, models)
    undescribed = [
        f"{model.__name__}.{field}"
        for model in models.values()
        for field, info in model.model_fields.items()
        if not (info.description or "").strip()
        and not (model is result_type and field == "kind")  # kind: described on UnitResult
    ]
    assert undescribed == []

    record = json.loads((RECORDED / f"{unit_name}.json").read_text(encoding="utf-8"))
    result = result_type.model_validate(record["result"])  # fails on a renamed/removed field
    assert result.kind == kind
    record["result"] = result.model_dump(mode="json")
    fragment = render_record(record, tmp_path, plugins=_plugins())
    assert fragment.problems == []
    assert fragment.template == f"units/{kind}.html"
    assert fragment.template_file == str(_plugin_templates(unit_name) / "units" / f"{kind}.html")
    assert fragment.html.strip()
