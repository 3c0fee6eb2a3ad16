"""Plausible ranges: ``range = [lo, hi]`` on declared and derived continuous variables."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from remarkit.engine.derive.records import RangeWarning
from remarkit.engine.derive.rules import MAX_SHOWN, number
from remarkit.engine.spec import VariableSpec
from remarkit.errors import InputError
from remarkit.text import name_ids


def check_range_spec(
    field: str, kind: str, bounds: tuple[float, float] | None
) -> InputError | None:
    """A range must be two finite numbers, low < high, on a continuous variable."""
    if bounds is None:
        return None
    lo, hi = bounds
    if kind != "continuous":
        return InputError("a plausible range applies to continuous variables only", field=field)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return InputError(f"range [{lo}, {hi}] must be finite numbers", field=field)
    if not lo < hi:
        return InputError(f"range [{number(lo)}, {number(hi)}] must have low < high", field=field)
    return None


def declared_range_errors(variables: Mapping[str, VariableSpec]) -> list[InputError]:
    """Problems of the ``range`` fields of ``[cohort.variables.NAME]``."""
    found = [
        check_range_spec(f"cohort.variables.{name}.range", var.type, var.range)
        for name, var in variables.items()
    ]
    return [e for e in found if e is not None]


def out_of_range(
    values: pd.Series,
    name: str,
    bounds: tuple[float, float],
    action: str,
    *,
    column: str | None,
    field: str | None,
    file: str | None,
) -> InputError | RangeWarning | None:
    """Values outside ``bounds``: one error or one warning naming the rows and values."""
    lo, hi = bounds
    x = values.to_numpy(dtype=float)
    bad = ~np.isnan(x) & ((x < lo) | (x > hi))
    if not bad.any():
        return None
    positions = np.flatnonzero(bad)
    shown = name_ids([f"{number(float(x[p]))} (row {p + 2})" for p in positions], MAX_SHOWN)
    message = (
        f"{len(positions)} value(s) outside the plausible range [{number(lo)}, {number(hi)}]: "
        f"{shown}"
    )
    if action == "error":
        return InputError(message, file=file, column=column, field=field)
    where = f"{file}: " if file else ""
    target = f"column '{column}'" if column else f"field '{field}'"
    return RangeWarning(
        variable=name,
        low=lo,
        high=hi,
        rows=[int(p) + 2 for p in positions],
        message=f"{where}{target}: {message}",
    )
