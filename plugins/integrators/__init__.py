"""Built-in integrator units: models that combine phase scores and clinical predictors."""

from __future__ import annotations

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.integrators.unit import LogisticIntegrator

UNITS: tuple[type, ...] = (LogisticIntegrator,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the integrator units."""
    for unit in UNITS:
        registry.add(unit)
