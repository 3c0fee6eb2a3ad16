"""Time-dependent AUC rows of survival_discrimination (cumulative/dynamic, IPCW)."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from remarkit import StatisticsError
from remarkit.stats import time_dependent_auc

N_BOOT = 200


class TdAucRow(BaseModel):
    """AUC(t) of one score in one set at one horizon."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set: str = Field(description="'all', 'train' or 'test'")
    set_name: str = Field(description="Display name of the set")
    time: float = Field(description="Horizon t")
    auc: float = Field(description="Cumulative/dynamic AUC(t) with IPCW (Uno 2007)")
    se: float = Field(description="Bootstrap standard error")
    lower: float = Field(description="Lower percentile bootstrap bound")
    upper: float = Field(description="Upper percentile bootstrap bound")
    cases: int = Field(description="Events at or before t")
    controls: int = Field(description="Event-free after t")
    censored: int = Field(description="Censored before t (left out, reweighted by IPCW)")


def td_auc_rows(
    which: str,
    name: str,
    time: np.ndarray,
    event: np.ndarray,
    risk: np.ndarray,
    horizons: list[float],
    *,
    seed: int,
    level: float,
) -> tuple[list[TdAucRow], list[str]]:
    """AUC(t) at each horizon where it is defined, and why the others are left out.

    ``risk`` is oriented so that higher means earlier events. Each horizon is computed on its
    own; the bootstrap draws depend only on ``seed`` and the number of patients, so they are
    the same for every horizon.
    """
    rows: list[TdAucRow] = []
    notes: list[str] = []
    for h in horizons:
        try:
            res = time_dependent_auc(
                time, event, risk, [h], n_boot=N_BOOT, seed=seed, level=level
            ).table.iloc[0]
        except StatisticsError as exc:
            notes.append(f"AUC({h:g}) not computed, {exc}")
            continue
        rows.append(
            TdAucRow(
                set=which,
                set_name=name,
                time=float(h),
                auc=float(res["auc"]),
                se=float(res["se"]),
                lower=float(res["lower"]),
                upper=float(res["upper"]),
                cases=int(res["cases"]),
                controls=int(res["controls"]),
                censored=int(res["excluded"]),
            )
        )
    return rows, notes
