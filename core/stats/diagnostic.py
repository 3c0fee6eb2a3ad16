"""Sensitivity, specificity, PPV, NPV and accuracy with Clopper-Pearson CIs (R ``binom.test``)."""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._binom import clopper_pearson
from remarkit.stats._eval_inputs import as_binary, check_level

__all__ = ["DiagnosticMetrics", "Proportion", "diagnostic_metrics"]


class Proportion(StatResult):
    """A proportion ``successes / total`` with its Clopper-Pearson exact CI."""

    kind: Literal["proportion"] = Field("proportion", description="Result type tag.")
    estimate: float = Field(description="successes / total; NaN when total is 0.")
    lower: float = Field(description="Lower exact bound (binom.test); NaN when total is 0.")
    upper: float = Field(description="Upper exact bound (binom.test); NaN when total is 0.")
    successes: int = Field(description="Numerator count.")
    total: int = Field(description="Denominator count.")


class DiagnosticMetrics(StatResult):
    """Diagnostic accuracy of 0/1 predictions against a 0/1 reference."""

    kind: Literal["diagnostic_metrics"] = Field("diagnostic_metrics", description="Result tag.")
    sensitivity: Proportion = Field(description="TP / (TP + FN).")
    specificity: Proportion = Field(description="TN / (TN + FP).")
    ppv: Proportion = Field(description="Positive predictive value, TP / (TP + FP).")
    npv: Proportion = Field(description="Negative predictive value, TN / (TN + FN).")
    accuracy: Proportion = Field(description="(TP + TN) / N.")
    tp: int = Field(description="True positives (predicted 1, y 1).")
    fp: int = Field(description="False positives (predicted 1, y 0).")
    tn: int = Field(description="True negatives (predicted 0, y 0).")
    fn: int = Field(description="False negatives (predicted 0, y 1).")
    level: float = Field(description="Confidence level of the intervals.")

    def to_frame(self) -> pd.DataFrame:
        """One row per metric: estimate, lower, upper, successes, total."""
        names = ("sensitivity", "specificity", "ppv", "npv", "accuracy")
        rows = [getattr(self, name) for name in names]
        return pd.DataFrame(
            {
                "metric": list(names),
                "estimate": [r.estimate for r in rows],
                "lower": [r.lower for r in rows],
                "upper": [r.upper for r in rows],
                "successes": [r.successes for r in rows],
                "total": [r.total for r in rows],
            }
        )


def _proportion(name: str, successes: int, total: int, level: float) -> Proportion:
    if total == 0:
        warnings.warn(
            f"zero denominator: {name} is undefined (no observations in its denominator); "
            "estimate and CI set to NaN",
            RemarkitWarning,
            stacklevel=3,
        )
        nan = math.nan
        return Proportion(estimate=nan, lower=nan, upper=nan, successes=successes, total=0)
    lower, upper = clopper_pearson(successes, total, level)
    return Proportion(
        estimate=successes / total, lower=lower, upper=upper, successes=successes, total=total
    )


def diagnostic_metrics(y: Any, predicted: Any, *, level: float = 0.95) -> DiagnosticMetrics:
    """2x2 diagnostic metrics with exact CIs, each as R ``binom.test(x, n, conf.level=level)``.

    A zero denominator (e.g. no predicted positives for PPV) gives a NaN estimate and CI and a
    RemarkitWarning naming the metric.
    """
    lev = check_level(level)
    yy = as_binary(y, "y")
    pred = as_binary(predicted, "predicted")
    if pred.size != yy.size:
        raise StatisticsError(f"predicted has length {pred.size} but y has length {yy.size}")
    tp = int(np.sum((pred == 1) & (yy == 1)))
    fp = int(np.sum((pred == 1) & (yy == 0)))
    tn = int(np.sum((pred == 0) & (yy == 0)))
    fn = int(np.sum((pred == 0) & (yy == 1)))
    return DiagnosticMetrics(
        sensitivity=_proportion("sensitivity", tp, tp + fn, lev),
        specificity=_proportion("specificity", tn, tn + fp, lev),
        ppv=_proportion("ppv", tp, tp + fp, lev),
        npv=_proportion("npv", tn, tn + fn, lev),
        accuracy=_proportion("accuracy", tp + tn, yy.size, lev),
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        level=lev,
    )
