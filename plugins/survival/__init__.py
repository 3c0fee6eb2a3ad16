"""Built-in survival units: univariable and multivariable Cox regression, proportional hazards,
Harrell's
C and survival calibration."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.plugins.survival.proportional_hazards import ProportionalHazards
from remarkit.plugins.survival.survival_calibration import SurvivalCalibration
from remarkit.plugins.survival.survival_discrimination import SurvivalDiscrimination
from remarkit.plugins.survival.univariable_cox import UnivariableCox

UNITS: tuple[type, ...] = (
    UnivariableCox,
    MultivariableCox,
    ProportionalHazards,
    SurvivalDiscrimination,
    SurvivalCalibration,
)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the survival units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
