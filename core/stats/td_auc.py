"""Cumulative/dynamic time-dependent AUC with inverse-probability-of-censoring weights.

Definition of Uno et al. (2007) and Blanche et al. (2013, timeROC's ``cause``-free cumulative /
dynamic AUC with ``weighting = "marginal"``): at horizon ``t`` the cases are the subjects with an
event at or before ``t`` and the controls those still event-free after ``t``; subjects censored
before ``t`` are left out and the others are reweighted by the Kaplan-Meier estimate ``G`` of
the censoring distribution: ``1 / G(T_i-)`` for a case, ``1 / G(t)`` for a control. Then

    AUC(t) = sum_ij w_i w_j [1(M_i > M_j) + 1/2 1(M_i = M_j)] / (sum_i w_i * sum_j w_j),

a higher score meaning a higher risk (earlier event). The standard error and the percentile
CI come from a seeded nonparametric bootstrap of subjects (``G`` re-estimated in every
replicate).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._surv_input import FloatArray, IntArray, as_time_event, as_vector, check_level

__all__ = ["TimeDependentAucResult", "time_dependent_auc"]


class TimeDependentAucResult(StatResult):
    """Cumulative/dynamic AUC(t) at each horizon, with a bootstrap SE and percentile CI."""

    kind: Literal["time_dependent_auc"] = Field(
        "time_dependent_auc", description="Result type tag."
    )
    table: pd.DataFrame = Field(
        description="One row per horizon (in the order given): time, auc, se (bootstrap SD, "
        "n - 1 denominator), lower, upper (percentile bootstrap interval, R quantile type 7), "
        "cases (events at or before t), controls (event-free after t), excluded (censored "
        "before t), boot_used (replicates with both cases and controls)."
    )
    se_method: Literal["bootstrap"] = Field(
        "bootstrap",
        description="How se/lower/upper are computed: nonparametric bootstrap of subjects.",
    )
    n_boot: int = Field(description="Bootstrap replicates drawn.")
    seed: int = Field(description="Seed of numpy's default_rng used to draw them.")
    level: float = Field(description="Confidence level of the intervals.")
    n: int = Field(description="Number of subjects.")


def _censoring_km(time: FloatArray, event: IntArray) -> tuple[FloatArray, FloatArray]:
    """Distinct times and the Kaplan-Meier of the censoring distribution after each."""
    times, inverse = np.unique(time, return_inverse=True)
    censored = np.bincount(inverse, weights=1 - event, minlength=times.size)
    at_risk = time.size - np.concatenate(([0], np.cumsum(np.bincount(inverse))[:-1]))
    return times, np.cumprod(1.0 - censored / at_risk)


def auc_at(
    time: FloatArray, event: IntArray, score: FloatArray, horizons: FloatArray
) -> FloatArray:
    """AUC(t) for every horizon (NaN where there are no cases or no controls)."""
    times, surv = _censoring_km(time, event)
    g_before = np.concatenate(([1.0], surv))[np.searchsorted(times, time, side="left")]
    out = np.full(horizons.size, np.nan)
    for k, t in enumerate(horizons):
        case = (time <= t) & (event == 1)
        controls = np.sort(score[time > t])
        if not case.any() or controls.size == 0:
            continue
        w = 1.0 / g_before[case]
        s = score[case]
        below = np.searchsorted(controls, s, side="left")
        ties = np.searchsorted(controls, s, side="right") - below
        out[k] = float(np.sum(w * (below + 0.5 * ties)) / (np.sum(w) * controls.size))
    return out


def time_dependent_auc(
    time: Any,
    event: Any,
    score: Any,
    times: Any,
    *,
    n_boot: int = 200,
    seed: int = 20240611,
    level: float = 0.95,
) -> TimeDependentAucResult:
    """Cumulative/dynamic AUC(t) at the horizons ``times``, IPCW (Kaplan-Meier of censoring).

    ``score`` is a risk score: higher = earlier event. Ties in the score count 1/2. The SE and
    CI are from ``n_boot`` bootstrap replicates drawn with ``numpy.random.default_rng(seed)``
    (``rng.integers(0, n, size=(n_boot, n))``), so results are reproducible.
    """
    t, e = as_time_event(time, event)
    m = as_vector(score, "score")
    if m.size != t.size:
        raise StatisticsError(f"score has length {m.size} but time has length {t.size}")
    if not np.isfinite(m).all():
        raise StatisticsError("score contains missing or infinite value(s)")
    h = as_vector(np.atleast_1d(times), "times")
    if not np.isfinite(h).all():
        raise StatisticsError("times contains missing or infinite value(s)")
    lev = check_level(level)
    if int(n_boot) < 2:
        raise StatisticsError(f"n_boot must be at least 2, got {n_boot!r}")
    for th in h:
        if not ((t <= th) & (e == 1)).any():
            raise StatisticsError(f"no events at or before time {th:g}: AUC({th:g}) undefined")
        if not (t > th).any():
            raise StatisticsError(f"nobody is followed beyond time {th:g}: AUC({th:g}) undefined")
    auc = auc_at(t, e, m, h)
    rng = np.random.default_rng(int(seed))
    idx = rng.integers(0, t.size, size=(int(n_boot), t.size))
    boot = np.array([auc_at(t[i], e[i], m[i], h) for i in idx])
    used = np.sum(~np.isnan(boot), axis=0)
    alpha = (1.0 - lev) / 2.0
    se, lower, upper = (np.full(h.size, np.nan) for _ in range(3))
    for k, col in enumerate(boot.T):
        ok = col[~np.isnan(col)]
        if ok.size >= 2:  # replicates without cases or controls are left out
            se[k] = np.std(ok, ddof=1)
            lower[k], upper[k] = np.quantile(ok, [alpha, 1.0 - alpha])
    table = pd.DataFrame(
        {
            "time": h,
            "auc": auc,
            "se": se,
            "lower": lower,
            "upper": upper,
            "cases": [int(((t <= th) & (e == 1)).sum()) for th in h],
            "controls": [int((t > th).sum()) for th in h],
            "excluded": [int(((t <= th) & (e == 0)).sum()) for th in h],
            "boot_used": used.astype(np.int64),
        }
    )
    return TimeDependentAucResult(
        table=table, n_boot=int(n_boot), seed=int(seed), level=lev, n=int(t.size)
    )
