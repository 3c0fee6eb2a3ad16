"""Jinja2 environment: user folder, then plugin folders, then the built-in templates.

A name prefixed ``default:`` always resolves to the built-in template, so an override can
``{% extends "default:units/baseline_table.html" %}`` the original. Autoescape is on.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)

from remarkit.report.formatting import FILTERS
from remarkit.report.provenance_view import param_rows, short_hash


def builtin_templates_dir() -> Path:
    """The folder of the built-in templates (package ``remarkit.report_templates``)."""
    return Path(str(files("remarkit.report_templates")))


def make_environment(
    user_dir: Path | None = None, plugin_dirs: list[Path] | None = None
) -> Environment:
    """Build the template environment with the documented look-up order and filters."""
    builtin = FileSystemLoader(str(builtin_templates_dir()))
    chain: list[BaseLoader] = []
    if user_dir is not None:
        chain.append(FileSystemLoader(str(user_dir)))
    chain.extend(FileSystemLoader(str(d)) for d in plugin_dirs or [])
    chain.append(builtin)
    loader = ChoiceLoader([PrefixLoader({"default": builtin}, delimiter=":"), *chain])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.filters.update(param_rows=param_rows, short_hash=short_hash)
    return env
