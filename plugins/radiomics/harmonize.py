"""ComBat harmonisation of radiomics_score's features across batches (centres, scanners).

The batch estimates are fitted on the training patients only (:func:`remarkit.modeling.combat`),
saved as ``combat.json`` (its sha256 in the result) and re-applied frozen to every scored
patient, here and under ``remarkit apply``. Only features finite for every training patient are
harmonised; the others pass through (the selection drops them). Batch differences are measured
on the training set by a Kruskal-Wallis test per feature, before and after.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from remarkit import FigureRef, InputError, RemarkitWarning, UnitContext
from remarkit.hashing import sha256_file
from remarkit.modeling.columns import is_categorical
from remarkit.modeling.combat import ComBatModel, apply_combat, fit_combat
from remarkit.plugins.radiomics.harmonize_params import HarmonizeParams
from remarkit.plugins.radiomics.harmonize_result import BatchCount, BatchEffect, Harmonization
from remarkit.report.formatting import p_phrase
from remarkit.text import name_ids

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from remarkit.report.plots.violin import ViolinPanel

COMBAT_FILE = "combat.json"
RAW_FILE = "features_before_combat.parquet"
ALPHA = 0.05
SHOWN = 4


def harmonize_columns(params: HarmonizeParams) -> list[str]:
    """Cohort columns the harmonisation reads (none when it is off)."""
    if params.harmonize_batch is None:
        return []
    return [params.harmonize_batch, *params.harmonize_covariates]


def check_harmonize(ctx: UnitContext, params: HarmonizeParams, train: list[str]) -> None:
    """Before extraction: a categorical batch column, known for every patient, with >= 2 of the
    ``train`` patients in every level any patient has; covariates only with a batch. A one-line
    :class:`InputError` naming the column and the param."""
    column = params.harmonize_batch
    if column is None:
        if params.harmonize_covariates:
            raise InputError(
                "ComBat covariates given without harmonize_batch", field="harmonize_covariates"
            )
        return
    if column in params.harmonize_covariates:
        raise InputError(
            f"the batch column '{column}' cannot also be a covariate", field="harmonize_covariates"
        )
    data = ctx.cohort.data
    if column not in data.columns:
        raise InputError("no such cohort column", column=column, field="harmonize_batch")
    if not is_categorical(data[column]):
        raise InputError(
            "the batch column is continuous; declare a categorical column (centre, scanner)",
            column=column,
            field="harmonize_batch",
        )
    every = data[column]
    absent = [str(p) for p in every.index[every.isna()]]
    if absent:
        raise InputError(
            f"patient(s) {name_ids(absent)} have no batch; ComBat harmonises every scored "
            "patient by its batch",
            column=column,
            field="harmonize_batch",
        )
    counts = data.loc[train, column].astype(str).value_counts()
    small = [f"'{b}' ({n})" for b, n in sorted(counts.items()) if n < 2]
    if len(counts) < 2 or small:
        what = (
            f"batch(es) {', '.join(small)} have fewer than 2 training patients"
            if small
            else f"one batch ('{counts.index[0]}') among the training patients"
        )
        raise InputError(
            f"{what}; ComBat needs at least 2 batches of at least 2 training patients",
            column=column,
            field="harmonize_batch",
        )
    unseen = ~every.astype(str).isin(set(counts.index))
    if unseen.any():
        first = str(every[unseen].iloc[0])
        raise InputError(
            f"batch '{first}' (patient(s) {name_ids([str(p) for p in every.index[unseen]])}) "
            "has no training patient; ComBat cannot harmonise a batch it was not fitted on",
            column=column,
            field="harmonize_batch",
        )


@dataclass(frozen=True)
class Harmonized:
    """The harmonised features (every extracted patient) and what the report shows."""

    features: pd.DataFrame
    result: Harmonization
    artefacts: dict[str, str]
    figure: FigureRef
    warnings: list[str]


def _covariates(ctx: UnitContext, columns: list[str], rows: list[str]) -> pd.DataFrame | None:
    return ctx.cohort.data.loc[rows, columns] if columns else None


def _batch(ctx: UnitContext, column: str, rows: list[str]) -> pd.Series:
    return ctx.cohort.data.loc[rows, column].rename(column)


def kruskal_by_batch(values: pd.DataFrame, batch: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Kruskal-Wallis H and p-value of every column across the batches (tie-corrected)."""
    from scipy.stats import kruskal

    groups = [values.loc[batch == b].to_numpy(dtype=float) for b in sorted(set(batch))]
    h, p = kruskal(*groups, axis=0)
    return np.asarray(h, dtype=float), np.asarray(p, dtype=float)


