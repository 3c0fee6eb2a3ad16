"""Built-in deep_learning units."""

from __future__ import annotations

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.deep_learning.unit import DeepScore

UNITS: tuple[type, ...] = (DeepScore,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the deep_learning units."""
    for unit in UNITS:
        registry.add(unit)
