"""Strata of a stratified Cox model: the combinations of one or more columns, as strata()."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from remarkit.errors import StatisticsError
from remarkit.stats._surv_input import IntArray, as_name_list, check_columns


def strata_codes(data: pd.DataFrame, strata: Any) -> tuple[list[str], IntArray, list[str]]:
    """Column names, 0-based stratum code per row and labels ``"a=x, b=y"`` (sorted levels).

    ``strata=None`` (or an empty list) is a single stratum with an empty label.
    """
    if strata is None or (not isinstance(strata, str) and len(list(strata)) == 0):
        return [], np.zeros(data.shape[0], dtype=np.int64), [""]
    names = as_name_list(strata)
    check_columns(data, names)
    codes, uniques = pd.MultiIndex.from_frame(data[names].astype(object)).factorize(sort=True)
    labels = [", ".join(f"{n}={v}" for n, v in zip(names, key, strict=True)) for key in uniques]
    if len(labels) < 1:
        raise StatisticsError("strata define no stratum")
    return names, np.asarray(codes, dtype=np.int64), labels
