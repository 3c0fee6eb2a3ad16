"""docs/units.md is generated from the registered units' Params models and must be current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from remarkit.cli import unit_docs
from remarkit.engine.plugin_manager import make_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "units.md"


@pytest.fixture(scope="module")
def generated() -> str:
    return unit_docs.generate()


def test_committed_docs_are_current(generated: str) -> None:
    committed = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else ""
    assert committed == generated, (
        "docs/units.md is stale (a unit was added or its Params, docstring or version changed): "
        f"run `.venv/bin/{unit_docs.REFRESH}` and commit docs/units.md; a new unit needs no other "
        "change to be documented"
    )


def test_one_section_per_builtin_unit(generated: str) -> None:
    registry = make_plugin_manager(entry_points=[]).units()
    sections = re.findall(r"^## `(\w+)`$", generated, re.MULTILINE)
    assert sorted(sections) == sorted(registry.units)
    assert len(sections) == len(set(sections))
    for name, unit in registry.units.items():
        body = generated.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        title = unit_docs.unit_title(unit)
        assert f"**{title}** · **Family** {unit.family} · **version** {unit.version}" in body
        items = ", ".join(map(str, unit.remark_items)) or "none"
        assert f"**REMARK items** {items}" in body
        assert "### Parameters" in body and f'```toml\n[[unit]]\nid = "{name}"' in body
        for field in unit.Params.model_fields:
            assert f"| `{field}` |" in body, (name, field)


def test_unit_title() -> None:
    registry = make_plugin_manager(entry_points=[]).units()
    unit = registry.units["univariable_logistic"]
    assert unit_docs.unit_title(unit) == unit.display_title() == "Univariable logistic regression"

    class Plain:  # no display_title: the name made readable
        name = "univariable_logistic"

    assert unit_docs.unit_title(Plain) == "Univariable logistic"

    class Titled:
        name = "cox_zph"

        @classmethod
        def display_title(cls) -> str:
            return "Proportional-hazards check"

    assert unit_docs.unit_title(Titled) == "Proportional-hazards check"


def test_nested_tables_and_escaping(generated: str) -> None:
    body = generated.split("## `discrimination`\n", 1)[1].split("\n## ", 1)[0]
    assert "**`scores` items** (`ThresholdedScore`)" in body
    assert '| `direction` | `"higher" \\| "lower"` | `"higher"` | "higher" or "lower" |' in body
    assert "| `level` | `float` | `0.95` | 0 &lt; value &lt; 1 | Confidence level |" in body


def test_generator_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "units.md"
    assert unit_docs.main([str(target), "--check"]) == 1
    assert "is stale: run `python tools/gen_unit_docs.py`" in capsys.readouterr().out
    assert unit_docs.main([str(target)]) == 0
    assert unit_docs.main([str(target), "--check"]) == 0
    assert target.read_text(encoding="utf-8") == unit_docs.generate()


def test_readme_links_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/units.md)" in readme
