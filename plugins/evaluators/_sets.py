"""The sets of patients an evaluator reports on, and their display names.

A cohort of ``remarkit run`` has a training and a test set. An external validation cohort
(``remarkit apply``) has every patient in the 'test' split, shown as the external validation set,
and no training set: per-split analyses run on the splits that have patients, and thresholds
come from the applied model's training run (``ctx.thresholds``). Display names come from
:meth:`Cohort.set_label`; 'all' is the whole cohort.

Results of a cohort without a training set record the names in ``set_names``; for a cohort
with one the field is left out of results.json, so those results stay as they were, and
templates and Methods paragraphs keep their wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from remarkit import InputError, UnitContext, UnitResult
from remarkit.plugins.evaluators._common import Split

SPLITS: tuple[Split, Split] = ("train", "test")
#: Names of the sets of a cohort with a training set, for Methods text of a result without
#: ``set_names`` (``methods`` has no context); the same as ``Cohort.set_label`` gives them.
RUN_SET_NAMES: dict[str, str] = {"all": "Whole cohort", "train": "Training set", "test": "Test set"}
NO_TRAINING_SET = "the cohort has no training set (an external validation cohort)"


def _is_none(value: Any) -> bool:
    return value is None


class EvaluatorResult(UnitResult):
    """Base of the evaluator results: the set names of a cohort without a training set."""

    set_names: dict[str, str] | None = Field(
        default=None,
        exclude_if=_is_none,
        description="Display names of the sets by population ('all' and the splits with "
        "patients), for a cohort without a training set (external validation); absent otherwise",
    )


def set_name(ctx: UnitContext, population: str) -> str:
    """'Whole cohort' for 'all', else the split's name ('Training set', 'External ...', ...)."""
    return ctx.cohort.set_label(population)


def present_splits(ctx: UnitContext) -> tuple[Split, ...]:
    """The splits that have patients, training first."""
    return tuple(s for s in SPLITS if bool((ctx.cohort.split == s).any()))


def set_names(ctx: UnitContext) -> dict[str, str] | None:
    """The names a result records: for a cohort without a training set only, else None."""
    if ctx.cohort.has_training_set:
        return None
    return {p: set_name(ctx, p) for p in ("all", *present_splits(ctx))}


def result_set_name(names: Mapping[str, str] | None, population: str) -> str:
    """A population's name as a result recorded it (``set_names``), else a training run's."""
    return (names or RUN_SET_NAMES)[population]


def require_population(ctx: UnitContext, population: str, unit: str) -> None:
    """A population other than 'all' must have patients (an external cohort has no 'train')."""
    if population == "all" or population in present_splits(ctx):
        return
    why = NO_TRAINING_SET if population == "train" else "no patient is in that split"
    raise InputError(f"{unit}: population '{population}' has no patients: {why}")
