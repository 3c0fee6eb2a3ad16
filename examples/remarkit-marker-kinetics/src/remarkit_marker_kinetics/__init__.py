"""remarkit-marker-kinetics: the marker_kinetics analytic unit, as a remarkit plugin.

Registered through the ``remarkit`` entry point (see pyproject.toml); the report fragment for
results of kind ``marker_kinetics`` lives in ``templates/units/``.
"""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl

from remarkit_marker_kinetics.unit import MarkerKinetics

TEMPLATES = Path(__file__).parent / "templates"
UNITS = (MarkerKinetics,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register marker_kinetics."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding units/marker_kinetics.html."""
    return [str(TEMPLATES)]
