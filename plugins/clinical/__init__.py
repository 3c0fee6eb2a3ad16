"""Built-in clinical units."""

from __future__ import annotations

from remarkit import hookimpl
from remarkit.engine.registry import UnitRegistry

UNITS: tuple[type, ...] = ()


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the clinical units."""
    for unit in UNITS:
        registry.add(unit)
