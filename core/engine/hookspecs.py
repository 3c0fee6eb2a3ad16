"""Every hook remarkit calls. Bodies are docstrings only; each follows one template:

one line saying what the hook does, then ``:param`` lines, then what the return value means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from remarkit.engine.registry import ChecklistRegistry, UnitRegistry
    from remarkit.engine.unit import UnitResult

hookspec = pluggy.HookspecMarker("remarkit")
hookimpl = pluggy.HookimplMarker("remarkit")


@hookspec
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register analytic unit classes with the engine.

    :param registry: call ``registry.add(UnitClass)`` once per unit; duplicate names are rejected.
    :return: nothing.
    """


@hookspec
def remarkit_register_checklists(registry: ChecklistRegistry) -> None:
    """Register reporting checklists (REMARK, TRIPOD+AI, ...).

    :param registry: call ``registry.add(checklist)`` once per checklist; duplicates are rejected.
    :return: nothing.
    """


@hookspec
def remarkit_template_dirs() -> list[str]:
    """Return folders holding this plugin's report template fragments (``units/<kind>.html``).

    :return: absolute folder paths; a third-party plugin's are searched after the user's folder and
        before the built-in templates (the core's and the built-in plugins' own folders).
    """


@hookspec
def remarkit_before_unit(unit_id: str, unit_name: str) -> None:
    """Called before a unit runs (or is served from the cache); for tracing.

    :param unit_id: the unit's id in study.toml.
    :param unit_name: the registered unit name.
    :return: nothing.
    """


@hookspec
def remarkit_after_unit(
    unit_id: str, unit_name: str, status: str, seconds: float, result: UnitResult | None
) -> None:
    """Called after a unit finished, failed or was skipped; for tracing.

    :param unit_id: the unit's id in study.toml.
    :param unit_name: the registered unit name.
    :param status: ``ok``, ``failed`` or ``skipped``.
    :param seconds: wall time spent on the unit.
    :param result: the typed result, or None when the unit did not produce one.
    :return: nothing.
    """
