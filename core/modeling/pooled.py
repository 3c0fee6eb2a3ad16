"""Logistic fits under multiple imputation: impute the training set, fit each copy, pool.

The imputation model (:func:`remarkit.modeling.imputation.impute_chained`) is fitted on the
training patients only, with every candidate variable and the outcome; test and external
patients are never imputed (these units report training-set estimates, and an imputation model
that uses the outcome cannot be applied to patients whose outcome is being predicted). Each of
the ``m`` completed training sets is fitted by :func:`remarkit.stats.logistic_regression`, and
the coefficients are pooled by :func:`remarkit.stats.pool_rubin` with ``df_complete = n - p``
(``df.residual`` of the glm, as ``mice::pool``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from remarkit import InputError, StatisticsError, UnitContext
from remarkit.cells import cell_float
from remarkit.modeling import training as _fit
from remarkit.modeling.columns import (
    collect_warnings,
    column_label,
    is_categorical,
    with_references,
)
from remarkit.modeling.imputation import impute_chained
from remarkit.modeling.missing import ImputableLogisticParams, ImputedVariable, MissingData
from remarkit.modeling.rows import TermRow

if TYPE_CHECKING:
    from remarkit.stats.logistic import LogisticResult


@dataclass(frozen=True)
class ImputedTraining:
    """The ``m`` completed training frames, the training data before imputation, the summary."""

    frames: list[_fit.TrainFrame]
    observed: pd.DataFrame
    missing: MissingData


def _frame(data: pd.DataFrame, variables: Sequence[str]) -> _fit.TrainFrame:
    """A completed data set as a training frame (as :func:`training.train_frame` builds)."""
    out = data.copy()
    chosen: dict[str, str] = {}
    for column in variables:
        if is_categorical(out[column]):
            if len(out[column].cat.categories):
                chosen[column] = str(out[column].cat.categories[0])
            out[column] = out[column].cat.remove_unused_categories()
    return _fit.TrainFrame(out, [], chosen)


def impute_training(
    ctx: UnitContext,
    variables: Sequence[str],
    params: ImputableLogisticParams,
    references: Mapping[str, str],
) -> ImputedTraining:
    """Impute ``variables`` of the training patients ``params.imputations`` times (ctx.rng).

    Training patients whose outcome is missing are left out (the analyses of the outcome
    exclude them); the outcome of the others enters the imputation model.
    """
    cohort = ctx.cohort
    known = cohort.train & cohort.outcome_known
    data = with_references(cohort.data[list(variables)], references)[known].copy()
    data[_fit.OUTCOME] = cohort.outcome[data.index].astype(float)
    try:
        imp = impute_chained(data, m=params.imputations, iterations=params.iterations, rng=ctx.rng)
    except StatisticsError as exc:
        raise InputError(f"multiple imputation: {exc}", field="variables") from exc
    imputed = [
        ImputedVariable(
            variable=c,
            label=column_label(ctx, c, params.labels)[0],
            method=imp.methods[c],
            n_missing=imp.n_missing[c],
        )
        for c in variables
        if c in imp.methods
    ]
    summary = MissingData(
        method="multiple_imputation",
        m=imp.m,
        iterations=imp.iterations,
        n=len(data),
        imputed=imputed,
    )
    frames = [_frame(d, variables) for d in imp.datasets]
    return ImputedTraining(frames=frames, observed=data, missing=summary)


def separated_any(imputed: ImputedTraining, column: str) -> dict[str, str]:
    """Levels of ``column`` with no events or no non-events in any completed data set."""
    found: dict[str, str] = {}
    for frame in imputed.frames:
        for term, message in _fit.separated_levels(frame, column).items():
            found.setdefault(term, message + " (in an imputed data set)")
    return found


def _fit_one(frame: _fit.TrainFrame, predictors: Sequence[str], notes: list[str]) -> LogisticResult:
    from remarkit.stats.logistic import logistic_regression

    with collect_warnings(notes):
        return logistic_regression(frame.data, _fit.OUTCOME, list(predictors))


def pooled_logistic(
    imputed: ImputedTraining,
    predictors: Sequence[str],
    *,
    level: float,
    separated: Collection[str] = (),
) -> _fit.Fit:
    """Fit ``OUTCOME ~ predictors`` on every completed set and pool by Rubin's rules.

    Odds ratios and CIs are exp of the pooled log odds and its t interval; a term is flagged
    not estimable when it is in ``separated`` or when any fit reports a separation no level
    explains. Counts per level (``n``, ``events``) are of observed, not imputed, values.
    """
    from remarkit.stats.logistic import INTERCEPT
    from remarkit.stats.pooling import pool_rubin

    notes: list[str] = []
    fits = [_fit_one(frame, predictors, notes) for frame in imputed.frames]
    first = fits[0].table
    terms = [str(t) for t in first["term"]]
    flagged = set(separated)
    if not flagged and any(f.separation != "none" for f in fits):
        flagged = {t for t in terms if t != INTERCEPT}
    coefs = pd.DataFrame([f.table["coef"].to_numpy() for f in fits], columns=terms)
    variances = pd.DataFrame([f.table["se"].to_numpy() ** 2 for f in fits], columns=terms)
    pooled = pool_rubin(
        coefs, variances, df_complete=fits[0].n - len(terms), level=level
    ).table.set_index("term")
    y = imputed.observed[_fit.OUTCOME]
    rows: list[TermRow] = []
    for meta in first.itertuples(index=False):
        term = str(meta.term)
        if term == INTERCEPT:
            continue
        p = pooled.loc[term]
        x = imputed.observed[meta.variable]
        mask = x.astype(object) == meta.level if meta.level is not None else x.notna()
        with np.errstate(over="ignore"):  # a diverging (flagged) estimate gives Inf
            ratio, lower, upper = np.exp(p[["estimate", "lower", "upper"]].to_numpy(dtype=float))
        rows.append(
            TermRow(
                term=term,
                variable=str(meta.variable),
                level=None if meta.level is None else str(meta.level),
                reference=None if meta.reference is None else str(meta.reference),
                coef=cell_float(p["estimate"]),
                se=cell_float(p["se"]),
                odds_ratio=float(ratio),
                lower=float(lower),
                upper=float(upper),
                p_value=cell_float(p["p_value"]),
                n=int(mask.sum()),
                events=int(y[mask].sum()),
                estimable=term not in flagged,
                fmi=cell_float(p["fmi"]),
                df=cell_float(p["df"]),
            )
        )
    return _fit.Fit(
        n=fits[0].n,
        events=fits[0].events,
        intercept=cell_float(pooled.loc[INTERCEPT, "estimate"]),
        epv=fits[0].events_per_variable,
        terms=rows,
        warnings=notes,
    )
