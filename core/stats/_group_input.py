"""Input checks shared by the group tests: a numeric outcome by group, or two categorical vectors.

Group labels are ordered as R's ``factor()`` orders them: the categories of a pandas Categorical
(unused ones dropped), else the sorted distinct values. Rows with a missing value in either input
are dropped and counted (R's formula interface does the same), or rejected with
``missing="raise"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from remarkit.errors import StatisticsError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Missing = Literal["drop", "raise"]


@dataclass(frozen=True)
class Grouped:
    """A numeric outcome split by group, groups in label order."""

    labels: list[str]
    samples: list[FloatArray]
    n_missing: int


@dataclass(frozen=True)
class CrossTable:
    """Counts of two categorical vectors: rows are the levels of ``a``, columns those of ``b``."""

    counts: IntArray
    row_labels: list[str]
    col_labels: list[str]
    n_missing: int

    def frame(self, values: npt.NDArray[Any]) -> pd.DataFrame:
        """``values`` (same shape as counts) as a DataFrame labelled by the levels."""
        return pd.DataFrame(values, index=self.row_labels, columns=self.col_labels)


def check_level(level: float) -> float:
    """A confidence level strictly between 0 and 1."""
    lev = float(level)
    if not 0.0 < lev < 1.0:
        raise StatisticsError(f"level must lie strictly between 0 and 1, got {level!r}")
    return lev


def _series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, (pd.Categorical, pd.Index)):
        return pd.Series(values)
    if np.ndim(values) != 1:
        raise StatisticsError(f"{name} must be one-dimensional, got shape {np.shape(values)}")
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values)


def _levels(column: pd.Series) -> list[Any]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.remove_unused_categories().cat.categories)
    values = set(column.tolist())
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _complete(
    first: pd.Series, second: pd.Series, names: tuple[str, str], missing: Missing
) -> tuple[pd.Series, pd.Series, int]:
    if missing not in ("drop", "raise"):
        raise StatisticsError(f"missing must be 'drop' or 'raise', got {missing!r}")
    if first.size != second.size:
        raise StatisticsError(
            f"{names[0]} and {names[1]} differ in length ({first.size} vs {second.size})"
        )
    bad = first.isna().to_numpy() | second.isna().to_numpy()
    n_bad = int(bad.sum())
    if n_bad and missing == "raise":
        raise StatisticsError(f"{names[0]} or {names[1]} has {n_bad} missing value(s)")
    keep = ~bad
    if not keep.any():
        raise StatisticsError(f"no complete pairs of {names[0]} and {names[1]}")
    return first[keep].reset_index(drop=True), second[keep].reset_index(drop=True), n_bad


def _codes(column: pd.Series) -> tuple[IntArray, list[str]]:
    levels = _levels(column)
    position = {level: i for i, level in enumerate(levels)}
    codes = np.fromiter((position[v] for v in column.tolist()), dtype=np.int64, count=column.size)
    return codes, [str(level) for level in levels]


def as_grouped(
    x: Any, group: Any, *, missing: Missing, what: str, groups: int | None = None
) -> Grouped:
    """Split numeric ``x`` by ``group``; ``groups`` fixes the number of groups if given."""
    xs = _series(x, "x")
    gs = _series(group, "group")
    kind = pd.api.types.infer_dtype(xs, skipna=True)
    if kind not in ("integer", "floating", "mixed-integer-float", "boolean", "empty"):
        raise StatisticsError(f"x must be numeric, got {kind} values")
    numeric = pd.to_numeric(xs, errors="raise")
    xs_num, gs, n_missing = _complete(numeric, gs, ("x", "group"), missing)
    values = xs_num.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        raise StatisticsError("x contains infinite value(s)")
    codes, labels = _codes(gs)
    if groups is not None and len(labels) != groups:
        raise StatisticsError(f"{what} needs exactly {groups} groups, got {len(labels)}")
    if len(labels) < 2:
        raise StatisticsError(f"{what} needs at least 2 groups; all observations are in one")
    samples = [values[codes == i] for i in range(len(labels))]
    return Grouped(labels, samples, n_missing)


def as_cross_table(a: Any, b: Any, *, missing: Missing, what: str) -> CrossTable:
    """Contingency table of two categorical vectors (each needs at least 2 observed levels)."""
    sa, sb, n_missing = _complete(_series(a, "a"), _series(b, "b"), ("a", "b"), missing)
    ca, rows = _codes(sa)
    cb, cols = _codes(sb)
    for name, labels in (("a", rows), ("b", cols)):
        if len(labels) < 2:
            raise StatisticsError(f"{what} needs at least 2 levels in {name}, got {len(labels)}")
    counts = np.zeros((len(rows), len(cols)), dtype=np.int64)
    np.add.at(counts, (ca, cb), 1)
    return CrossTable(counts, rows, cols, n_missing)
