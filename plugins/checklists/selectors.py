"""What the checklists look for in a run: unit selectors and run predicates they share.

A selector is a unit name, ``family:<family>`` or ``kind:<result kind>``
(:func:`remarkit.report.checklist.unit_matches`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from remarkit.report.checklist import ran

#: Units that fit a prediction model (TRIPOD+AI applies when one ran).
MODELS = (
    "family:integrator",
    "family:phase_scorer",
    "multivariable_cox",
    "multivariable_logistic",
    "logistic_model",
)
#: Units that evaluate a model's performance.
PERFORMANCE = (
    "discrimination",
    "survival_discrimination",
    "calibration",
    "survival_calibration",
    "decision_curve",
    "internal_validation",
    "survival_stratification",
)
COMPARISON = ("model_comparison",)
BASELINE = ("baseline_table",)
GROUPS = ("group_comparison", "survival_stratification")
AGREEMENT = ("semantic_agreement", "marker_reproducibility")
RADIOMICS = ("radiomics_score",)
DEEP = ("deep_score",)

NARRATIVE = "study.narrative."


def narrative(*names: str) -> tuple[str, ...]:
    """The results.json paths of ``[study.narrative]`` fields."""
    return tuple(NARRATIVE + name for name in names)


def model_fitted(results: Mapping[str, Any]) -> bool:
    """Whether a unit that fits a prediction model ran."""
    return ran(results, *MODELS)


def radiomics_ran(results: Mapping[str, Any]) -> bool:
    """Whether a radiomics unit ran."""
    return ran(results, *RADIOMICS)


def deep_learning_ran(results: Mapping[str, Any]) -> bool:
    """Whether a deep-learning unit ran."""
    return ran(results, *DEEP)


def evaluation_run(results: Mapping[str, Any]) -> bool:
    """Whether the run evaluates a frozen model on a new cohort (``remarkit apply``)."""
    return results.get("applied_model") is not None


def development_run(results: Mapping[str, Any]) -> bool:
    """Whether the run develops its models (a ``remarkit run``, not an apply)."""
    return not evaluation_run(results)
