"""Built-in evaluator units."""

from __future__ import annotations

from pathlib import Path

from remarkit import UnitRegistry, hookimpl
from remarkit.plugins.evaluators.calibration import Calibration
from remarkit.plugins.evaluators.decision_curve import DecisionCurve
from remarkit.plugins.evaluators.discrimination import Discrimination
from remarkit.plugins.evaluators.group_comparison import GroupComparison
from remarkit.plugins.evaluators.internal_validation import InternalValidation
from remarkit.plugins.evaluators.model_comparison import ModelComparison
from remarkit.plugins.evaluators.survival_stratification import SurvivalStratification

UNITS: tuple[type, ...] = (
    Discrimination,
    ModelComparison,
    Calibration,
    SurvivalStratification,
    GroupComparison,
    DecisionCurve,
    InternalValidation,
)


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    """Register the evaluator units."""
    for unit in UNITS:
        registry.add(unit)


@hookimpl
def remarkit_template_dirs() -> list[str]:
    """The folder holding this family's report fragments (``units/<result kind>.html``)."""
    return [str(Path(__file__).parent / "templates")]
