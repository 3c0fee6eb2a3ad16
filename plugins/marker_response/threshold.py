"""The Youden-optimal decline threshold on the training set, its ROC, AUC and bootstrap CI."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from remarkit import RemarkitWarning
from remarkit.modeling.thresholds import finite_optimum
from remarkit.plugins.marker_response.compute import bootstrap_thresholds, percentile_interval

if TYPE_CHECKING:
    from remarkit.stats import AucResult, RocCurveResult, YoudenResult


@dataclass(frozen=True)
class ThresholdFit:
    """The optimum (pROC rules), the ROC curve and AUC it comes from, and its bootstrap CI."""

    best: YoudenResult
    curve: RocCurveResult
    auc: AucResult
    lower: float | None
    upper: float | None
    used: int

    @property
    def finite(self) -> bool:
        """False when the optimum is the infinite 'everyone positive/negative' threshold."""
        return finite_optimum(self.best) is not None


def fit_threshold(
    y: np.ndarray,
    x: np.ndarray,
    *,
    direction: str,
    level: float,
    replicates: int,
    rng: np.random.Generator,
    notes: list[str],
) -> ThresholdFit:
    """Youden threshold of decline ``x`` for outcome ``y``; named problems go to ``notes``."""
    from remarkit.stats import auc_ci, roc_curve, youden_threshold

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RemarkitWarning)
        best = youden_threshold(y, x, direction=direction)
        curve = roc_curve(y, x, direction=direction)
        auc = auc_ci(y, x, direction=direction, level=level)
    notes.extend(f"decline ROC: {w.message}" for w in caught)
    if len(best.tied_thresholds) > 1:
        tied = ", ".join(f"{t:.4g}%" for t in best.tied_thresholds)
        notes.append(
            f"Youden optimum tied at {len(best.tied_thresholds)} thresholds ({tied}); the "
            "highest-sensitivity one is reported"
        )
    if finite_optimum(best) is None:
        notes.append(
            "no finite Youden-optimal threshold: the decline does not separate the outcomes in "
            "training; only the clinical threshold is reported"
        )
        return ThresholdFit(best, curve, auc, None, None, 0)
    boot = bootstrap_thresholds(y, x, direction=direction, replicates=replicates, rng=rng)
    if boot.size < replicates:
        notes.append(
            f"{replicates - boot.size} of {replicates} bootstrap replicates had no finite "
            "optimum and were left out of the threshold CI"
        )
    lower, upper = percentile_interval(boot, level) if boot.size else (None, None)
    return ThresholdFit(best, curve, auc, lower, upper, int(boot.size))
