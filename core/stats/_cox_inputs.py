"""Validated inputs of a Cox model: times, events, design matrix, strata and tie rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from remarkit.errors import StatisticsError
from remarkit.stats._cox_fit import Ties
from remarkit.stats._design import Design, build_design, check_full_rank
from remarkit.stats._strata import strata_codes
from remarkit.stats._surv_input import (
    FloatArray,
    IntArray,
    as_name_list,
    as_time_event,
    check_columns,
)


@dataclass(frozen=True)
class CoxInputs:
    """Everything a Cox fit needs, checked."""

    time: FloatArray
    event: IntArray
    design: Design
    predictors: list[str]
    strata: list[str]
    codes: IntArray
    labels: list[str]
    ties: Ties


def cox_inputs(
    data: pd.DataFrame,
    time: str,
    event: str,
    predictors: Any,
    *,
    reference: Mapping[str, Any] | None,
    ties: str,
    strata: Any,
) -> CoxInputs:
    """Check the columns and options of a Cox model and build its design matrix."""
    names = as_name_list(predictors)
    if time in names or event in names:
        raise StatisticsError("time and event cannot also be predictors")
    if ties not in ("efron", "breslow"):
        raise StatisticsError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    tie_rule: Ties = "efron" if ties == "efron" else "breslow"
    check_columns(data, [time, event, *names])
    strata_names, codes, labels = strata_codes(data, strata)
    clash = sorted(set(strata_names) & {time, event, *names})
    if clash:
        raise StatisticsError(f"strata column(s) {', '.join(map(repr, clash))} also in the model")
    t, e = as_time_event(data[time].to_numpy(), data[event].to_numpy())
    if e.sum() == 0:
        raise StatisticsError("there are no events; a Cox model needs at least one")
    design = build_design(data, names, reference)
    check_full_rank(design, "Cox model")
    return CoxInputs(t, e, design, names, strata_names, codes, labels, tie_rule)
