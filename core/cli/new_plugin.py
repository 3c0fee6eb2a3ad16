"""``remarkit new-plugin NAME [--family F] [--dir D]``: write a ready plugin package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeVar

from remarkit.engine.families import FAMILIES
from remarkit.errors import InputError

_P = TypeVar("_P", bound=argparse.ArgumentParser)


def add_parser(sub: argparse._SubParsersAction[_P]) -> None:
    """Add the ``new-plugin`` verb to the CLI's subparsers."""
    parser = sub.add_parser(
        "new-plugin",
        help="write a new plugin package (unit, fragment, tests) ready for pip install -e",
    )
    parser.add_argument(
        "name", metavar="NAME", help="plugin name, e.g. pivka-response (package remarkit-NAME)"
    )
    parser.add_argument(
        "--family", default="marker_response", choices=FAMILIES, help="the unit's family"
    )
    parser.add_argument(
        "--dir", default=".", metavar="D", help="folder to create the package in (default: .)"
    )
    parser.set_defaults(handler=new_plugin)


def new_plugin(args: argparse.Namespace) -> int:
    """Write the package; refuse a unit name that an installed plugin already registers."""
    from remarkit.engine.plugin_manager import make_plugin_manager  # loads every plugin
    from remarkit.scaffold import plugin_names, write_plugin

    names = plugin_names(args.name, args.family)
    parent = Path(args.dir)
    if parent.exists() and not parent.is_dir():
        raise InputError("not a folder", file=str(parent), field="--dir")
    registry = make_plugin_manager().units()
    if names.unit in registry.units:
        raise InputError(
            f"unit name '{names.unit}' is already registered by {registry.origins[names.unit]}; "
            "choose another NAME",
            field="NAME",
        )
    root, written = write_plugin(names, parent)
    print(f"wrote {names.distribution} (unit '{names.unit}', family {names.family}) to {root}:")
    for path in written:
        print(f"  {path.relative_to(root).as_posix()}")
    print(
        f"next: pip install -e '{root}[test]' && pytest {root / 'tests'}\n"
        f'then use it in study.toml: [[unit]] id = "..." use = "{names.unit}"'
    )
    return 0
