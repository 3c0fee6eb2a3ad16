"""The one guard against an infinite Youden threshold, shared by the units that fix one.

:func:`remarkit.stats.youden_threshold` follows pROC: when no cut-off beats "everyone positive"
(or "everyone negative") the optimum is the infinite threshold. :func:`finite_optimum` gives the
threshold or None, :func:`require_finite_optimum` makes it an error, :func:`finite_ties` keeps
the finite tied thresholds.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from remarkit import StatisticsError

if TYPE_CHECKING:
    from remarkit.stats import YoudenResult


def finite_optimum(best: YoudenResult) -> float | None:
    """The Youden-optimal threshold, or None when it is the infinite one."""
    return float(best.threshold) if math.isfinite(best.threshold) else None


def finite_ties(best: YoudenResult) -> list[float]:
    """The finite thresholds tied at the optimal J, in the order the statistic gives them."""
    return [float(t) for t in best.tied_thresholds if math.isfinite(t)]


def require_finite_optimum(best: YoudenResult, label: str, why: str) -> float:
    """The Youden-optimal threshold; a StatisticsError when it is the infinite one.

    An infinite optimum ("everyone positive" or "everyone negative") means the score does not
    separate the outcomes on the training set; ``why`` says so in the unit's own words.
    """
    value = finite_optimum(best)
    if value is None:
        raise StatisticsError(
            f"{label}: the Youden optimum on the training set is an infinite threshold "
            f"(J = {best.youden:.3g}){why}"
        )
    return value
