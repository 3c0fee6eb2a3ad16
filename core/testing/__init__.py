"""Testing helpers for remarkit plugins, and the pytest plugin that wraps them as fixtures.

Installed with remarkit, the pytest plugin (``remarkit.testing.plugin``) gives every test the
fixtures ``remarkit_plugins``, ``remarkit_study``, ``remarkit_run_unit`` and
``remarkit_check_fragment``. The functions behind them are importable from here:
:func:`write_synthetic_study`, :func:`run_unit` (returns a :class:`UnitRun`),
:func:`render_fragment` / :func:`check_fragment` (return a :class:`Fragment`),
:func:`check_unit` / :func:`check_units` (the conformance checks every unit must pass, return
:class:`UnitCheck`), :func:`make_plugin_manager` (returns :class:`Plugins`, the type of the
``remarkit_plugins`` fixture) and :func:`folder_state` (a unit folder as the :class:`remarkit.Fitted`
state ``apply`` receives, for testing ``apply`` directly). Names are imported on first use, so
loading the pytest plugin stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remarkit.engine.fitted import folder_state
    from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
    from remarkit.testing.conformance import UnitCheck, UnitCheckError, check_unit, check_units
    from remarkit.testing.fragments import (
        Fragment,
        FragmentError,
        check_fragment,
        render_fragment,
        render_record,
    )
    from remarkit.testing.protocols import CheckFragment, MakeStudy, RunUnit
    from remarkit.testing.runs import UnitRun, run_unit
    from remarkit.testing.study import add_units, synthetic_cohort, write_synthetic_study
    from remarkit.testing.toml import unit_table, unit_tables

_EXPORTS = {
    "folder_state": "remarkit.engine.fitted",
    "Plugins": "remarkit.engine.plugin_manager",
    "make_plugin_manager": "remarkit.engine.plugin_manager",
    "UnitCheck": "remarkit.testing.conformance",
    "UnitCheckError": "remarkit.testing.conformance",
    "check_unit": "remarkit.testing.conformance",
    "check_units": "remarkit.testing.conformance",
    "Fragment": "remarkit.testing.fragments",
    "FragmentError": "remarkit.testing.fragments",
    "check_fragment": "remarkit.testing.fragments",
    "render_fragment": "remarkit.testing.fragments",
    "render_record": "remarkit.testing.fragments",
    "CheckFragment": "remarkit.testing.protocols",
    "MakeStudy": "remarkit.testing.protocols",
    "RunUnit": "remarkit.testing.protocols",
    "UnitRun": "remarkit.testing.runs",
    "run_unit": "remarkit.testing.runs",
    "add_units": "remarkit.testing.study",
    "synthetic_cohort": "remarkit.testing.study",
    "write_synthetic_study": "remarkit.testing.study",
    "unit_table": "remarkit.testing.toml",
    "unit_tables": "remarkit.testing.toml",
}

__all__ = [
    "CheckFragment",
    "Fragment",
    "FragmentError",
    "MakeStudy",
    "Plugins",
    "RunUnit",
    "UnitCheck",
    "UnitCheckError",
    "UnitRun",
    "add_units",
    "check_fragment",
    "check_unit",
    "check_units",
    "folder_state",
    "make_plugin_manager",
    "render_fragment",
    "render_record",
    "run_unit",
    "synthetic_cohort",
    "unit_table",
    "unit_tables",
    "write_synthetic_study",
]


def __getattr__(name: str) -> Any:
    """Import an exported name on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'remarkit.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
