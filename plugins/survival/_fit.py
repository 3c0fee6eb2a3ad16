"""The Cox units' fitting: population, endpoint, complete cases, scales, remarkit.stats fit.

Every number comes from :func:`remarkit.stats.cox_regression` (Efron ties, Wald CIs, the three
whole-model tests of summary(coxph)); this module chooses the patients (the training set or the
whole cohort, with a time, an event and every model variable), applies the reference levels
and the continuous scales (fitted on the population, then frozen), and turns the fit into rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from remarkit import Endpoint, InputError, StatisticsError, UnitContext
from remarkit.cells import cell_float
from remarkit.modeling.columns import (
    collect_warnings,
    column_label,
    is_categorical,
    with_references,
)
from remarkit.modeling.scaling import ScaleFit, fit_scale
from remarkit.modeling.score_scales import default_scale
from remarkit.plugins.survival._rows import (
    CoxFitRows,
    CoxParams,
    CoxTerm,
    CoxVariable,
    ModelTests,
)

if TYPE_CHECKING:
    from remarkit.stats import CoxResult

TIME = "__time__"
EVENT = "__event__"


def population_mask(ctx: UnitContext, params: CoxParams) -> pd.Series:
    """The patients the unit fits on: the training set, or everyone for population 'all'."""
    cohort = ctx.cohort
    if params.population == "all":
        return pd.Series(True, index=cohort.data.index)
    if not cohort.has_training_set:
        raise InputError(
            "population 'train' has no patients (an external validation cohort); use 'all'",
            field="population",
        )
    return cohort.train


def population_name(params: CoxParams) -> str:
    """'training set' or 'whole cohort'."""
    return "training set" if params.population == "train" else "whole cohort"


def scales(
    ctx: UnitContext, params: CoxParams, variables: Sequence[str], mask: pd.Series
) -> dict[str, ScaleFit]:
    """The frozen scale of every continuous variable, from the population's observed values
    (a score derived by an upstream unit per SD unless ``scale`` says otherwise)."""
    out: dict[str, ScaleFit] = {}
    for column in variables:
        series = ctx.cohort.data[column]
        if is_categorical(series):
            if column in params.scale:
                raise InputError(
                    f"scale given for '{column}', which is categorical", field=f"scale.{column}"
                )
            continue
        out[column] = fit_scale(
            series[mask],
            default_scale(ctx, column, params.scale),
            variable=column,
            field=f"scale.{column}",
        )
    return out


@dataclass(frozen=True)
class SurvFrame:
    """Population patients with a time, an event and every variable; scaled, references first."""

    data: pd.DataFrame
    excluded_variables: int
    excluded_endpoint: int


def surv_frame(
    ctx: UnitContext,
    params: CoxParams,
    endpoint: Endpoint,
    variables: Sequence[str],
    scaled: dict[str, ScaleFit],
    mask: pd.Series,
) -> SurvFrame:
    """Complete cases of ``variables`` and the endpoint among the population."""
    refs = {c: params.reference[c] for c in variables if c in params.reference}
    data = with_references(ctx.cohort.data[list(variables)], refs)[mask]
    has_endpoint = endpoint.complete[mask]
    data = data[has_endpoint]
    complete = data.notna().all(axis=1)
    out = data[complete].copy()
    for column in variables:
        if is_categorical(out[column]):
            out[column] = out[column].cat.remove_unused_categories()
        elif column in scaled:
            out[column] = scaled[column].transform(out[column])
    out[TIME] = endpoint.time[out.index].astype(float)
    out[EVENT] = endpoint.event[out.index].astype(float)
    return SurvFrame(
        data=out,
        excluded_variables=int((~complete).sum()),
        excluded_endpoint=int((~has_endpoint).sum()),
    )


def fit_problem(ctx: UnitContext, frame: SurvFrame, column: str, reference: str | None) -> str:
    """Why ``column`` cannot enter a model on ``frame`` ('' when it can)."""
    x = frame.data[column]
    n = len(x)
    if not is_categorical(x):
        return "" if x.nunique() > 1 else f"no variation among the {n} patients with data"
    levels = [str(c) for c in x.cat.categories]
    if len(levels) < 2:
        shown = f"'{levels[0]}'" if levels else "none"
        return f"a single level ({shown}) among the {n} patients with data"
    if reference is not None and reference not in levels:
        return f"its reference level '{reference}' has no patients; choose another reference"
    return ""


def reference_level(ctx: UnitContext, params: CoxParams, column: str) -> str | None:
    """The reference level of a categorical column: the params', else the spec's first level."""
    series = ctx.cohort.data[column]
    if not is_categorical(series):
        return None
    if column in params.reference:
        return params.reference[column]
    return str(series.cat.categories[0]) if len(series.cat.categories) else None


def fit(
    frame: SurvFrame,
    variables: Sequence[str],
    params: CoxParams,
    notes: list[str],
    what: str,
    strata: Sequence[str] = (),
) -> CoxResult | None:
    """``cox_regression`` on the frame; a failure is a named note and None."""
    from remarkit.stats import cox_regression

    if int(frame.data[EVENT].sum()) == 0:
        notes.append(f"{what}: not fitted, no events among the {len(frame.data)} patients")
        return None
    try:
        with collect_warnings(notes, prefix=f"{what}: "):
            return cox_regression(
                frame.data,
                TIME,
                EVENT,
                list(variables),
                level=params.level,
                ties=params.ties,
                strata=list(strata) or None,
            )
    except StatisticsError as exc:
        notes.append(f"{what}: not fitted, {exc}")
        return None


def tests_of(res: CoxResult) -> ModelTests:
    """The whole-model tests of a fit."""
    return ModelTests(
        df=res.df,
        lr_chisq=res.lr_chisq,
        lr_p_value=res.lr_p_value,
        wald_chisq=res.wald_chisq,
        wald_p_value=res.wald_p_value,
        score_chisq=res.score_chisq,
        score_p_value=res.score_p_value,
        loglik=res.loglik,
        concordance=res.concordance,
    )


def variable_rows(
    ctx: UnitContext,
    params: CoxParams,
    frame: SurvFrame,
    res: CoxResult | None,
    variables: Sequence[str],
    scaled: dict[str, ScaleFit],
    notes: Sequence[str] = (),
) -> list[CoxVariable]:
    """One :class:`CoxVariable` per column with its terms from ``res`` (none when not fitted)."""
    rows: list[CoxVariable] = []
    event = frame.data[EVENT]
    table = None if res is None else res.table
    for column in variables:
        label, unit = column_label(ctx, column, params.labels)
        x = frame.data[column]
        categorical = is_categorical(x)
        reference = reference_level(ctx, params, column)
        at_ref = event[x.astype(object) == reference] if categorical else None
        terms: list[CoxTerm] = []
        if table is not None:
            for row in table[table["variable"] == column].itertuples(index=False):
                mask = x.astype(object) == row.level if row.level is not None else x.notna()
                terms.append(
                    CoxTerm(
                        term=str(row.term),
                        variable=column,
                        level=None if row.level is None else str(row.level),
                        reference=None if row.reference is None else str(row.reference),
                        coef=cell_float(row.coef),
                        se=cell_float(row.se),
                        hazard_ratio=cell_float(row.hr),
                        lower=cell_float(row.lower),
                        upper=cell_float(row.upper),
                        z=cell_float(row.z),
                        p_value=cell_float(row.p_value),
                        n=int(mask.sum()),
                        events=int(event[mask].sum()),
                    )
                )
        rows.append(
            CoxVariable(
                variable=column,
                label=label,
                unit=unit,
                type="categorical" if categorical else "continuous",
                reference=reference,
                reference_n=None if at_ref is None else int(at_ref.size),
                reference_events=None if at_ref is None else int(at_ref.sum()),
                scale=scaled.get(column),
                terms=terms,
                note="" if terms else (notes[0] if notes else "not fitted"),
            )
        )
    return rows


def fit_rows(
    ctx: UnitContext,
    params: CoxParams,
    frame: SurvFrame,
    variables: Sequence[str],
    scaled: dict[str, ScaleFit],
    notes: list[str],
    what: str,
    strata: Sequence[str] = (),
) -> tuple[CoxFitRows, CoxResult | None]:
    """Check, fit and tabulate one model of ``variables`` (within ``strata``) on ``frame``."""
    problems = [
        p if len(variables) == 1 else f"{column_label(ctx, c, params.labels)[0]}: {p}"
        for c in variables
        if (p := fit_problem(ctx, frame, c, reference_level(ctx, params, c)))
    ]
    res = None
    if problems:
        notes.extend(f"{what}: not fitted, {p}" for p in problems)
    else:
        res = fit(frame, variables, params, notes, what, strata)
    own = [n.split("not fitted, ", 1)[1] for n in notes if n.startswith(f"{what}: not fitted")]
    rows = CoxFitRows(
        n=len(frame.data),
        events=int(frame.data[EVENT].sum()),
        excluded_variables=frame.excluded_variables,
        excluded_endpoint=frame.excluded_endpoint,
        variables=variable_rows(ctx, params, frame, res, variables, scaled, own),
        tests=None if res is None else tests_of(res),
    )
    return rows, res
