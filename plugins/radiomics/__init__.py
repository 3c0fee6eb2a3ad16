"""Built-in radiomics units."""

from __future__ import annotations

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.radiomics.unit import RadiomicsScore

UNITS: tuple[type, ...] = (RadiomicsScore,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the radiomics units."""
    for unit in UNITS:
        registry.add(unit)
