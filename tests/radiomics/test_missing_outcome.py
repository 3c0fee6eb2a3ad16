"""radiomics_score with missing outcomes: those training patients are scored but not trained on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.radiomics.conftest import run_study
from tests.radiomics.study import write_study


def test_training_patients_with_a_missing_outcome_are_scored_not_fitted(tmp_path: Path) -> None:
    pytest.importorskip("radiomics")
    spec = write_study(tmp_path / "study")
    table = pd.read_csv(spec.parent / "cohort.csv")
    blank = table.index[table["set"] == "train"][:3]
    table.loc[blank, "response"] = None
    table.to_csv(spec.parent / "cohort.csv", index=False)
    ids = [str(p) for p in table.loc[blank, "patient_id"]]
    data = run_study(spec, tmp_path / "out")
    record = next(u for u in data["units"] if u["id"] == "a_radiomics")
    assert record["status"] == "ok", record["error"]
    result = record["result"]
    assert result["n_train"] == int((table["set"] == "train").sum()) - 3
    assert result["exclusions"] == [{"reason": "missing outcome", "ids": ids, "scope": "training"}]
    column = result["columns"][0]
    scores = dict(zip(column["ids"], column["values"], strict=True))
    assert all(scores[p] is not None for p in ids)
    assert data["cohort"]["missing_outcome_train"] == 3
