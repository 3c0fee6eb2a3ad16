"""Nomogram points as ``rms::nomogram`` computes them for a logistic model.

Each predictor's axis spans round values (R's ``pretty(c(min, max), 10)`` of the fitting data for
a continuous predictor; every level for a categorical one). Its contribution to the linear
predictor at those values is shifted to start at 0 and scaled so that the predictor with the
widest range of contributions spans 0-100 points. The total-points and probability axes follow
rms: total points ``pretty(c(0, max(100, sc * max(lp.at - Intercept))), 10)`` with
``lp.at = pretty(range(fitted lp), 10)``; probability ticks ``pretty(plogis(range(lp.at)), 10)``
placed by rms' linear interpolation of the inverse on a 1000-point grid (as rms does; the exact
inverse differs from it in about the fourth decimal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.special import expit

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats.pretty import pretty

MAX_POINTS = 100.0
N_INTERVALS = 10


class NomogramPredictor(StatResult):
    """A predictor as the nomogram needs it: its coefficients and (continuous) data range."""

    name: str = Field(description="Predictor name")
    kind: Literal["continuous", "categorical"] = Field(description="Predictor type")
    coefficient: float = Field(default=0.0, description="Coefficient (continuous predictors)")
    minimum: float = Field(default=0.0, description="Smallest value in the fitting data")
    maximum: float = Field(default=0.0, description="Largest value in the fitting data")
    levels: dict[str, float] = Field(
        default_factory=dict, description="Level -> coefficient (reference level 0)"
    )


class NomogramResult(StatResult):
    """Axis values with their points for every predictor, plus the total and probability axes."""

    points: pd.DataFrame = Field(description="variable, value, xbeta, points per axis tick")
    scale: float = Field(description="Points per unit of linear predictor (rms 'sc')")
    intercept: float = Field(description="Linear predictor at 0 total points (rms 'Intercept')")
    total_points: list[float] = Field(description="Total-points axis ticks")
    probability: pd.DataFrame = Field(description="probability ticks and their total points")

    def predict_points(self, values: Mapping[str, float | str]) -> float:
        """Total points of one patient (values at axis ticks or, for continuous, any value)."""
        total = 0.0
        for name, group in self.points.groupby("variable", sort=False):
            value = values[str(name)]
            if isinstance(value, str):
                total += float(group.loc[group["value"] == value, "points"].iloc[0])
            else:
                xs = group["value"].astype(float).to_numpy()
                if not xs[0] <= float(value) <= xs[-1]:
                    raise StatisticsError(f"{name} = {value} lies outside the nomogram's axis")
                total += float(np.interp(float(value), xs, group["points"].to_numpy()))
        return total


def nomogram(
    predictors: Sequence[NomogramPredictor], intercept: float, fitted_lp: Sequence[float]
) -> NomogramResult:
    """Points scales of a logistic model's nomogram, as ``rms::nomogram(fit, fun=plogis)``."""
    if not predictors:
        raise StatisticsError("a nomogram needs at least one predictor")
    rows: list[tuple[str, str, float]] = []
    lows: dict[str, float] = {}
    spans: list[float] = []
    for p in predictors:
        if p.kind == "continuous":
            if not np.isfinite([p.minimum, p.maximum]).all() or p.minimum > p.maximum:
                raise StatisticsError(f"predictor '{p.name}' has no finite range")
            ticks = pretty([p.minimum, p.maximum], N_INTERVALS)
            entries = [(_tick_label(t), float(p.coefficient * t)) for t in ticks]
        else:
            if len(p.levels) < 2:
                raise StatisticsError(f"categorical predictor '{p.name}' needs two or more levels")
            entries = [(level, float(beta)) for level, beta in p.levels.items()]
        xbetas = [x for _, x in entries]
        lows[p.name] = min(xbetas)
        spans.append(max(xbetas) - min(xbetas))
        rows.extend((p.name, value, x) for value, x in entries)
    widest = max(spans)
    if widest <= 0:
        raise StatisticsError("every predictor has a zero effect: no points scale can be drawn")
    scale = MAX_POINTS / widest
    frame = pd.DataFrame(rows, columns=["variable", "value", "xbeta"])
    frame["points"] = (frame["xbeta"] - frame["variable"].map(lows)) * scale
    nom_intercept = float(intercept + sum(lows.values()))
    lp_at = pretty(np.asarray(fitted_lp, dtype=float), N_INTERVALS)
    sum_max = max(MAX_POINTS, scale * float(np.max(lp_at - nom_intercept)))
    total = pretty([0.0, sum_max], N_INTERVALS)
    return NomogramResult(
        points=frame,
        scale=scale,
        intercept=nom_intercept,
        total_points=[float(t) for t in total],
        probability=_probability_axis(lp_at, nom_intercept, scale),
    )


def _probability_axis(lp_at: np.ndarray, intercept: float, scale: float) -> pd.DataFrame:
    ticks = pretty(expit(np.array([lp_at.min(), lp_at.max()])), N_INTERVALS)
    grid = np.linspace(lp_at.min(), lp_at.max(), 1000)
    fu = expit(grid)
    inside = (ticks >= fu[0]) & (ticks <= fu[-1])
    lp = np.interp(ticks[inside], fu, grid)
    return pd.DataFrame({"probability": ticks[inside], "points": (lp - intercept) * scale})


def _tick_label(value: float) -> str:
    return format(float(value), ".15g")
