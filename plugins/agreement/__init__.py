"""Built-in agreement units: reproducibility of measurements (marker_reproducibility) and
agreement between readers of semantic features (semantic_agreement)."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.agreement.marker_reproducibility import MarkerReproducibility
from remarkit.plugins.agreement.semantic_agreement import SemanticAgreement

UNITS: tuple[type, ...] = (MarkerReproducibility, SemanticAgreement)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the agreement units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
