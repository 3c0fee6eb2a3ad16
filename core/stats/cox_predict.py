"""Predicted survival from a frozen Cox fit, and its calibration on a validation cohort."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import norm

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._cox_newdata import baseline_at, linear_predictor, new_strata
from remarkit.stats._quantile_bins import quantile_groups
from remarkit.stats._surv_input import as_time_event, as_vector, check_columns, check_level
from remarkit.stats.cox import CoxResult, cox_regression
from remarkit.stats.survival import kaplan_meier, survival_at

__all__ = [
    "CoxSurvivalPrediction",
    "SurvivalCalibrationResult",
    "cox_predict_survival",
    "survival_calibration",
    "survival_calibration_scores",
]


class CoxSurvivalPrediction(StatResult):
    """Predicted survival S(t | x) of new rows at chosen times."""

    kind: Literal["cox_predict_survival"] = Field(
        "cox_predict_survival", description="Result type tag."
    )
    table: pd.DataFrame = Field(
        description="One row per data row and time (row-major): row (0-based position in data), "
        "stratum, time, lp (linear predictor centred on the overall means, fit$means; R's "
        "predict(type = 'lp') centres a stratified model within strata instead), cumhaz, surv = exp(-cumhaz), as "
        "summary(survfit(fit, newdata), times, extend = TRUE)."
    )


class SurvivalCalibrationResult(StatResult):
    """Predicted vs Kaplan-Meier observed survival at a horizon, and the calibration slope."""

    kind: Literal["survival_calibration"] = Field(
        "survival_calibration", description="Result type tag."
    )
    horizon: float = Field(description="Time at which survival is compared.")
    groups: pd.DataFrame = Field(
        description="One row per risk group (type-7 quantile bins of the predicted survival, "
        "right-closed; group 1 = lowest predicted survival): group, n, events (by the horizon), "
        "predicted (mean predicted survival), observed (Kaplan-Meier at the horizon), "
        "observed_lower, observed_upper (log-scale KM CI)."
    )
    slope: float = Field(
        description="Calibration slope: coefficient of the linear predictor in "
        "coxph(Surv(time, event) ~ lp) on the validation data (1 = ideal)."
    )
    slope_se: float = Field(description="Standard error of the slope.")
    slope_lower: float = Field(description="Lower Wald bound of the slope.")
    slope_upper: float = Field(description="Upper Wald bound of the slope.")
    n: int = Field(description="Number of validation subjects.")
    events: int = Field(description="Number of events among them.")
    level: float = Field(description="Confidence level of the intervals.")


def cox_predict_survival(model: CoxResult, data: pd.DataFrame, times: Any) -> CoxSurvivalPrediction:
    """S(t | x) = exp(-H0(t) exp(lp)) for each row of ``data`` at each of ``times``.

    ``H0`` is the model's baseline cumulative hazard at the centring means (per stratum, as
    survfit.coxph for the fit's tie rule) and ``lp`` the centred linear predictor, so the result
    equals ``survfit(fit, newdata)``. ``data`` needs the predictors (and strata columns) only.
    """
    if not isinstance(data, pd.DataFrame):
        raise StatisticsError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    h = as_vector(np.atleast_1d(times), "times")
    if not np.isfinite(h).all() or (h < 0).any():
        raise StatisticsError("times must be finite and >= 0")
    lp = linear_predictor(model, data)
    stratum = new_strata(model, data)
    cumhaz = baseline_at(model, stratum, h) * np.exp(lp)[:, None]
    rows = np.repeat(np.arange(lp.size), h.size)
    table = pd.DataFrame(
        {
            "row": rows,
            "stratum": [model.stratum_levels[s] for s in stratum[rows]],
            "time": np.tile(h, lp.size),
            "lp": lp[rows],
            "cumhaz": cumhaz.ravel(),
            "surv": np.exp(-cumhaz.ravel()),
        }
    )
    return CoxSurvivalPrediction(table=table)


def survival_calibration(
    model: CoxResult,
    data: pd.DataFrame,
    time: str,
    event: str,
    horizon: float,
    *,
    groups: int = 5,
    level: float = 0.95,
) -> SurvivalCalibrationResult:
    """Calibration of a frozen Cox model on ``data`` (a validation cohort) at ``horizon``.

    Rows are put into ``groups`` quantile groups of predicted survival at the horizon; each
    group's mean prediction is set against its Kaplan-Meier estimate (``summary(survfit,
    times = horizon, extend = TRUE)``). The calibration slope is the coefficient of the
    model's linear predictor refitted as the only covariate (Efron ties, stratified like the
    model).
    """
    check_columns(data, [time, event])
    t, e = as_time_event(data[time].to_numpy(), data[event].to_numpy())
    lev = check_level(level)
    hz = float(horizon)
    if not np.isfinite(hz) or hz <= 0:
        raise StatisticsError(f"horizon must be a positive time, got {horizon!r}")
    pred = cox_predict_survival(model, data, [hz]).table
    surv = pred["surv"].to_numpy(dtype=np.float64)
    rows = _group_rows(t, e, surv, hz, groups, lev)
    frame = pd.DataFrame({"time": t, "event": e, "lp": pred["lp"].to_numpy()})
    for col in model.strata:
        frame[col] = data[col].to_numpy()
    slope_fit = cox_regression(
        frame,
        "time",
        "event",
        ["lp"],
        level=lev,
        concordance_index=False,
        strata=model.strata or None,
    ).table.iloc[0]
    return _result(hz, rows, float(slope_fit["coef"]), float(slope_fit["se"]), t, e, lev)


def survival_calibration_scores(
    time: Any,
    event: Any,
    lp: Any,
    surv: Any,
    horizon: float,
    *,
    groups: int = 5,
    level: float = 0.95,
) -> SurvivalCalibrationResult:
    """Calibration at ``horizon`` from a frozen model's scores instead of the model itself.

    ``lp`` is the model's linear predictor and ``surv`` its predicted survival at the horizon
    for each subject (e.g. the derived columns of an exported Cox model). Groups and slope as
    :func:`survival_calibration` for an unstratified model: KM per quantile group of ``surv``
    (``summary(survfit, times = horizon, extend = TRUE)``) and ``coxph(Surv(time, event) ~ lp)``.
    """
    t, e = as_time_event(time, event)
    x = as_vector(lp, "lp")
    s = as_vector(surv, "surv")
    if x.size != t.size or s.size != t.size:
        raise StatisticsError("time, event, lp and surv must have the same length")
    if not (np.isfinite(x).all() and np.isfinite(s).all()):
        raise StatisticsError("lp and surv must be finite")
    if ((s < 0) | (s > 1)).any():
        raise StatisticsError("surv must lie in [0, 1]")
    lev = check_level(level)
    hz = float(horizon)
    if not np.isfinite(hz) or hz <= 0:
        raise StatisticsError(f"horizon must be a positive time, got {horizon!r}")
    rows = _group_rows(t, e, s, hz, groups, lev)
    frame = pd.DataFrame({"time": t, "event": e, "lp": x})
    fit = cox_regression(
        frame, "time", "event", ["lp"], level=lev, concordance_index=False
    ).table.iloc[0]
    return _result(hz, rows, float(fit["coef"]), float(fit["se"]), t, e, lev)


def _group_rows(
    t: np.ndarray, e: np.ndarray, surv: np.ndarray, hz: float, groups: int, lev: float
) -> list[dict[str, float | int]]:
    """KM at the horizon vs mean predicted survival per quantile group of ``surv``."""
    _, codes = quantile_groups(surv, groups)
    rows: list[dict[str, float | int]] = []
    for g in np.unique(codes):
        m = codes == g
        at = survival_at(kaplan_meier(t[m], e[m], level=lev), [hz]).table.iloc[0]
        rows.append(
            {
                "group": int(g) + 1,
                "n": int(m.sum()),
                "events": int(((t <= hz) & (e == 1) & m).sum()),
                "predicted": float(surv[m].mean()),
                "observed": float(at["surv"]),
                "observed_lower": float(at["lower"]),
                "observed_upper": float(at["upper"]),
            }
        )
    return rows


def _result(
    hz: float,
    rows: list[dict[str, float | int]],
    slope: float,
    se: float,
    t: np.ndarray,
    e: np.ndarray,
    lev: float,
) -> SurvivalCalibrationResult:
    z = float(norm.ppf(1.0 - (1.0 - lev) / 2.0))
    return SurvivalCalibrationResult(
        horizon=hz,
        groups=pd.DataFrame(rows),
        slope=slope,
        slope_se=se,
        slope_lower=slope - z * se,
        slope_upper=slope + z * se,
        n=int(t.size),
        events=int(e.sum()),
        level=lev,
    )
