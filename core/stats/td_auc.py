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


class _Prepared:
    """Sort orders shared by the estimate and every bootstrap replicate.

    A replicate is the original data with case weights ``k`` (how often each subject was
    drawn), which gives exactly the resampled data's estimate without re-sorting anything.
    """

    def __init__(
        self, time: FloatArray, event: IntArray, score: FloatArray, horizons: FloatArray
    ) -> None:
        self.event = event
        self.times, self.inverse = np.unique(time, return_inverse=True)
        self.cases: list[IntArray] = []
        self.controls: list[IntArray] = []
        self.lo: list[IntArray] = []
        self.hi: list[IntArray] = []
        for t in horizons:
            case = np.flatnonzero((time <= t) & (event == 1))
            ctrl = np.flatnonzero(time > t)
            ctrl = ctrl[np.argsort(score[ctrl], kind="stable")]
            sorted_scores = score[ctrl]
            self.cases.append(case)
            self.controls.append(ctrl)
            self.lo.append(np.searchsorted(sorted_scores, score[case], side="left"))
            self.hi.append(np.searchsorted(sorted_scores, score[case], side="right"))

    def auc(self, k: FloatArray) -> FloatArray:
        """AUC(t) per horizon for case weights ``k`` (NaN without cases or controls)."""
        nt = self.times.size
        drawn = np.bincount(self.inverse, weights=k, minlength=nt)
        censored = np.bincount(self.inverse, weights=k * (1 - self.event), minlength=nt)
        at_risk = k.sum() - np.concatenate(([0.0], np.cumsum(drawn)[:-1]))
        factor = np.ones(nt)
        np.divide(censored, at_risk, out=factor, where=at_risk > 0)
        surv = np.cumprod(np.where(at_risk > 0, 1.0 - factor, 1.0))
        g_before = np.concatenate(([1.0], surv))[self.inverse]  # G(T_i-)
        out = np.full(len(self.cases), np.nan)
        for h, (case, ctrl, lo, hi) in enumerate(
            zip(self.cases, self.controls, self.lo, self.hi, strict=True)
        ):
            cum = np.concatenate(([0.0], np.cumsum(k[ctrl])))
            kc = k[case]
            drawn_cases = kc > 0
            w = np.zeros(case.size)
            w[drawn_cases] = kc[drawn_cases] / g_before[case][drawn_cases]
            if w.sum() == 0 or cum[-1] == 0:
                continue
            pairs = cum[lo] + 0.5 * (cum[hi] - cum[lo])
            out[h] = float(np.sum(w * pairs) / (np.sum(w) * cum[-1]))
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
    prep = _Prepared(t, e, m, h)
    auc = prep.auc(np.ones(t.size))
    rng = np.random.default_rng(int(seed))
    idx = rng.integers(0, t.size, size=(int(n_boot), t.size))
    boot = np.array([prep.auc(np.bincount(i, minlength=t.size).astype(np.float64)) for i in idx])
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
