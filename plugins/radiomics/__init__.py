"""Built-in radiomics units."""

from __future__ import annotations

from remarkit import hookimpl
from remarkit.engine.registry import UnitRegistry

UNITS: tuple[type, ...] = ()


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the radiomics units."""
    for unit in UNITS:
        registry.add(unit)
