"""Apply a frozen Cox fit to new rows: design columns, strata and the linear predictor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from remarkit.errors import StatisticsError
from remarkit.stats._surv_input import FloatArray, IntArray, check_columns

if TYPE_CHECKING:
    from remarkit.stats.cox import CoxResult


def new_design(model: CoxResult, data: pd.DataFrame) -> FloatArray:
    """The model's design matrix for ``data`` (same terms and reference levels)."""
    check_columns(data, list(model.predictors))
    cols: list[FloatArray] = []
    for var in model.predictors:
        terms = model.table[model.table.variable == var]
        if terms["level"].isna().all():
            values = pd.to_numeric(data[var], errors="coerce").to_numpy(dtype=np.float64)
            if not np.isfinite(values).all():
                raise StatisticsError(f"predictor {var!r} must be numeric and finite")
            cols.append(values)
            continue
        raw = data[var].astype(str).to_numpy()
        known = {str(terms["reference"].iloc[0]), *map(str, terms["level"])}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise StatisticsError(
                f"predictor {var!r} has level(s) {', '.join(map(repr, unknown))} the model "
                f"was not fitted with (known: {', '.join(sorted(known))})"
            )
        cols.extend((raw == str(level)).astype(np.float64) for level in terms["level"])
    return np.column_stack(cols)


def linear_predictor(model: CoxResult, data: pd.DataFrame) -> FloatArray:
    """Centred linear predictor ``(x - means) beta``, as predict(coxph, newdata, type='lp')."""
    x = new_design(model, data)
    beta = model.table["coef"].to_numpy(dtype=np.float64)
    means = model.table["mean"].to_numpy(dtype=np.float64)
    return np.asarray((x - means) @ beta, dtype=np.float64)


def new_strata(model: CoxResult, data: pd.DataFrame) -> IntArray:
    """Index into ``model.stratum_levels`` of every row of ``data``."""
    if not model.strata:
        return np.zeros(data.shape[0], dtype=np.int64)
    check_columns(data, list(model.strata))
    labels = [
        ", ".join(f"{n}={v}" for n, v in zip(model.strata, row, strict=True))
        for row in data[model.strata].astype(object).itertuples(index=False)
    ]
    lookup = {lab: i for i, lab in enumerate(model.stratum_levels)}
    unknown = sorted(set(labels) - set(lookup))
    if unknown:
        raise StatisticsError(f"stratum {unknown[0]!r} is not one the model was fitted on")
    return np.array([lookup[lab] for lab in labels], dtype=np.int64)


def baseline_at(model: CoxResult, stratum: IntArray, times: FloatArray) -> FloatArray:
    """Baseline cumulative hazard (rows x times) of each row's stratum, a right-continuous step."""
    out = np.zeros((stratum.size, times.size))
    base = model.baseline
    for code, label in enumerate(model.stratum_levels):
        rows = stratum == code
        if not rows.any():
            continue
        steps = base[base.stratum == label]
        t = steps["time"].to_numpy(dtype=np.float64)
        h = np.concatenate(([0.0], steps["cumhaz"].to_numpy(dtype=np.float64)))
        out[rows] = h[np.searchsorted(t, times, side="right")]
    return out
