"""Checks shared by the units that fix a Youden threshold on the training set."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from remarkit import StatisticsError

if TYPE_CHECKING:
    from remarkit.stats import YoudenResult


def require_finite_optimum(best: YoudenResult, label: str, why: str) -> float:
    """The Youden-optimal threshold; a StatisticsError when it is the infinite one.

    An infinite optimum ("everyone positive" or "everyone negative") means the score does not
    separate the outcomes on the training set; ``why`` says so in the unit's own words.
    """
    if not math.isfinite(best.threshold):
        raise StatisticsError(
            f"{label}: the Youden optimum on the training set is an infinite threshold "
            f"(J = {best.youden:.3g}){why}"
        )
    return float(best.threshold)
