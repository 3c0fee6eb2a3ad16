"""`remarkit plugins UNIT`, `--json` and `--markdown`: each unit's parameters, findable."""

from __future__ import annotations

import json
import re

import pytest

from remarkit.cli import plugins as plugins_module
from remarkit.cli import unit_docs
from remarkit.cli.main import main
from remarkit.cli.unit_docs import JSON_SECTION

PARAM_KEYS = {
    "name",
    "type",
    "required",
    "default",
    "description",
    "choices",
    "constraints",
    "allowed",
    "model",
    "model_description",
    "fields",
}


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_one_unit_prints_its_parameters_and_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _out(["plugins", "discrimination"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        "discrimination (Discrimination): evaluator unit, version 1.0, from remarkit"
    )
    assert "  scores: list[ThresholdedScore] (required)" in lines
    assert "  level: float = 0.95  [0 < value < 1]" in lines
    assert "  subgroup: str (optional, unset by default)" in lines
    # the nested score table is expanded, with its Literal choices
    assert '        direction: "higher" | "lower" = "higher"' in lines
    assert "        column: str (required)" in lines
    example = out[out.index("[[unit]]") :]
    assert 'use = "discrimination"\nscores = [{ column = "<column>" }]\n# level = 0.95' in example


def test_list_of_strings_and_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _out(["plugins", "baseline_table"], capsys)
    assert code == 0
    assert "  variables: list[str] (required)  [non-empty]" in out
    assert '  by: str = "split"\n' in out
    assert "  fisher_below: float = 5.0  [value >= 0]" in out


def test_unknown_unit_is_one_line_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _out(["plugins", "discrimnation"], capsys)
    assert code == 2 and out == ""
    assert err == (
        "error: unknown unit 'discrimnation'; did you mean `discrimination`? "
        "(`remarkit plugins` lists every unit)\n"
    )
    code, _, err = _out(["plugins", "xyzzy"], capsys)
    assert code == 2 and "did you mean" not in err and err.count("\n") == 1


def test_json_lists_every_units_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _out(["plugins", "--json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["format"] == plugins_module.LISTING_FORMAT
    units = {u["name"]: u for u in document["units"]}
    assert {"discrimination", "radiomics_score", "marker_response"} <= set(units)
    for unit in units.values():
        assert unit["example"].startswith("[[unit]]\n")
        assert isinstance(unit["description"], str) and unit["description"]
        stack = list(unit["parameters"])
        while stack:
            param = stack.pop()
            assert set(param) == PARAM_KEYS, (unit["name"], param["name"])
            stack.extend(param["fields"] or [])
    level = next(p for p in units["discrimination"]["parameters"] if p["name"] == "level")
    assert level["default"] == 0.95 and level["constraints"] == {"gt": 0.0, "lt": 1.0}
    scores = units["discrimination"]["parameters"][0]
    assert (
        scores["required"] and scores["default"] is None and scores["model"] == "ThresholdedScore"
    )
    direction = next(p for p in scores["fields"] if p["name"] == "direction")
    assert direction["choices"] == ["higher", "lower"]


def test_json_structure_is_documented() -> None:
    """Every key of a parameter object is a row of the documented structure."""
    documented = set(re.findall(r"^\| `(\w+)` \|", JSON_SECTION, re.MULTILINE))
    assert documented == PARAM_KEYS
    assert f'{{"format": {plugins_module.LISTING_FORMAT},' in JSON_SECTION


def test_one_unit_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _out(["plugins", "marker_response", "--json"], capsys)
    entry = json.loads(out)
    assert code == 0 and entry["name"] == "marker_response" and entry["remark_items"] == [10, 11]
    names = [p["name"] for p in entry["parameters"]]
    assert names[:2] == ["baseline", "follow_up"]


def test_third_party_unit_parameters(
    test_plugin_installed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _out(["plugins", "test_count"], capsys)
    assert code == 0
    assert f"from {test_plugin_installed} 1.2.3" in out.splitlines()[0]
    assert "  column: str (required)" in out and "  threshold: float = 0.0" in out
    code, out, _ = _out(["plugins", "--markdown"], capsys)
    assert (
        code == 0 and "## `test_count`" in out and f"**from** {test_plugin_installed} 1.2.3" in out
    )


def test_a_unit_that_cannot_be_described_is_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = unit_docs.unit_entry

    def failing(registry: object, name: str) -> dict[str, object]:
        if name == "calibration":
            raise RuntimeError("odd Params")
        return real(registry, name)  # type: ignore[arg-type]

    monkeypatch.setattr(unit_docs, "unit_entry", failing)
    code, out, err = _out(["plugins"], capsys)
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert code == 0 and "discrimination" in listed and "calibration" not in listed
    assert "warning: unit 'calibration' (remarkit" in err and "RuntimeError: odd Params" in err


def test_one_unit_as_markdown_is_its_docs_section(capsys: pytest.CaptureFixture[str]) -> None:
    from remarkit.cli.unit_docs import generate

    code, out, _ = _out(["plugins", "group_comparison", "--markdown"], capsys)
    assert code == 0 and out.startswith("## `group_comparison`\n")
    assert "**`subset` items** (`SubsetFilter`)" in out
    assert out.rstrip("\n") in generate()
