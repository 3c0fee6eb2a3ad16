"""Test of proportional hazards, as survival (>= 3.0) ``cox.zph`` (score test, terms = TRUE)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2, rankdata

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._cox_fit import Ties, fit_cox
from remarkit.stats._cox_inputs import cox_inputs
from remarkit.stats._surv_input import FloatArray, IntArray
from remarkit.stats._zph_score import ZphScore, zph_score

__all__ = ["CoxZphResult", "cox_zph"]

Transform = Literal["km", "identity", "rank", "log"]
TRANSFORMS: tuple[Transform, ...] = ("km", "identity", "rank", "log")


class CoxZphResult(StatResult):
    """Per-term and global tests of proportional hazards, with scaled Schoenfeld residuals."""

    kind: Literal["cox_zph"] = Field("cox_zph", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per model term (a categorical variable is one term with df = "
        "levels - 1) and a last row 'GLOBAL': term, chisq, df, p_value (cox.zph's table)."
    )
    residuals: pd.DataFrame = Field(
        description="One row per event in cox.zph's order (stratum, time): time, x (the "
        "transformed time, cox.zph's $x), stratum, then one column per term with the scaled "
        "Schoenfeld residual ($y; beta(t) estimate for plotting, NaN where a term is constant "
        "within the stratum)."
    )
    var: pd.DataFrame = Field(
        description="cox.zph's $var (terms x terms): the inverse of the average information per "
        "event, scaled as the residuals; plot.cox.zph's bands are 2 sqrt(var[i, i] x v) with v "
        "the spline's design variance."
    )
    transform: Transform = Field(description="Time transform: 'km', 'identity', 'rank', 'log'.")
    ties: Ties = Field(description="Tie handling of the Cox fit tested.")
    n: int = Field(description="Number of subjects.")
    events: int = Field(description="Number of events.")


def _km_left(time: FloatArray, event: IntArray) -> FloatArray:
    """Kaplan-Meier of all subjects (strata ignored) just before each subject's time."""
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=event, minlength=times.size)
    at_risk = time.size - np.concatenate(([0], np.cumsum(np.bincount(inverse))[:-1]))
    surv = np.cumprod(1.0 - deaths / at_risk)
    before = np.concatenate(([1.0], surv[:-1]))
    return np.asarray(before[inverse], dtype=np.float64)


def _transform(time: FloatArray, event: IntArray, how: Transform) -> FloatArray:
    if how == "km":
        return 1.0 - _km_left(time, event)
    if how == "rank":
        return np.asarray(rankdata(time), dtype=np.float64)
    if how == "log":
        return np.log(time)
    return time


def _scaled(
    sc: ZphScore, groups: list[list[int]], coef: FloatArray, codes: IntArray, imat11: FloatArray
) -> tuple[np.ndarray, np.ndarray]:
    """cox.zph's $y (Schoenfeld residuals scaled by the per-stratum average information) and
    its $var (the inverse of that average information, per term)."""
    used = sc.used.copy()
    for cols in groups:
        if len(cols) > 1 and np.any(used[:, cols] == 0):
            used[:, cols] = used[:, cols].max(axis=1, keepdims=True)
    wtmat = np.zeros((coef.size, coef.size))
    for row in used:
        wtmat += np.minimum.outer(row, row)
    vmean = imat11 / np.where(wtmat == 0, 1.0, wtmat)
    sresid = sc.schoen
    if any(len(cols) > 1 for cols in groups):
        temp = np.zeros((coef.size, len(groups)))
        for i, cols in enumerate(groups):
            temp[cols, i] = 1.0 if len(cols) == 1 else coef[cols]
        sresid = sresid @ temp
        vmean = temp.T @ vmean @ temp
        used = used[:, [cols[0] for cols in groups]]
    out = np.full(sresid.shape, np.nan)
    strata_of_death = codes[sc.death_rows]
    for i, s in enumerate(np.unique(codes)):
        k = np.flatnonzero(used[i] > 0)
        rows = strata_of_death == s
        if k.size:
            block = np.linalg.solve(vmean[np.ix_(k, k)], sresid[np.ix_(rows, k)].T).T
            out[np.ix_(rows, k)] = block
    shift = np.array([coef[cols[0]] if len(cols) == 1 else 1.0 for cols in groups])
    return np.asarray(out + shift), np.asarray(np.linalg.inv(vmean))


def cox_zph(
    data: pd.DataFrame,
    time: str,
    event: str,
    predictors: Any,
    *,
    transform: str = "km",
    ties: str = "efron",
    strata: Any = None,
    reference: Mapping[str, Any] | None = None,
) -> CoxZphResult:
    """Proportional-hazards test of ``coxph(Surv(time, event) ~ predictors)``, as ``cox.zph``.

    The Cox model (same options as :func:`cox_regression`) is fitted, then for every term the
    score test of adding ``term x g(t)`` (``g`` = the transformed time, centred on its mean over
    the events) is computed at the fitted coefficients, and jointly for all terms (GLOBAL).
    """
    if transform not in TRANSFORMS:
        raise StatisticsError(
            f"transform must be one of {', '.join(TRANSFORMS)}; got {transform!r}"
        )
    how: Transform = TRANSFORMS[TRANSFORMS.index(transform)]
    inp = cox_inputs(data, time, event, predictors, reference=reference, ties=ties, strata=strata)
    fit = fit_cox(inp.time, inp.event, inp.design.x, ties=inp.ties, strata=inp.codes)
    ttimes = _transform(inp.time, inp.event, how)
    gtime = ttimes - ttimes[inp.event == 1].mean()
    x = inp.design.x - fit.means
    sc = zph_score(x, inp.event, inp.time, inp.codes, fit.risk_sets, fit.coef, gtime)
    p = fit.coef.size
    variables = list(dict.fromkeys(tm.variable for tm in inp.design.terms))
    groups = [[j for j, tm in enumerate(inp.design.terms) if tm.variable == v] for v in variables]
    rows: list[tuple[str, float, int]] = []
    for name, cols in [*zip(variables, groups, strict=True), ("GLOBAL", list(range(p)))]:
        kk = [*range(p), *(c + p for c in cols)]
        u = np.concatenate((np.zeros(p), sc.u[[c + p for c in cols]]))
        test = float(u @ np.linalg.solve(sc.imat[np.ix_(kk, kk)], u))
        rows.append((name, test, len(cols)))
    table = pd.DataFrame(rows, columns=["term", "chisq", "df"])
    table["p_value"] = chi2.sf(table["chisq"], table["df"])
    y, var = _scaled(sc, groups, fit.coef, inp.codes, sc.imat[:p, :p])
    resid = pd.DataFrame(
        {
            "time": inp.time[sc.death_rows],
            "x": ttimes[sc.death_rows],
            "stratum": [inp.labels[c] for c in inp.codes[sc.death_rows]],
        }
    )
    for i, name in enumerate(variables):
        resid[name] = y[:, i]
    return CoxZphResult(
        table=table,
        residuals=resid,
        var=pd.DataFrame(var, index=variables, columns=variables),
        transform=how,
        ties=inp.ties,
        n=int(inp.time.size),
        events=int(inp.event.sum()),
    )
