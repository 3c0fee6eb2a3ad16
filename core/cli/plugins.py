"""``remarkit plugins [UNIT] [--json | --markdown]``: the installed units and their parameters."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from remarkit.errors import InputError

if TYPE_CHECKING:
    from remarkit.engine.registry import UnitRegistry

# The engine and the units' docs are imported by the verb, not here: ``remarkit --help`` builds
# this verb's parser and must not load pydantic or any plugin.

#: Version of the ``remarkit plugins --json`` document's structure (see docs/units.md).
LISTING_FORMAT = 2


def add_parser(sub: Any) -> None:
    """Register the ``plugins`` verb on the CLI's subparsers."""
    parser = sub.add_parser(
        "plugins", help="list the installed analytic units, or one unit's parameters"
    )
    parser.add_argument(
        "unit", nargs="?", default=None, metavar="UNIT", help="show this unit's parameters"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument(
        "--markdown", action="store_true", help="the units' reference as Markdown (docs/units.md)"
    )
    parser.set_defaults(handler=plugins)


def _entries(registry: UnitRegistry, problems: list[str]) -> list[dict[str, Any]]:
    """Every unit's entry; a unit whose parameters cannot be read is reported, not fatal."""
    from remarkit.cli.unit_docs import unit_entry

    rows = []
    for name in sorted(registry.units):
        try:
            rows.append(unit_entry(registry, name))
        except Exception as exc:  # a third-party Params model must not break the listing
            problems.append(
                f"unit '{name}' ({registry.origins[name]}): its parameters cannot be described: "
                f"{type(exc).__name__}: {exc}"
            )
    return rows


def plugins(args: argparse.Namespace) -> int:
    """List every unit (family, version, source, REMARK items), or print one unit's parameters."""
    from remarkit.cli.unit_docs import render_markdown, render_unit, unit_entry
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.engine.suggest import did_you_mean

    loaded = make_plugin_manager()
    registry = loaded.units()
    loaded.template_dirs()  # records templates that override others
    problems = [str(p) for p in loaded.problems]
    if args.unit is not None:
        if args.unit not in registry.units:
            guess = did_you_mean(args.unit, registry.units)
            raise InputError(
                f"unknown unit '{args.unit}'{guess} (`remarkit plugins` lists every unit)"
            )
        entry = unit_entry(registry, args.unit)
        if args.json:
            print(json.dumps(entry, indent=2))
        else:
            print("\n".join(render_unit(entry)) if args.markdown else format_unit(entry))
        return 0
    rows = _entries(registry, problems)
    if args.json:
        document = {"format": LISTING_FORMAT, "units": rows, "problems": problems}
        print(json.dumps(document, indent=2))
        return 0
    if args.markdown:
        print(render_markdown(rows), end="")
    else:
        _print_table(rows)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def _print_table(rows: list[dict[str, Any]]) -> None:
    header = ("unit", "family", "version", "source", "REMARK items")
    table = [header] + [
        (
            r["name"],
            r["family"],
            r["version"],
            f"{r['source']} {r['source_version']}".strip(),
            ", ".join(map(str, r["remark_items"])) or "-",
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print("\n`remarkit plugins UNIT` shows a unit's parameters and a [[unit]] example.")


def format_unit(entry: dict[str, Any]) -> str:
    """A unit's parameters as text: name, type, default, allowed values, description."""
    items = ", ".join(map(str, entry["remark_items"])) or "none"
    source = f"{entry['source']} {entry['source_version']}".strip()
    lines = [
        f"{entry['name']} ({entry['title']}): {entry['family']} unit, version "
        f"{entry['version']}, from {source}",
        f"REMARK items: {items}",
    ]
    if entry["description"]:
        lines += ["", *_wrap(entry["description"], "")]
    lines += ["", "parameters:"]
    lines += _format_params(entry["parameters"], "  ") or ["  (none)"]
    lines += ["", "example (paste into study.toml, fill in the <...> values):", ""]
    lines += entry["example"].rstrip("\n").splitlines()
    return "\n".join(lines)


def _format_params(params: list[dict[str, Any]], indent: str) -> list[str]:
    from remarkit.cli.unit_params import display_default

    lines: list[str] = []
    for p in params:
        default = display_default(p)
        head = f"{indent}{p['name']}: {p['type']}"
        if p["required"] or default == "unset":
            head += " (required)" if p["required"] else " (optional, unset by default)"
        else:
            head += f" = {default}"
        if p["allowed"] and p["constraints"]:  # bare choices are in the type already
            head += f"  [{p['allowed']}]"
        lines.append(head)
        if p["description"]:
            lines += _wrap(p["description"], indent + "    ")
        if p["fields"]:
            kind = "each item" if p["type"].startswith(("list[", "dict[")) else "a table"
            lines.append(f"{indent}    {kind} ({p['model']}) takes:")
            lines += _format_params(p["fields"], indent + "      ")
    return lines


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent) or [""]
