"""Baseline cumulative hazard of a Cox fit, as survfit.coxph / basehaz(centered = TRUE)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from remarkit.stats._cox_fit import RiskSets, Ties
from remarkit.stats._surv_input import FloatArray, IntArray


def baseline_hazard(
    time: FloatArray, event: IntArray, lp: FloatArray, rs: RiskSets, ties: Ties
) -> pd.DataFrame:
    """Hazard increments at each event time for a subject at the centring means (lp = 0).

    Breslow: ``d / sum(exp(lp))`` over the risk set; Efron: ``sum_l 1 / (S0 - l/d * S0_dead)``
    over the ``d`` tied deaths, as survfit.coxph's default for each tie rule. ``lp`` is the
    centred linear predictor of every subject (original row order).
    """
    order = rs.order
    w = np.exp(lp[order])
    cum = np.concatenate(([0.0], np.cumsum(w)))
    s0_all = cum[rs.risk_end] - cum[rs.risk_start]
    dead_w = np.add.reduceat(w[rs.death_index], rs.group_start)
    counts = np.diff(np.append(rs.group_start, rs.death_index.size))
    if ties == "efron":
        per_death = 1.0 / (s0_all[rs.death_group] - rs.frac * dead_w[rs.death_group])
        increment = np.add.reduceat(per_death, rs.group_start)
    else:
        increment = counts / s0_all
    first = rs.death_index[rs.group_start]
    codes = np.asarray(rs.stratum_code)[first]
    frame = pd.DataFrame(
        {
            "stratum_code": codes,
            "time": time[order][first],
            "n_risk": (rs.risk_end - rs.risk_start).astype(np.int64),
            "n_event": counts.astype(np.int64),
            "hazard": increment,
        }
    )
    # the data are sorted by stratum then decreasing time: put each stratum in time order
    frame = frame.sort_values(["stratum_code", "time"], kind="stable").reset_index(drop=True)
    frame["cumhaz"] = frame.groupby("stratum_code")["hazard"].cumsum()
    return frame.drop(columns="hazard")
