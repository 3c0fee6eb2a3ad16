"""The cohort's set names and external flag, as units read them (docs/plugins.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from remarkit import DerivedColumn
from remarkit.engine.cohort import Cohort
from remarkit.engine.spec import CohortSpec


def _cohort(split: list[str], *, external: bool = False) -> Cohort:
    ids = pd.Index([f"P{i}" for i in range(len(split))], name="pid")
    return Cohort(
        data=pd.DataFrame({"x": range(len(split))}, index=ids, dtype=float),
        split=pd.Series(split, index=ids),
        outcome=pd.Series([0.0] * len(split), index=ids),
        spec=CohortSpec(table=Path("cohort.csv"), id="pid"),
        external=external,
    )


def test_a_training_run_names_its_sets() -> None:
    cohort = _cohort(["train", "train", "test"])
    assert not cohort.external and cohort.has_training_set
    labels = [cohort.set_label(s) for s in ("all", "train", "test")]
    assert labels == ["Whole cohort", "Training set", "Test set"]


def test_an_external_cohort_is_named_as_such_not_as_a_test_set() -> None:
    cohort = _cohort(["test", "test"], external=True)
    assert cohort.external and not cohort.has_training_set
    assert cohort.set_label("test") == "External validation set"
    assert cohort.set_label("all") == "Whole cohort"
    assert cohort.split_name("test") == cohort.set_label("test")
    # the cohort a downstream unit sees (with an upstream unit's derived column) keeps the flag
    column = DerivedColumn(name="s", kind="continuous", ids=["P0", "P1"], values=[0.5, None])
    scored = cohort.with_derived("m", [column])
    assert "m.s" in scored.data.columns
    assert scored.external and scored.set_label("test") == "External validation set"
