"""Score columns, sets and wording of survival_discrimination."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from remarkit import InputError, UnitContext
from remarkit.modeling.columns import is_categorical
from remarkit.text import name_ids

Set = Literal["all", "train", "test"]


def score_column(ctx: UnitContext, column: str) -> pd.Series:
    """A continuous score column; unknown, categorical or infinite is a one-line InputError."""
    data = ctx.cohort.data
    if column not in data.columns:
        raise InputError(
            f"column '{column}' is not in the cohort (nor derived by an upstream unit)",
            field="scores",
        )
    if is_categorical(data[column]):
        raise InputError(
            f"column '{column}' is categorical; a score must be continuous", field="scores"
        )
    values = data[column].astype(float)
    infinite = values.index[np.isinf(values.to_numpy())]
    if len(infinite):
        raise InputError(
            f"column '{column}' has infinite value(s) for patient(s) "
            f"{name_ids([str(i) for i in infinite])}",
            field="scores",
        )
    return values


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def set_mask(ctx: UnitContext, which: Set) -> pd.Series:
    """The patients of a set: everyone for 'all', else the split."""
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which
