"""Cross-fitted (out-of-fold) training scores, shared by scorer and integrator units.

A scorer fitted on the training set scores its own training patients optimistically (apparent
AUC 0.9 against 0.7 cross-validated); a model fitted on top of those scores overweights them. A
scorer unit therefore publishes, beside its ``NAME`` column, ``NAME_oof``: for each training
patient the score of a refit that never saw that patient (k-fold cross-fitting: the scorer's
whole pipeline, selection included, refitted on the other k - 1 folds), missing for everyone
else. Downstream models choose per parameter whether they train on those (``cross-fitted``) or
on the final scores (``in-sample``); test and external patients always get the final scores of
the scorer refitted on the whole training set. Plugins never import each other: the convention
(the ``_oof`` suffix, the folds) lives here.

Folds are stratified by the outcome and seeded from the study seed, so every unit that
cross-fits the same patients uses the same folds. Fold membership uses the outcomes only to
balance the folds; with the folds fixed, a patient's out-of-fold score does not depend on its
own outcome (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from remarkit import DerivedColumn, UnitContext

OOF_SUFFIX = "_oof"
DEFAULT_FOLDS = 5
TrainingScores = Literal["cross-fitted", "in-sample"]
Source = Literal["cross-fitted", "in-sample", "measured"]


def oof_name(column: str) -> str:
    """The out-of-fold companion of a derived column: ``a.score`` -> ``a.score_oof``."""
    return f"{column}{OOF_SUFFIX}"


def crossfit_folds(y: Sequence[int] | np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold (0 .. k-1) of each row: scikit-learn's StratifiedKFold, shuffled with ``seed``."""
    from sklearn.model_selection import StratifiedKFold

    labels = np.asarray(y, dtype=int)
    folds = np.full(labels.size, -1, dtype=int)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for fold, (_, held_out) in enumerate(splitter.split(np.zeros(labels.size), labels)):
        folds[held_out] = fold
    return folds


def out_of_fold(
    folds: np.ndarray,
    fit_predict: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """Out-of-fold predictions: for each fold, ``fit_predict(fit_rows, held_out_rows)`` is fitted
    on the other folds' rows only and returns one prediction per held-out row."""
    out = np.full(folds.size, np.nan)
    for fold in np.unique(folds):
        held_out = np.flatnonzero(folds == fold)
        fit_rows = np.flatnonzero(folds != fold)
        out[held_out] = np.asarray(fit_predict(fit_rows, held_out), dtype=float)
    return out


def oof_column(
    name: str, label: str, cohort_ids: Sequence[str], values: dict[str, float]
) -> DerivedColumn:
    """The ``NAME_oof`` column: each training patient's out-of-fold value, None for the rest."""
    return DerivedColumn(
        name=f"{name}{OOF_SUFFIX}",
        kind="continuous",
        ids=list(cohort_ids),
        values=[values.get(i) for i in cohort_ids],
        label=f"{label} (out-of-fold, training set)",
    )


class ScoreSource(BaseModel):
    """Which training values of one predictor a downstream model was fitted on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variable: str = Field(description="Predictor column")
    source: Source = Field(
        description="'cross-fitted' (the upstream unit's out-of-fold scores), 'in-sample' (a "
        "column derived by an upstream unit from a fit on the whole training set) or "
        "'measured' (a cohort variable, nothing fitted)"
    )
    column: str | None = Field(
        default=None, description="The out-of-fold column used (cross-fitted only)"
    )


def training_view(
    ctx: UnitContext, variables: Sequence[str], mode: TrainingScores
) -> tuple[UnitContext, list[ScoreSource]]:
    """A context whose training rows carry out-of-fold scores where upstream units publish them
    (``mode = 'cross-fitted'``), and the source of every variable's training values.

    Only training rows change; everyone else keeps the final scores.
    """
    cohort = ctx.cohort
    data = cohort.data
    derived = cohort.derived_kinds
    sources: list[ScoreSource] = []
    replaced: dict[str, str] = {}
    for column in variables:
        oof = oof_name(column)
        if mode == "cross-fitted" and oof in data.columns:
            replaced[column] = oof
            sources.append(ScoreSource(variable=column, source="cross-fitted", column=oof))
        elif column in derived:
            sources.append(ScoreSource(variable=column, source="in-sample"))
        else:
            sources.append(ScoreSource(variable=column, source="measured"))
    if not replaced:
        return ctx, sources
    data = data.copy()
    train = cohort.train
    for column, oof in replaced.items():
        data.loc[train, column] = data.loc[train, oof].astype(float)
    return replace(ctx, cohort=replace(cohort, data=data)), sources


def sources_sentence(sources: Sequence[ScoreSource], labels: dict[str, str], folds: int) -> str:
    """The Methods sentence saying which training values each upstream score contributed."""
    crossed = [labels.get(s.variable, s.variable) for s in sources if s.source == "cross-fitted"]
    in_sample = [labels.get(s.variable, s.variable) for s in sources if s.source == "in-sample"]
    parts: list[str] = []
    if crossed:
        parts.append(
            f"{', '.join(crossed)} entered with cross-fitted training scores (each training "
            f"patient scored by a {folds}-fold refit of the upstream unit that never saw it; "
            "folds stratified by the outcome and seeded from the study seed)"
        )
    if in_sample:
        parts.append(
            f"{', '.join(in_sample)} entered with in-sample training values (from the "
            "upstream fit on the whole training set)"
        )
    if not parts:
        return ""
    return (
        " The model was fitted on the training set where "
        + "; ".join(parts)
        + "; test and external patients are scored with the upstream units refitted on the "
        "whole training set."
    )
