"""Fitting on the training set: complete cases, level checks, logistic fit via remarkit.stats.

Everything the logistic units report comes from :func:`remarkit.stats.logistic_regression` and
:func:`remarkit.stats.vif`; this module prepares their input (the training patients with every
predictor present, categorical columns with the reference level first), checks the levels the
fit cannot estimate, and turns the stats results into the units' typed rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from remarkit import Exclusion, InputError, UnitContext
from remarkit.cells import cell_float, cell_int
from remarkit.engine.missing import MISSING_OUTCOME, MISSING_PREDICTOR, exclusion, unknown_outcome
from remarkit.modeling.columns import collect_warnings, is_categorical, with_references
from remarkit.modeling.rows import CiMethod, TermRow

OUTCOME = "__outcome__"


@dataclass(frozen=True)
class TrainFrame:
    """Training patients with a known outcome and every predictor present, plus ``OUTCOME``.

    ``unknown_outcome``: training patients left out for a missing outcome; ``dropped``: those
    (with a known outcome) left out for a missing predictor.
    """

    data: pd.DataFrame
    dropped: list[str]
    references: dict[str, str]
    unknown_outcome: list[str] = field(default_factory=list)

    def exclusions(self, scope: str = "") -> list[Exclusion]:
        """Who the fit left out, by reason ('missing outcome', then 'missing predictor')."""
        return exclusion(MISSING_OUTCOME, self.unknown_outcome, scope) + exclusion(
            MISSING_PREDICTOR, self.dropped, scope
        )

    @property
    def events(self) -> int:
        """Patients with the positive outcome."""
        return int(self.data[OUTCOME].sum())


def train_frame(
    ctx: UnitContext, variables: Sequence[str], references: Mapping[str, str]
) -> TrainFrame:
    """Complete cases of ``variables`` among training patients, references applied.

    Training patients whose outcome is missing are left out first (``unknown_outcome``).
    """
    cohort = ctx.cohort
    data = with_references(cohort.data[list(variables)], references)
    unknown = unknown_outcome(cohort.outcome, cohort.train)
    data = data[cohort.train & cohort.outcome_known]
    complete = data.notna().all(axis=1)
    out = data[complete].copy()
    chosen: dict[str, str] = {}
    for column in variables:
        if is_categorical(out[column]):
            if len(out[column].cat.categories):
                chosen[column] = str(out[column].cat.categories[0])
            out[column] = out[column].cat.remove_unused_categories()
    out[OUTCOME] = cohort.outcome[out.index].astype(float)
    return TrainFrame(out, [str(i) for i in data.index[~complete]], chosen, unknown)


def absent_reference(frame: TrainFrame, column: str) -> str | None:
    """The message when ``column``'s reference level has no training patients in ``frame``.

    Without this check the design would silently take the next level as the reference.
    """
    level = frame.references.get(column)
    if level is None or level in {str(c) for c in frame.data[column].cat.categories}:
        return None
    return f"its reference level '{level}' has no training patients; choose another reference"


def single_level(frame: TrainFrame, column: str) -> str | None:
    """Why ``column`` cannot be a predictor (one level, or no variation), or None."""
    x = frame.data[column]
    if not is_categorical(x):
        return None if x.nunique() > 1 else f"no variation among the {len(x)} training patients"
    levels = [str(c) for c in x.cat.categories]
    if len(levels) > 1:
        return None
    shown = f"'{levels[0]}'" if levels else "none"
    return f"a single level ({shown}) among the {len(x)} training patients"


def separated_levels(frame: TrainFrame, column: str) -> dict[str, str]:
    """Term name -> message, for levels whose odds ratio diverges (quasi-complete separation).

    A level with no events or no non-events cannot be estimated; when the reference level is
    such a level, every contrast against it diverges.
    """
    x = frame.data[column]
    if not is_categorical(x):
        return {}
    y = frame.data[OUTCOME]
    levels = [str(c) for c in x.cat.categories]
    bad: dict[str, str] = {}
    for i, level in enumerate(levels):
        at = y[x.astype(str) == level]
        if 0 < at.sum() < at.size:
            continue
        which = "no events" if at.sum() == 0 else "no non-events"
        message = (
            f"level '{level}' has {which} ({int(at.sum())} of {at.size}) in training: "
            "quasi-complete separation, its odds ratio is not estimable"
        )
        targets = levels[1:] if i == 0 else [level]
        for target in targets:
            bad.setdefault(f"{column}[{target}]", message)
    return bad


def unused_levels(ctx: UnitContext, frame: TrainFrame, column: str) -> list[str]:
    """Non-reference levels of a categorical column that no training patient in ``frame`` has."""
    full = ctx.cohort.data[column]
    if not is_categorical(full):
        return []
    present = {str(c) for c in frame.data[column].cat.categories}
    reference = frame.references.get(column)
    return [str(c) for c in full.cat.categories if str(c) not in present | {reference}]


@dataclass(frozen=True)
class Fit:
    """A fitted logistic model as the units report it."""

    n: int
    events: int
    intercept: float
    epv: float
    terms: list[TermRow]
    warnings: list[str]


def fit_logistic(
    frame: TrainFrame,
    predictors: Sequence[str],
    *,
    ci: CiMethod,
    level: float,
    separated: Sequence[str] = (),
) -> Fit:
    """Fit ``OUTCOME ~ predictors`` on ``frame`` with :func:`remarkit.stats.logistic_regression`.

    Terms named in ``separated`` (levels with no events or no non-events) are flagged not
    estimable. When the fit reports separation that no such level explains (a numeric predictor
    or a combination of predictors separates the outcome), every term is flagged: the
    maximum-likelihood estimates do not exist.
    """
    from remarkit.stats.logistic import INTERCEPT, logistic_regression

    notes: list[str] = []
    with collect_warnings(notes):
        res = logistic_regression(frame.data, OUTCOME, list(predictors), ci=ci, level=level)
    flagged = set(separated)
    if res.separation != "none" and not flagged:
        flagged = {str(t) for t in res.table["term"] if t != INTERCEPT}
    y = frame.data[OUTCOME]
    terms: list[TermRow] = []
    intercept = math.nan
    for row in res.table.itertuples(index=False):
        if row.term == INTERCEPT:
            intercept = cell_float(row.coef)
            continue
        x = frame.data[row.variable]
        mask = x.astype(object) == row.level if row.level is not None else x.notna()
        terms.append(
            TermRow(
                term=str(row.term),
                variable=str(row.variable),
                level=None if row.level is None else str(row.level),
                reference=None if row.reference is None else str(row.reference),
                coef=cell_float(row.coef),
                se=cell_float(row.se),
                odds_ratio=cell_float(row.odds_ratio),
                lower=cell_float(row.lower),
                upper=cell_float(row.upper),
                p_value=cell_float(row.p_value),
                n=int(mask.sum()),
                events=int(y[mask].sum()),
                estimable=str(row.term) not in flagged,
            )
        )
    return Fit(
        n=res.n,
        events=res.events,
        intercept=intercept,
        epv=res.events_per_variable,
        terms=terms,
        warnings=notes,
    )


def fit_vif(frame: TrainFrame, predictors: Sequence[str]) -> list[tuple[str, float, int, float]]:
    """(variable, GVIF, df, GVIF^(1/(2 df))) per predictor, as car::vif.

    The model's own warnings (separation, events per variable) were already recorded by
    :func:`fit_logistic` on the same frame; they are not repeated.
    """
    from remarkit.stats.logistic import vif

    with collect_warnings([]):
        res = vif(frame.data, OUTCOME, list(predictors))
    return [
        (str(r.variable), cell_float(r.gvif), cell_int(r.df), cell_float(r.gvif_adj))
        for r in res.table.itertuples(index=False)
    ]


def require_fittable(frame: TrainFrame, variables: Sequence[str], field: str) -> None:
    """Raise a one-line InputError for a predictor that cannot enter the model as specified.

    That is a single level or no variation, or a reference level without training patients.
    """
    for column in variables:
        problem = single_level(frame, column) or absent_reference(frame, column)
        if problem is not None:
            raise InputError(f"'{column}' cannot enter the model: {problem}", field=field)
