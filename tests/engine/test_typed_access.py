"""Typed accessors: the binary outcome a unit needs, and numeric table cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit import InputError
from remarkit.cells import cell_float, cell_int
from remarkit.engine.spec import CohortSpec, OutcomeSpec


def test_binary_outcome_returns_the_outcome() -> None:
    outcome = OutcomeSpec(column="response", positive="DCB", label="Benefit")
    spec = CohortSpec(table=Path("cohort.csv"), id="pid", outcome=outcome)
    assert spec.binary_outcome() is outcome


def test_binary_outcome_missing_is_an_input_error() -> None:
    spec = CohortSpec(table=Path("cohort.csv"), id="pid")
    with pytest.raises(InputError) as info:
        spec.binary_outcome()
    assert str(info.value) == (
        "field 'cohort.outcome': the cohort has no binary outcome, which this analysis needs"
    )


def test_cells_read_numbers_from_table_rows() -> None:
    row = next(pd.DataFrame({"a": [1.5], "n": [3]}).itertuples(index=False))
    assert cell_float(row.a) == 1.5
    assert cell_int(row.n) == 3
    assert np.isnan(cell_float(np.nan))
    assert cell_int(2.9) == 2


@pytest.mark.parametrize("value", [None, pd.NA, "x", pd.Timestamp("2020-01-01")])
def test_cells_reject_non_numbers(value: object) -> None:
    with pytest.raises(TypeError, match="expected a number"):
        cell_float(value)
    with pytest.raises(TypeError, match="expected a whole number"):
        cell_int(value)


def test_derived_columns_keep_their_labels() -> None:
    from remarkit.engine.cohort import Cohort
    from remarkit.engine.unit import DerivedColumn

    ids = pd.Index(["p1", "p2"], dtype=str)
    cohort = Cohort(
        data=pd.DataFrame(index=ids),
        split=pd.Series(["train", "test"], index=ids),
        outcome=pd.Series([np.nan, np.nan], index=ids),
        spec=CohortSpec(table=Path("cohort.csv"), id="pid"),
    )
    labelled = DerivedColumn(
        name="decline", kind="continuous", ids=list(ids), values=[1.0, 2.0], label="AFP decline"
    )
    bare = DerivedColumn(name="z", kind="continuous", ids=list(ids), values=[0.0, 1.0])
    merged = cohort.with_derived("afp", [labelled, bare]).with_derived("other", [])
    assert merged.label("afp.decline") == "AFP decline"
    assert merged.label("afp.z") == "afp.z"
