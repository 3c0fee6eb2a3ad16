"""The per-split statistics of marker_kinetics: group summaries, rank-sum test, AUC, OR and HR."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
from remarkit import RemarkitWarning
from remarkit.stats import auc_ci, cox_regression
from remarkit.stats.group_tests import mann_whitney
from remarkit.stats.logistic import logistic_regression

from remarkit_marker_kinetics.models import Effect, SlopeSummary

T = TypeVar("T")


def recorded(notes: list[str], prefix: str, compute: Callable[[], T]) -> T:
    """Run ``compute``, turning each RemarkitWarning into a named note for the result."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RemarkitWarning)
        value = compute()
    notes += [f"{prefix}: {w.message}" for w in caught if issubclass(w.category, RemarkitWarning)]
    return value


def slope_summary(group: str, slopes: np.ndarray) -> SlopeSummary:
    """Median and quartiles (numpy's default linear quantiles = R type 7)."""
    q1, median, q3 = np.quantile(slopes, [0.25, 0.5, 0.75])
    return SlopeSummary(group=group, n=int(slopes.size), median=median, q1=q1, q3=q3)


def rank_sum_p(slopes: np.ndarray, y: np.ndarray, positive: str, negative: str) -> float:
    """Two-sided Wilcoxon rank-sum p-value (normal approximation, continuity correction)."""
    groups = pd.Categorical(np.where(y == 1, positive, negative), categories=[positive, negative])
    return mann_whitney(slopes, groups).p_value


def odds_ratio(effect_x: np.ndarray, y: np.ndarray, level: float) -> Effect:
    """Univariable logistic regression of the outcome on ``effect_x`` (Wald CI)."""
    fit = logistic_regression(pd.DataFrame({"y": y, "x": effect_x}), "y", ["x"], level=level)
    row = fit.table.set_index("term").loc["x"]
    return Effect(
        estimate=float(row["odds_ratio"]),
        lower=float(row["lower"]),
        upper=float(row["upper"]),
        p_value=float(row["p_value"]),
        n=fit.n,
        events=fit.events,
    )


def hazard_ratio(effect_x: np.ndarray, time: np.ndarray, event: np.ndarray, level: float) -> Effect:
    """Univariable Cox regression of overall survival on ``effect_x`` (Efron ties, Wald CI)."""
    frame = pd.DataFrame({"time": time, "event": event, "x": effect_x})
    fit = cox_regression(frame, "time", "event", ["x"], level=level, concordance_index=False)
    row = fit.table.set_index("term").loc["x"]
    return Effect(
        estimate=float(row["hr"]),
        lower=float(row["lower"]),
        upper=float(row["upper"]),
        p_value=float(row["p_value"]),
        n=fit.n,
        events=fit.events,
    )


def discrimination(
    slopes: np.ndarray, y: np.ndarray, direction: str, level: float
) -> tuple[float, float, float]:
    """AUC of the slope with its DeLong CI; ``direction`` 'falling' uses pROC direction '>'."""
    auc = auc_ci(y, slopes, direction=">" if direction == "falling" else "<", level=level)
    return auc.auc, auc.lower, auc.upper
