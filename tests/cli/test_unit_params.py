"""Readable types, allowed values, defaults and placeholders read from a Params model, and the
[[unit]] example of every registered unit validating against its own Params."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import Field

from remarkit import UnitParams
from remarkit.cli.unit_params import (
    allowed_text,
    describe_params,
    display_default,
    placeholder,
    toml_example,
    toml_value,
    type_label,
    unit_id,
)
from remarkit.engine.plugin_manager import make_plugin_manager


class Inner(UnitParams):
    """One score."""

    column: str = Field(description="A column")
    direction: Literal["higher", "lower"] = "higher"
    weight: float = Field(default=1.0, gt=0)


class Sample(UnitParams):
    """Every kind of parameter."""

    names: list[str] = Field(min_length=1, description="Some   names\n  spread over lines")
    side: Literal["higher", "lower"] = Field(description="Which side")
    scores: list[Inner] = Field(description="Scores")
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")
    folds: int = Field(default=5, ge=2, le=20)
    split: float | Literal["training"] | None = None
    table: Path | None = None
    summary: dict[str, Literal["mean", "median"]] = Field(default_factory=dict)
    channels: list[int] = Field(default_factory=lambda: [8, 16], min_length=1, max_length=6)
    flag: bool = True
    when: date = date(2024, 1, 31)
    one: Inner | None = None


def _by_name() -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in describe_params(Sample)}


def test_readable_types() -> None:
    params = _by_name()
    assert params["names"]["type"] == "list[str]"
    assert params["side"]["type"] == '"higher" | "lower"'
    assert params["scores"]["type"] == "list[Inner]"
    assert params["split"]["type"] == 'float | "training"'
    assert params["table"]["type"] == "path"
    assert params["summary"]["type"] == 'dict[str, "mean" | "median"]'
    assert params["one"]["type"] == "Inner"
    assert type_label(int | None) == "int"


def test_required_defaults_choices_and_bounds() -> None:
    params = _by_name()
    assert [n for n, p in params.items() if p["required"]] == ["names", "side", "scores"]
    assert params["names"]["description"] == "Some names spread over lines"
    assert params["names"]["allowed"] == "non-empty"
    assert params["side"]["choices"] == ["higher", "lower"]
    assert params["side"]["allowed"] == '"higher" or "lower"'
    assert params["summary"]["allowed"] == 'each "mean" or "median"'
    assert params["level"]["constraints"] == {"gt": 0.5, "lt": 1.0}
    assert params["level"]["allowed"] == "0.5 < value < 1"
    assert params["folds"]["allowed"] == "2 <= value <= 20"
    assert params["channels"]["allowed"] == "1 to 6 items"
    assert params["channels"]["default"] == [8, 16]
    assert display_default(params["channels"]) == "[8, 16]"
    assert display_default(params["split"]) == "unset"
    assert display_default(params["names"]) == "required"
    assert display_default(params["when"]) == "2024-01-31"
    assert allowed_text(float, {"ge": 0}, None) == "value >= 0"
    assert allowed_text(float, {"le": 100}, None) == "value <= 100"


def test_nested_models_are_expanded() -> None:
    params = _by_name()
    scores = params["scores"]
    assert scores["model"] == "Inner" and scores["model_description"] == "One score."
    inner = {p["name"]: p for p in scores["fields"]}
    assert inner["column"]["required"] and inner["column"]["description"] == "A column"
    assert inner["direction"]["choices"] == ["higher", "lower"]
    assert inner["weight"]["allowed"] == "value > 0"
    assert params["one"]["fields"] is not None and params["names"]["fields"] is None


def test_toml_values_and_placeholders() -> None:
    assert toml_value({"a b": [1, 2.5], "c": True}) == '{ "a b" = [1, 2.5], c = true }'
    assert toml_value('say "hi"') == '"say \\"hi\\""'
    assert toml_value({}) == "{}"
    assert placeholder(int, "n", {"ge": 2, "le": 20}) == 2
    assert placeholder(float, "x", {"gt": 0.5, "lt": 1.0}) == 0.75
    assert placeholder(float, "x", {"gt": 0}) == 1.0
    assert placeholder(list[Inner], "scores") == [{"column": "<column>"}]
    assert unit_id("my-unit") == "my_unit" and unit_id("3d") == "u_3d"


def test_example_fills_required_and_comments_optional() -> None:
    text = toml_example("sample", Sample)
    lines = text.splitlines()
    assert lines[:3] == ["[[unit]]", 'id = "sample"', 'use = "sample"']
    assert 'names = ["<names>"]' in lines and 'side = "higher"' in lines
    assert 'scores = [{ column = "<column>" }]' in lines
    assert "# level = 0.95" in lines and "# flag = true" in lines
    assert '# table = "<table>"  # unset by default' in lines
    assert "# when = 2024-01-31" in lines


def _uncommented(example: str) -> str:
    return "\n".join(
        line[2:].split("  # unset by default")[0] if line.startswith("# ") else line
        for line in example.splitlines()
    )


@pytest.mark.parametrize("uncomment", [False, True], ids=["as printed", "every line uncommented"])
def test_every_registered_units_example_validates(uncomment: bool) -> None:
    """Each example is valid TOML whose table validates with the unit's own Params, both as
    printed and with every optional line uncommented (defaults and placeholders type-check)."""
    registry = make_plugin_manager(entry_points=[]).units()
    assert registry.units
    for name, unit in registry.units.items():
        example = toml_example(name, unit.Params)
        table = tomllib.loads(_uncommented(example) if uncomment else example)["unit"][0]
        assert table.pop("use") == name
        table.pop("id")
        unit.Params.model_validate(table)
