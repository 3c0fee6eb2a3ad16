"""deep_score with missing outcomes: those training patients are scored, never trained on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.deep_learning.conftest import FAST, Runner, StudyCopy


def test_training_patients_with_a_missing_outcome_are_scored_not_fitted(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST + 'gradcam_patients = ["P001"]\n')
    table = pd.read_csv(spec.parent / "cohort.csv")
    unknown = ["P001", "P002"]
    assert set(table.loc[table["pid"].isin(unknown), "set"]) == {"train"}
    table.loc[table["pid"].isin(unknown), "response"] = None
    table.to_csv(spec.parent / "cohort.csv", index=False)
    results = run_study(spec, tmp_path / "out")
    record = next(u for u in results.units if u.id == "a_cnn")
    assert record.status == "ok", record.error
    result = record.model_dump(mode="json")["result"]
    n_train = int((table["set"] == "train").sum())
    assert result["n_fit"] + result["n_internal"] == n_train - len(unknown)
    assert result["exclusions"] == [
        {"reason": "missing outcome", "ids": unknown, "scope": "training"}
    ]
    column = result["columns"][0]
    scores = dict(zip(column["ids"], column["values"], strict=True))
    assert all(scores[p] is not None for p in unknown)
    assert [(g["patient"], g["outcome_label"]) for g in result["gradcam"]] == [("P001", "missing")]
