"""Built-in radiogenomics units."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.radiogenomics.mutation_burden import MutationBurden
from remarkit.plugins.radiogenomics.neoantigen_load import NeoantigenLoad
from remarkit.plugins.radiogenomics.ssgsea_association import SsgseaAssociation

UNITS: tuple[type, ...] = (SsgseaAssociation, MutationBurden, NeoantigenLoad)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the radiogenomics units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