def harmonize(
    ctx: UnitContext, params: HarmonizeParams, features: pd.DataFrame, train: list[str]
) -> Harmonized:
    """Fit ComBat on the ``train`` rows of ``features`` and apply it, frozen, to every row."""
    column = str(params.harmonize_batch)
    covariates = list(params.harmonize_covariates)
    finite = np.isfinite(features.loc[train].to_numpy(dtype=float)).all(axis=0)
    names = [str(c) for c, ok in zip(features.columns, finite, strict=True) if ok]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)  # reported below from model.unadjusted
        model = fit_combat(
            features.loc[train, names],
            _batch(ctx, column, train),
            _covariates(ctx, covariates, train),
            prior=params.harmonize_prior,
        )
    train_batch = _batch(ctx, column, train).astype(str)
    rows = [str(p) for p in features.index]
    out = features.copy()
    out[names] = apply_combat(
        model,
        features[names],
        _batch(ctx, column, rows),
        _covariates(ctx, covariates, rows),
    )
    path = ctx.artifact_path(COMBAT_FILE)
    path.write_text(model.model_dump_json(indent=2) + "\n", encoding="utf-8")
    raw = features.copy()
    raw.insert(0, column, [str(b) for b in _batch(ctx, column, rows)])
    raw_path = ctx.artifact_path(RAW_FILE)
    raw.reset_index().to_parquet(raw_path, index=False)
    tested = model.adjusted
    h_before, p_before = kruskal_by_batch(features.loc[train, tested], train_batch)
    _, p_after = kruskal_by_batch(out.loc[train, tested], train_batch)
    order = sorted(range(len(tested)), key=lambda i: (-h_before[i], tested[i]))[:SHOWN]
    largest = [
        BatchEffect(
            feature=tested[i],
            statistic_before=float(h_before[i]),
            p_before=float(p_before[i]),
            p_after=float(p_after[i]),
        )
        for i in order
    ]
    result = Harmonization(
        batch_column=column,
        covariates=covariates,
        prior=model.prior,
        batches=[
            BatchCount(batch=b, n_train=n)
            for b, n in zip(model.batches, model.batch_sizes, strict=True)
        ],
        n_harmonized=len(tested),
        unadjusted=model.unadjusted,
        n_not_finite=int((~finite).sum()),
        alpha=ALPHA,
        n_tested=len(tested),
        n_differing_before=int((p_before < ALPHA).sum()),
        n_differing_after=int((p_after < ALPHA).sum()),
        largest=largest,
        iterations=model.iterations,
        model_sha256=sha256_file(path),
    )
    figure = ctx.save_figure(
        "combat_batches",
        _figure(features.loc[train], out.loc[train], train_batch, largest, model.batches),
        f"Training-set distribution by {column} of the {len(largest)} features with the largest "
        "batch difference (Kruskal-Wallis H) before ComBat (left) and after (right).",
    )
    notes = []
    if model.unadjusted:
        notes.append(
            f"ComBat: {len(model.unadjusted)} feature(s) with a single value within a training "
            f"batch were not harmonised: {', '.join(model.unadjusted[:5])}"
            + (" ..." if len(model.unadjusted) > 5 else "")
        )
    artefacts = {"combat": ctx.relpath(path), "features_before_combat": ctx.relpath(raw_path)}
    return Harmonized(out, result, artefacts, figure, notes)


def _figure(
    before: pd.DataFrame,
    after: pd.DataFrame,
    batch: pd.Series,
    largest: list[BatchEffect],
    batches: list[str],
) -> Figure:
    from remarkit.report.plots.violin import ViolinGroup, ViolinPanel, violin_panels

    panels: list[ViolinPanel] = []
    for effect in largest:
        for label, frame, p in (
            ("before ComBat", before, effect.p_before),
            ("after ComBat", after, effect.p_after),
        ):
            groups = [
                ViolinGroup(b, frame.loc[batch == b, effect.feature].astype(float).tolist())
                for b in batches
            ]
            panels.append(
                ViolinPanel(
                    title=_short(effect.feature),
                    ylabel="value",
                    groups=groups,
                    annotation=f"{label}: Kruskal-Wallis {p_phrase(p)}",
                )
            )
    return violin_panels(panels, ncols=2, jitter_seed=0, height=3.4)


def _short(name: str) -> str:
    return name if len(name) <= 32 else name[:31] + "…"


def reapply(
    ctx: UnitContext, fitted: Harmonization, path: Path, features: pd.DataFrame
) -> pd.DataFrame:
    """``features`` of a new cohort harmonised by the saved ComBat model at ``path`` (verified by
    the engine: see :meth:`remarkit.Fitted.file`)."""
    try:
        model = ComBatModel.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"not a ComBat model ({type(exc).__name__})", file=str(path)) from exc
    data = ctx.cohort.data
    needed = [model.batch_column, *[c.column for c in model.covariates]]
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise InputError(
            "the new cohort lacks this column, which the frozen ComBat harmonisation needs",
            column=absent[0],
        )
    rows = [str(p) for p in features.index]
    out = features.copy()
    out[model.features] = apply_combat(
        model,
        features,
        data.loc[rows, model.batch_column].rename(model.batch_column),
        data.loc[rows, [c.column for c in model.covariates]] if model.covariates else None,
    )
    return out
