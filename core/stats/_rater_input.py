"""Input checks shared by the agreement statistics: raters' labels coded against fixed levels.

Levels are the declared ``levels`` in the given order (so a level no rater used still counts, as
zeros), else the categories of a pandas Categorical, else the sorted distinct labels of all
raters together (R's ``levels(as.factor(...))``). Missing labels (None, NaN, pd.NA) code as -1. Labels are
compared as values, else as text (integral floats read as integers: 1.0 is '1').
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from remarkit.errors import StatisticsError

IntArray = npt.NDArray[np.int64]


def _column(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, (pd.Categorical, pd.Index)):
        return pd.Series(values)
    if np.ndim(values) != 1:
        raise StatisticsError(f"{name} must be one-dimensional, got shape {np.shape(values)}")
    return pd.Series(values if isinstance(values, np.ndarray) else list(values), dtype=object)


def rater_columns(ratings: Any) -> list[pd.Series]:
    """The columns of a subjects x raters table (DataFrame or 2-D array-like)."""
    if isinstance(ratings, pd.DataFrame):
        return [ratings.iloc[:, j].reset_index(drop=True) for j in range(ratings.shape[1])]
    arr = np.asarray(ratings, dtype=object)
    if arr.ndim != 2:
        raise StatisticsError(f"ratings must be a subjects x raters table, got shape {arr.shape}")
    return [pd.Series(arr[:, j], dtype=object) for j in range(arr.shape[1])]


def _default_levels(columns: Sequence[pd.Series]) -> list[Any]:
    if all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        cats = list(columns[0].cat.categories)
        if all(list(c.cat.categories) == cats for c in columns):
            return cats
    seen = {v for c in columns for v in c.dropna().tolist()}
    try:
        return sorted(seen)
    except TypeError:
        return sorted(seen, key=str)


def code_ratings(
    columns: Sequence[Any], names: Sequence[str], levels: Sequence[Any] | None
) -> tuple[list[IntArray], list[str]]:
    """Code each rater's labels as 0..L-1 (missing -1); a label outside ``levels`` is an error."""
    series = [_column(c, n) for c, n in zip(columns, names, strict=True)]
    sizes = {s.size for s in series}
    if len(sizes) != 1:
        raise StatisticsError(f"{', '.join(names)} differ in length ({sorted(sizes)})")
    if levels is not None:
        lev = list(levels)
        if len(set(map(label, lev))) != len(lev):
            raise StatisticsError(f"levels contain duplicates: {lev}")
    else:
        lev = _default_levels(series)
    exact = {level: i for i, level in enumerate(lev)}
    by_text = {label(level): i for i, level in enumerate(lev)}
    coded: list[IntArray] = []
    for s, name in zip(series, names, strict=True):
        missing = s.isna().to_numpy()
        out = np.full(s.size, -1, dtype=np.int64)
        for i, value in enumerate(s.tolist()):
            if missing[i]:
                continue
            code = exact.get(value) if _hashable(value) else None
            if code is None:
                code = by_text.get(label(value))
            if code is None:
                raise StatisticsError(
                    f"{name} has the label {value!r} (row {i}) outside the levels "
                    f"{[label(v) for v in lev]}"
                )
            out[i] = code
        coded.append(out)
    return coded, [label(level) for level in lev]


def label(value: Any) -> str:
    """A level's text: integral floats without the '.0' (a CSV column with gaps reads 1 as 1.0)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
