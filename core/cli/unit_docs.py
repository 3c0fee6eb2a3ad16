"""docs/units.md, generated from the registered units' ``Params`` models.

``python tools/gen_unit_docs.py`` rewrites it from the built-in units (``--check`` only compares);
``remarkit plugins --markdown`` prints the same reference for every installed unit.
"""

from __future__ import annotations

import argparse
import inspect
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from remarkit.cli.unit_params import describe_params, display_default, toml_example
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.engine.registry import UnitRegistry
from remarkit.engine.unit import FAMILIES

REFRESH = "python tools/gen_unit_docs.py"

INTRO = f"""\
# Analytic units and their parameters

<!-- Generated from the units' Params models by `{REFRESH}`; do not edit by hand. -->

Each analytic unit runs from a `[[unit]]` table in `study.toml`: `id` (your name for this use of
the unit: a letter, then letters, digits or `_`), `use` (the unit's name) and the unit's
parameters below. A *required* parameter must be given; any other takes the default shown when
omitted (*unset*: the description says what happens without it). A parameter whose type is a
list of tables (`list[ScoreSpec]`) is written as an array of inline tables,
`scores = [{{ column = "clinical.probability" }}, {{ column = "afp", direction = "lower" }}]`.
A misspelt unit or parameter name is an error that names the closest valid one.

`remarkit plugins UNIT` prints the same for any installed unit, third-party ones included, and
`remarkit plugins --json` gives them as data (its structure is at the end of this page).
"""

JSON_SECTION = """\
## `remarkit plugins --json`

The document is `{"format": 2, "units": [...], "problems": [...]}`; `problems` lists plugins or
units that could not be loaded or described. Each unit is an object with `name`, `title` (its
human title, as in the report), `family`,
`version`, `source` and `source_version` (the distribution that installed it), `plugin`,
`remark_items` (list of item numbers), `description` (its docstring), `example` (the `[[unit]]`
TOML above) and `parameters`, a list in declaration order of objects with:

| key | value |
|---|---|
| `name` | the key in the `[[unit]]` table |
| `type` | readable type: `str`, `int`, `float`, `bool`, `path`, `list[T]`, `dict[str, T]`, choices as `"a" \\| "b"`, a table's model name |
| `required` | `true` when the parameter must be given |
| `default` | the default as JSON (`null` when required or unset) |
| `description` | what the parameter does |
| `choices` | the allowed values when the value (or each item) is one of fixed choices, else `null` |
| `constraints` | bounds as given to pydantic: `gt`, `ge`, `lt`, `le`, `multiple_of`, `min_length`, `max_length`, `pattern` (only those set) |
| `allowed` | `choices` and `constraints` as one readable phrase (`0 < value <= 1`), or `""` |
| `model` | for a table or a list of tables: the model's name, else `null` |
| `model_description` | that model's docstring, else `null` |
| `fields` | that model's parameters (the same objects), else `null` |

`remarkit plugins UNIT --json` prints one unit's object.
"""


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _prose(text: str) -> str:
    """``text`` with '<' escaped outside code spans, so Markdown takes no '<name>' for HTML."""
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(text[last : match.start()].replace("<", "&lt;"))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].replace("<", "&lt;"))
    return "".join(parts)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _text_cell(text: str) -> str:
    return _prose(_cell(text))


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def _param_table(params: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| parameter | type | default | allowed values | description |",
        "|---|---|---|---|---|",
    ]
    for p in params:
        default = display_default(p)
        shown = f"*{default}*" if default in ("required", "unset") else _code(default)
        allowed = _text_cell(p["allowed"])
        lines.append(
            f"| `{p['name']}` | {_code(p['type'])} | {shown} | {allowed} | "
            f"{_text_cell(p['description'])} |"
        )
    return lines


def _nested(params: list[dict[str, Any]], path: str) -> list[str]:
    """Tables of the nested models, each after a line naming the parameter that holds it."""
    lines: list[str] = []
    for p in params:
        if not p["fields"]:
            continue
        where = f"{path}.{p['name']}" if path else p["name"]
        what = "items" if p["type"].startswith(("list[", "dict[")) else "table"
        about = f": {_text_cell(p['model_description'])}" if p["model_description"] else ""
        lines += ["", f"**`{where}` {what}** (`{p['model']}`){about}", ""]
        lines += _param_table(p["fields"])
        lines += _nested(p["fields"], where)
    return lines


