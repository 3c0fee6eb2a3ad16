"""Nomogram of a Cox model with survival-probability axes, as ``rms::nomogram`` of a ``cph`` fit.

Points scales are those of :func:`remarkit.stats.nomogram` (rms' rules; a numeric predictor with
at most 10 distinct values gets one tick per value, as datadist's ``n.unique``) with rms' centring of a
``cph`` fit: the nomogram's linear predictor is ``X beta - center`` with ``center`` the mean of
``X beta`` over the fitting data (rms' ``Intercept`` is ``-center``). For each horizon ``h`` the
axis shows ``S(h | lp)`` (the model's baseline survival, as survfit.coxph, raised to the relative
risk), with ticks ``pretty(S(h, range(lp.at)), 10)`` placed by linear interpolation of the inverse
on a 1000-point grid of ``lp.at``'s range (R's ``approx(..., ties = mean)``), as rms does.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._cox_newdata import baseline_at, new_design
from remarkit.stats._surv_input import FloatArray, as_vector, check_columns
from remarkit.stats.cox import CoxResult
from remarkit.stats.nomogram import N_INTERVALS, NomogramPredictor, NomogramResult, nomogram
from remarkit.stats.pretty import pretty

__all__ = ["CoxNomogramResult", "cox_nomogram"]

DISCRETE_MAX = 10  # rms::datadist's n.unique: numeric predictors with at most this many values


class CoxNomogramResult(StatResult):
    """Points scales of a Cox nomogram and its survival-probability axes."""

    kind: Literal["cox_nomogram"] = Field("cox_nomogram", description="Result type tag.")
    nomogram: NomogramResult = Field(
        description="Predictor points, scale, intercept (-center + the predictors' lowest "
        "contributions, rms' Intercept) and total-points axis; its 'probability' table is the "
        "logistic axis and does not apply to a Cox model."
    )
    center: float = Field(description="rms' cph center: mean of X beta over the fitting data.")
    survival: pd.DataFrame = Field(
        description="Survival axes: horizon, survival (tick value), points (total points at "
        "which the predicted survival at that horizon equals the tick)."
    )


def _approx(x: FloatArray, y: FloatArray, at: FloatArray) -> FloatArray:
    """R's ``approx(x, y, at, ties = mean)$y``: NaN outside the range of ``x``."""
    ux, inverse = np.unique(x, return_inverse=True)
    uy = np.bincount(inverse, weights=y) / np.bincount(inverse)
    out = np.interp(at, ux, uy)
    return np.where((at < ux[0]) | (at > ux[-1]), np.nan, out)


def _predictors(model: CoxResult, data: pd.DataFrame) -> list[NomogramPredictor]:
    out: list[NomogramPredictor] = []
    for var in model.predictors:
        terms = model.table[model.table.variable == var]
        if terms["level"].isna().all():
            values = data[var].to_numpy(dtype=np.float64)
            coef = float(terms["coef"].iloc[0])
            distinct = np.unique(values)
            if distinct.size <= DISCRETE_MAX:  # datadist keeps few-valued numerics' values
                ticks = {format(float(v), ".15g"): coef * float(v) for v in distinct}
                out.append(NomogramPredictor(name=var, kind="categorical", levels=ticks))
                continue
            out.append(
                NomogramPredictor(
                    name=var,
                    kind="continuous",
                    coefficient=float(terms["coef"].iloc[0]),
                    minimum=float(values.min()),
                    maximum=float(values.max()),
                )
            )
        else:
            levels = {str(terms["reference"].iloc[0]): 0.0}
            levels.update(
                {str(lv): float(c) for lv, c in zip(terms.level, terms.coef, strict=True)}
            )
            out.append(NomogramPredictor(name=var, kind="categorical", levels=levels))
    return out


def cox_nomogram(model: CoxResult, data: pd.DataFrame, horizons: Any) -> CoxNomogramResult:
    """``rms::nomogram(cph(...), fun = list(function(lp) Survival(fit)(h, lp), ...))``.

    ``data`` is the data the model was fitted on (it sets the axes' ranges and rms' center);
    ``horizons`` the times of the survival axes. Stratified models are not supported.
    """
    if model.strata:
        raise StatisticsError("a nomogram of a stratified Cox model is not supported")
    check_columns(data, list(model.predictors))
    if data.shape[0] != model.n:
        raise StatisticsError(
            f"data has {data.shape[0]} rows but the model was fitted on {model.n}: pass the "
            "fitting data"
        )
    hz = as_vector(np.atleast_1d(horizons), "horizons")
    if not np.isfinite(hz).all() or (hz <= 0).any():
        raise StatisticsError("horizons must be finite and > 0")
    beta = model.table["coef"].to_numpy(dtype=np.float64)
    xbeta = new_design(model, data) @ beta
    center = float(xbeta.mean())
    fitted = xbeta - center
    nom = nomogram(_predictors(model, data), -center, fitted)
    # S(h | lp) with lp on rms' scale: relative to the model's centring means
    offset = center - float(model.table["mean"].to_numpy(dtype=np.float64) @ beta)
    cumhaz = baseline_at(model, np.zeros(1, dtype=np.int64), hz)[0]
    lp_at = pretty(fitted, N_INTERVALS)
    grid = np.linspace(lp_at.min(), lp_at.max(), 1000)
    rows: list[tuple[float, float, float]] = []
    for h, h0 in zip(hz, cumhaz, strict=True):

        def surv(lp: FloatArray, h0: float = float(h0)) -> FloatArray:
            return np.asarray(np.exp(-h0 * np.exp(lp + offset)), dtype=np.float64)

        ticks = pretty(surv(np.array([lp_at.min(), lp_at.max()])), N_INTERVALS)
        where = _approx(surv(grid), grid, ticks)
        keep = ~np.isnan(where)
        pts = (where[keep] - nom.intercept) * nom.scale
        rows.extend((float(h), float(s), float(p)) for s, p in zip(ticks[keep], pts, strict=True))
    return CoxNomogramResult(
        nomogram=nom,
        center=center,
        survival=pd.DataFrame(rows, columns=["horizon", "survival", "points"]),
    )
