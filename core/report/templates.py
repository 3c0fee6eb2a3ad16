"""Jinja2 environment: user folder, then third-party plugin folders, then the built-in templates.

The built-in templates are the core's (skeleton, macros, house style: ``report_templates/``) and
the built-in plugins' unit fragments, which each family registers through the
``remarkit_template_dirs`` hook exactly as a third-party plugin does. A name prefixed
``default:`` always resolves to the built-in template, so an override can
``{% extends "default:units/baseline_table.html" %}`` the original. Autoescape is on.
"""

from __future__ import annotations

from functools import cache
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

from remarkit.engine.template_dirs import core_templates_dir
from remarkit.report.formatting import FILTERS
from remarkit.report.provenance_view import param_rows, short_hash


def builtin_templates_dir() -> Path:
    """The folder of the core's templates (package ``remarkit.report_templates``)."""
    return core_templates_dir()


@cache
def _default_builtin_plugin_dirs() -> tuple[Path, ...]:
    from remarkit.engine.plugin_manager import make_plugin_manager

    return tuple(make_plugin_manager(entry_points=[]).builtin_template_dirs())


def builtin_template_dirs(plugin_dirs: list[Path] | None = None) -> list[Path]:
    """The built-in template folders: the core's, then the built-in plugins' (``plugin_dirs``,
    by default those of the plugins registry.toml lists)."""
    if plugin_dirs is None:
        plugin_dirs = list(_default_builtin_plugin_dirs())
    return [builtin_templates_dir(), *plugin_dirs]


def make_environment(
    user_dir: Path | None = None,
    plugin_dirs: list[Path] | None = None,
    builtin_dirs: list[Path] | None = None,
) -> Environment:
    """Build the template environment with the documented look-up order and filters.

    ``plugin_dirs`` are third-party folders (``Plugins.template_dirs()``); ``builtin_dirs`` the
    built-in plugins' (``Plugins.builtin_template_dirs()``, by default registry.toml's).
    """
    builtin = FileSystemLoader([str(d) for d in builtin_template_dirs(builtin_dirs)])
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
