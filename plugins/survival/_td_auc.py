"""Time-dependent AUC rows of survival_discrimination: remarkit.stats.time_dependent_auc per set.

A horizon with no event at or before it, or nobody followed beyond it, has no AUC: its row holds
None and the reason, and the other horizons are still estimated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from remarkit.cells import cell_float, cell_int


class AucAt(BaseModel):
    """Cumulative/dynamic AUC at one horizon (None when undefined there)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time: float = Field(description="Horizon, in the endpoint's time unit")
    auc: float | None = Field(description="AUC(t), inverse-probability-of-censoring weighted")
    se: float | None = Field(description="Bootstrap standard error")
    lower: float | None = Field(description="Lower percentile bootstrap bound")
    upper: float | None = Field(description="Upper percentile bootstrap bound")
    cases: int = Field(description="Patients with an event at or before the horizon")
    controls: int = Field(description="Patients event-free beyond the horizon")
    note: str = Field(default="", description="Why AUC(t) is undefined, if it is")


def set_auc(
    time: npt.NDArray[np.float64],
    event: npt.NDArray[np.float64],
    risk: npt.NDArray[np.float64],
    horizons: Sequence[float],
    *,
    n_boot: int,
    seed: int,
    level: float,
) -> list[AucAt]:
    """AUC(t) of the risk score (higher = earlier event) at every horizon, in order."""
    from remarkit.stats import time_dependent_auc

    rows: dict[float, AucAt] = {}
    valid: list[float] = []
    for t in horizons:
        cases = int(np.sum((time <= t) & (event == 1)))
        controls = int(np.sum(time > t))
        if cases == 0 or controls == 0:
            why = "no event at or before it" if cases == 0 else "nobody followed beyond it"
            rows[t] = AucAt(
                time=t,
                auc=None,
                se=None,
                lower=None,
                upper=None,
                cases=cases,
                controls=controls,
                note=why,
            )
        else:
            valid.append(t)
    if valid:
        res = time_dependent_auc(time, event, risk, valid, n_boot=n_boot, seed=seed, level=level)
        for row in res.table.itertuples(index=False):
            rows[cell_float(row.time)] = AucAt(
                time=cell_float(row.time),
                auc=cell_float(row.auc),
                se=_finite(cell_float(row.se)),
                lower=_finite(cell_float(row.lower)),
                upper=_finite(cell_float(row.upper)),
                cases=cell_int(row.cases),
                controls=cell_int(row.controls),
            )
    return [rows[t] for t in horizons]


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None
