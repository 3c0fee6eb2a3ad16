"""Built-in marker-response units."""

from __future__ import annotations

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.marker_response.unit import MarkerResponse

UNITS: tuple[type, ...] = (MarkerResponse,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the marker-response units."""
    for unit in UNITS:
        registry.add(unit)
