"""Analysis populations: counts from a patient mask, validation, and merging per set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit.engine.load import load_study
from remarkit.engine.population import (
    binary_population,
    merged,
    population,
    survival_population,
)
from remarkit.engine.validate import load_cohort
from tests.survival.conftest import VARIABLES, spec_text, survival_frame


def test_counts_from_a_mask(tmp_path: Path) -> None:
    frame = survival_frame()
    frame.to_csv(tmp_path / "cohort.csv", index=False)
    (tmp_path / "study.toml").write_text(spec_text(VARIABLES), encoding="utf-8")
    cohort = load_cohort(load_study(tmp_path / "study.toml"))
    train = cohort.split == "train"
    got = binary_population(cohort, train, "fit")
    part = frame[frame["set"] == "train"]
    assert (got.sets, got.endpoint, got.n, got.events, got.analysis) == (
        ["train"],
        "outcome",
        len(part),
        int((part["response"] == "yes").sum()),
        "fit",
    )
    everyone = pd.Series(True, index=cohort.data.index)
    pfs = survival_population(cohort, everyone, "pfs")
    known = pd.to_numeric(frame["pfs"], errors="coerce").notna()
    assert (pfs.sets, pfs.endpoint, pfs.n) == (["all"], "pfs", int(known.sum()))
    assert pfs.events == int(frame.loc[known, "progression"].sum())
    deaths = survival_population(cohort, cohort.split == "test")
    assert (deaths.endpoint, deaths.sets) == ("survival", ["test"])
    assert deaths.events == int(frame.loc[frame["set"] == "test", "death"].sum())


def test_validation_and_merging() -> None:
    with pytest.raises(ValidationError):
        population("validation", "outcome", 10, 2)
    with pytest.raises(ValidationError):
        population("train", "outcome", -1, 0)
    same = [population("train", "outcome", 10, 3, name) for name in ("A", "B")]
    assert merged(same) == [population("train", "outcome", 10, 3)]
    differ = [population("test", "outcome", n, 1, f"S{n}") for n in (4, 5, 6, 7, 7)]
    assert [(p.analysis, p.n) for p in merged(differ)] == [
        ("S4", 4),
        ("S5", 5),
        ("S6", 6),
        ("S7", 7),
    ]
    many = [population("test", "", n, None, f"V{n}") for n in (1, 2, 2, 2, 2)]
    assert merged(many, "models")[1].analysis == "models: V2"
    more = many + [population("test", "", 2, None, f"W{i}") for i in range(3)]
    assert merged(more)[1].analysis == "V2, W0, W1 and 1 more"
