"""Built-in deep_learning units."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.deep_learning.unit import DeepScore

UNITS: tuple[type, ...] = (DeepScore,)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the deep_learning units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
