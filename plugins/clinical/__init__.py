"""Built-in clinical units: Table 1, univariable and multivariable logistic analyses, models."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.clinical.baseline_table import BaselineTable
from remarkit.plugins.clinical.logistic_model import LogisticModel
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic

UNITS: tuple[type, ...] = (
    BaselineTable,
    UnivariableLogistic,
    MultivariableLogistic,
    LogisticModel,
)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the clinical units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
