"""The frozen Cox model of a multivariable_cox unit: ``model.json`` and its linear predictor.

The file holds what scoring a new cohort needs without the training data: the coefficients (log
hazard ratios per each variable's scale), the categorical levels (reference first), the frozen
scales (SD/IQR divisors, per-doubling logs), the baseline survival at the horizons (the
baseline cumulative hazard of :func:`remarkit.stats.cox_regression`, as survfit.coxph), the centring (coxph's ``means``: numeric columns at
their means on the fitting patients, level columns at 0; the linear predictor is
``sum(coef * (x - mean))``, as ``predict(fit, type = "lp")``), the training ranges of continuous variables, the endpoint and the
library versions. Its sha256 is recorded in the unit's result; :func:`read_model` refuses a file
whose hash differs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import DerivedColumn, UnitContext, __version__
from remarkit.cells import cell_float
from remarkit.modeling.columns import is_categorical
from remarkit.modeling.documents import installed_versions, read_document, write_document
from remarkit.modeling.frozen import Coefficient, check_new_cohort, linear_predictor
from remarkit.modeling.scaling import ScaleFit
from remarkit.plugins.survival._fit import SurvFrame

if TYPE_CHECKING:
    from remarkit.stats import CoxResult

FORMAT = "remarkit.cox_model"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
CENTRING = "(centring)"
LIBRARIES = ("numpy", "pandas", "scipy")


class Range(BaseModel):
    """Training range of a continuous predictor (on its original scale)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    minimum: float = Field(description="Smallest value among the fitting patients")
    maximum: float = Field(description="Largest value among the fitting patients")


class CoxModelDocument(BaseModel):
    """The content of ``model.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = Field(description=f"Always '{FORMAT}'")
    format_version: int = Field(description="Incremented on incompatible changes")
    remarkit_version: str = Field(description="remarkit version that wrote the file")
    libraries: dict[str, str] = Field(description="Library versions of the fit")
    title: str = Field(description="Model name (the unit id)")
    endpoint: str = Field(description="Endpoint label")
    time_unit: str = Field(description="Unit of the times")
    predictors: list[str] = Field(description="Model columns")
    coefficients: list[Coefficient] = Field(
        description="The centring constant (-sum(coef * mean)) first, then one per term"
    )
    means: dict[str, float] = Field(description="Mean of each design column (term) when fitted")
    levels: dict[str, list[str]] = Field(description="Categorical levels, reference first")
    scales: dict[str, ScaleFit] = Field(description="Frozen scale per continuous predictor")
    ranges: dict[str, Range] = Field(description="Training range per continuous predictor")
    horizons: list[float] = Field(description="Times of the predicted survival")
    baseline_survival: list[float] = Field(
        description="Baseline survival at each horizon (at the centring), as survfit.coxph"
    )


def baseline_at(baseline: pd.DataFrame, horizons: list[float]) -> list[float]:
    """exp(-H0(h)): the baseline cumulative hazard's step at each horizon (1 before any event)."""
    times = baseline["time"].to_numpy(dtype=float)
    cumhaz = baseline["cumhaz"].to_numpy(dtype=float)
    out: list[float] = []
    for h in horizons:
        k = int(np.searchsorted(times, h, side="right"))
        out.append(1.0 if k == 0 else float(np.exp(-cumhaz[k - 1])))
    return out


def freeze(
    ctx: UnitContext,
    res: CoxResult,
    frame: SurvFrame,
    scales: dict[str, ScaleFit],
    endpoint: str,
    time_unit: str,
    horizons: list[float],
) -> CoxModelDocument:
    """The fitted (unstratified) model as a frozen document.

    Coefficients and coxph's centring ``means`` come from ``res``; levels, scales and ranges
    from the fitting patients; baseline survival at the horizons from ``res.baseline``.
    """
    table = res.table
    terms = [
        Coefficient(
            term=str(r.term),
            variable=str(r.variable),
            level=None if r.level is None else str(r.level),
            coef=cell_float(r.coef),
        )
        for r in table.itertuples(index=False)
    ]
    means = {str(r.term): cell_float(r.mean) for r in table.itertuples(index=False)}
    predictors = list(res.predictors)
    data = frame.data
    levels = {
        c: [str(x) for x in data[c].cat.categories] for c in predictors if is_categorical(data[c])
    }
    raw = ctx.cohort.data.loc[data.index]
    ranges = {
        c: Range(minimum=float(raw[c].min()), maximum=float(raw[c].max()))
        for c in predictors
        if c not in levels
    }
    centre = -math.fsum(c.coef * means[c.term] for c in terms)
    return CoxModelDocument(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        remarkit_version=__version__,
        libraries=installed_versions(LIBRARIES),
        title=ctx.unit_id,
        endpoint=endpoint,
        time_unit=time_unit,
        predictors=predictors,
        coefficients=[Coefficient(term=CENTRING, variable=None, level=None, coef=centre), *terms],
        means=means,
        levels=levels,
        scales={c: scales[c] for c in predictors if c in scales},
        ranges=ranges,
        horizons=list(horizons),
        baseline_survival=baseline_at(res.baseline, list(horizons)),
    )


def write_model(path: Path, model: CoxModelDocument) -> str:
    """Write ``model.json`` (sorted keys) and return its sha256."""
    return write_document(path, model)


def read_model(path: Path) -> CoxModelDocument:
    """Read a frozen model (verified by the engine under ``apply``); a missing, foreign or
    incompatible file is an InputError."""
    return read_document(path, CoxModelDocument, format_name=FORMAT, format_version=FORMAT_VERSION)


def score(data: pd.DataFrame, model: CoxModelDocument) -> pd.Series:
    """The centred linear predictor of every patient (NaN when a predictor is missing).

    A value outside a per-doubling scale's domain (<= 0) has no score.
    """
    check_new_cohort(data, model.predictors, model.levels, model.title)
    scaled = data[model.predictors].copy()
    for column, scale in model.scales.items():
        values = scaled[column].astype(float)
        if scale.scale == "log2":
            values = values.where(values > 0)
        scaled[column] = scale.transform(values)
    return linear_predictor(scaled, model.coefficients, model.levels)


def horizon_name(h: float) -> str:
    """'surv_1825' or 'surv_2.5': the column of predicted survival at ``h``."""
    return f"surv_{h:g}"


def columns(lp: pd.Series, model: CoxModelDocument, title: str) -> list[DerivedColumn]:
    """The linear predictor ``lp`` and the predicted survival ``surv_<h>`` at each horizon."""
    ids = [str(i) for i in lp.index]
    out = [
        DerivedColumn(
            name="lp",
            kind="continuous",
            ids=ids,
            values=[None if np.isnan(v) else float(v) for v in lp],
            label=f"{title}: Cox linear predictor (log relative hazard)",
        )
    ]
    risk = np.exp(lp.to_numpy(dtype=float))
    for h, s0 in zip(model.horizons, model.baseline_survival, strict=True):
        surv = s0**risk
        out.append(
            DerivedColumn(
                name=horizon_name(h),
                kind="continuous",
                ids=ids,
                values=[None if np.isnan(v) else float(v) for v in surv],
                label=f"{title}: predicted {model.endpoint.lower()} at {h:g} {model.time_unit}",
            )
        )
    return out
