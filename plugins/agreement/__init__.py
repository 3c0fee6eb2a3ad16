"""Built-in agreement units: reproducibility of measurements and agreement between readers."""

from __future__ import annotations

from remarkit import hookimpl
from remarkit.engine.registry import UnitRegistry
from remarkit.plugins.agreement.marker_reproducibility import MarkerReproducibility

UNITS: tuple[type, ...] = (MarkerReproducibility,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the agreement units."""
    for unit in UNITS:
        registry.add(unit)
