"""Built-in integrator units: models that combine phase scores and clinical predictors."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.integrators.unit import LogisticIntegrator

UNITS: tuple[type, ...] = (LogisticIntegrator,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the integrator units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
