"""Model design matrices: numeric predictors as they are, categorical ones dummy-coded.

A predictor is categorical when its column is a pandas Categorical or holds strings/objects;
numeric columns are used as they are and booleans as 0/1. Each categorical predictor gets one
0/1 column per level other than its reference, as R's treatment contrasts. The reference is the
first category of a pandas Categorical, else the first of the sorted levels, unless ``reference``
names another. Unused categories are dropped. Term names are ``"variable[level]"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from remarkit.errors import StatisticsError
from remarkit.stats._surv_input import FloatArray


@dataclass(frozen=True)
class Term:
    """One column of the design matrix."""

    name: str
    variable: str
    level: str | None  # None for a numeric predictor
    reference: str | None  # the reference level of a categorical predictor


@dataclass(frozen=True)
class Design:
    """A design matrix (no intercept column) and its terms."""

    x: FloatArray
    terms: list[Term]

    @property
    def names(self) -> list[str]:
        """Column names."""
        return [t.name for t in self.terms]


def _levels(column: pd.Series) -> list[Any]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.remove_unused_categories().cat.categories)
    values = set(column.tolist())
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _is_categorical(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return True
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def build_design(
    data: pd.DataFrame, predictors: list[str], reference: Mapping[str, Any] | None = None
) -> Design:
    """Design matrix of ``predictors`` (columns already checked for presence and NaN)."""
    reference = dict(reference or {})
    unknown = sorted(set(reference) - set(predictors))
    if unknown:
        raise StatisticsError(f"reference names non-predictor(s) {', '.join(map(repr, unknown))}")
    columns: list[FloatArray] = []
    terms: list[Term] = []
    for var in predictors:
        col = data[var]
        if not _is_categorical(col):
            if var in reference:
                raise StatisticsError(f"reference given for numeric predictor {var!r}")
            values = col.to_numpy(dtype=np.float64)
            if not np.isfinite(values).all():
                raise StatisticsError(f"predictor {var!r} contains infinite value(s)")
            if np.ptp(values) == 0:
                raise StatisticsError(f"predictor {var!r} is constant")
            columns.append(values)
            terms.append(Term(var, var, None, None))
            continue
        levels = _levels(col)
        if len(levels) < 2:
            raise StatisticsError(f"predictor {var!r} has only one level")
        ref = reference.get(var, levels[0])
        if ref not in levels:
            raise StatisticsError(f"reference level {ref!r} does not occur in predictor {var!r}")
        raw = col.astype(object).to_numpy()
        for level in levels:
            if level == ref:
                continue
            columns.append((raw == level).astype(np.float64))
            terms.append(Term(f"{var}[{level}]", var, str(level), str(ref)))
    x = np.column_stack(columns)
    return Design(x, terms)


def check_full_rank(design: Design, what: str) -> None:
    """Raise if the design columns (with an intercept) are linearly dependent."""
    x = np.column_stack((np.ones(design.x.shape[0]), design.x))
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise StatisticsError(f"the {what} predictors are collinear (design matrix not full rank)")