def _summary(description: str) -> str:
    return _text_cell(description.split("\n\n", 1)[0])


def render_unit(entry: dict[str, Any]) -> list[str]:
    """One unit's section: identity, description, parameters, nested tables and example."""
    items = ", ".join(map(str, entry["remark_items"])) or "none"
    facts = (
        f"**{_text_cell(entry['title'])}** · **Family** {entry['family']} · "
        f"**version** {entry['version']} · **REMARK items** {items}"
    )
    if entry["source"] != "remarkit":
        facts += f" · **from** {entry['source']} {entry['source_version']}".rstrip()
    lines = [f"## `{entry['name']}`", "", facts, ""]
    if entry["description"]:
        lines += [_prose(entry["description"]), ""]
    lines += ["### Parameters", ""]
    if entry["parameters"]:
        lines += _param_table(entry["parameters"])
        lines += _nested(entry["parameters"], "")
    else:
        lines.append("None.")
    lines += ["", "### Example", "", "```toml", entry["example"].rstrip("\n"), "```", ""]
    return lines


def _order(entry: dict[str, Any]) -> tuple[int, str]:
    family = entry["family"]
    return (FAMILIES.index(family) if family in FAMILIES else len(FAMILIES), entry["name"])


def render_markdown(entries: Sequence[dict[str, Any]]) -> str:
    """The whole reference: introduction, an index by family, one section per unit."""
    ordered = sorted(entries, key=_order)
    lines = [INTRO, "| unit | family | version | what it does |", "|---|---|---|---|"]
    for e in ordered:
        lines.append(
            f"| [`{e['name']}`](#{e['name']}) | {e['family']} | {e['version']} | "
            f"{_summary(e['description'])} |"
        )
    lines.append("")
    for e in ordered:
        lines += render_unit(e)
    lines.append(JSON_SECTION)
    return "\n".join(lines)


def unit_title(unit: Any) -> str:
    """The unit's human title (``Unit.display_title()`` where the core has it), else its name
    made readable: ``'univariable_logistic'`` -> ``'Univariable logistic'``."""
    display = getattr(unit, "display_title", None)
    if callable(display):
        return str(display())
    text = " ".join(str(unit.name).replace("-", " ").replace("_", " ").split())
    return text[:1].upper() + text[1:]


def unit_entry(registry: UnitRegistry, name: str) -> dict[str, Any]:
    """One unit's listing: identity, origin, description, parameters and a [[unit]] example."""
    unit = registry.units[name]
    origin = registry.origins[name]
    return {
        "name": name,
        "title": unit_title(unit),
        "family": unit.family,
        "version": unit.version,
        "source": origin.distribution,
        "source_version": origin.version,
        "plugin": origin.plugin,
        "remark_items": list(unit.remark_items),
        "description": inspect.cleandoc(unit.__doc__ or ""),
        "parameters": describe_params(unit.Params),
        "example": toml_example(name, unit.Params),
    }


def builtin_entries() -> list[dict[str, Any]]:
    """Listing entries of the built-in units (registry.toml's plugins; no third-party ones)."""
    loaded = make_plugin_manager(entry_points=[])
    registry = loaded.units()
    if loaded.problems:
        raise RuntimeError("; ".join(str(p) for p in loaded.problems))
    return [unit_entry(registry, name) for name in registry.units]


def generate() -> str:
    """docs/units.md's text for the units registered now."""
    return render_markdown(builtin_entries())


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the generated reference; 1 when it is stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the Markdown file, e.g. docs/units.md")
    parser.add_argument("--check", action="store_true", help="only report whether it is stale")
    args = parser.parse_args(argv)
    text = generate()
    current = args.path.read_text(encoding="utf-8") if args.path.is_file() else None
    if args.check:
        if current != text:
            print(f"{args.path} is stale: run `{REFRESH}`")
            return 1
        print(f"{args.path} is up to date")
        return 0
    if current != text:
        args.path.write_text(text, encoding="utf-8")
        print(f"wrote {args.path}")
    else:
        print(f"{args.path} is up to date")
    return 0
