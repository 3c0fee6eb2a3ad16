"""internal_validation: equals bootstrap_optimism with the recorded seed; seeded; bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from remarkit.errors import InputErrors
from remarkit.stats import bootstrap_optimism
from tests.evaluators.conftest import SPEC, Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "iv"
use = "internal_validation"
n_boot = 40
models = [
  {label = "Model 1", predictors = ["score_a", "stage"]},
  {label = "Model 2", predictors = ["marker", "regimen"]},
]
"""


def _train_data(frame: pd.DataFrame, predictors: list[str]) -> pd.DataFrame:
    train = frame[frame["set"] == "train"]
    data = pd.DataFrame({"y": (train["response"] == "yes").astype(float)})
    for column in predictors:
        values = train[column]
        data[column] = values if values.dtype != object else pd.Categorical(values)
    return data.dropna()


def test_equals_bootstrap_optimism_with_the_recorded_seed(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["iv"])
    frame = evaluator_frame()
    seeds = set()
    for model, predictors in zip(
        result["models"], [["score_a", "stage"], ["marker", "regimen"]], strict=True
    ):
        want = bootstrap_optimism(
            _train_data(frame, predictors), "y", predictors, n_boot=40, seed=model["seed"]
        )
        assert model["terms"] == want.terms
        assert (model["n"], model["events"], model["n_successful"]) == (
            want.n,
            want.events,
            want.n_successful,
        )
        for row, (_, exp) in zip(model["indexes"], want.table.iterrows(), strict=True):
            assert row["index"] == exp["index"]
            for key in ("apparent", "optimism", "corrected"):
                assert row[key] == exp[key]
        seeds.add(model["seed"])
    assert len(seeds) == 2


def test_seeded_by_the_study(run_study: Runner) -> None:
    first = ok(run_study(UNITS)["iv"])
    again = ok(run_study(UNITS)["iv"])
    assert first == again
    other = ok(run_study(UNITS, spec=SPEC.replace("seed = 11", "seed = 12"))["iv"])
    assert other["models"][0]["seed"] != first["models"][0]["seed"]
    assert (
        other["models"][0]["indexes"][0]["apparent"] == first["models"][0]["indexes"][0]["apparent"]
    )


def test_missing_predictor_values_are_named(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame.loc[[2, 11], "marker"] = float("nan")
    result = ok(run_study(UNITS, frame)["iv"])
    assert result["models"][1]["excluded"] == ["P002", "P011"]
    assert result["models"][1]["n"] == result["models"][0]["n"] - 2
    assert any(
        "Model 2: 2 patient(s) with a missing 'marker' left out (P002, P011)" in w
        for w in result["warnings"]
    )


def test_unknown_predictor_is_rejected_by_the_planner(run_study: Runner) -> None:
    with pytest.raises(InputErrors, match="needs column 'nope'"):
        run_study(UNITS.replace('"marker", "regimen"', '"nope"'))


SELECTED = """
[[unit]]
id = "iv"
use = "internal_validation"
n_boot = 30
models = [
  {label = "Selected", predictors = ["score_a", "stage"], selection = {candidates = ["score_a", "stage", "marker", "regimen"], p_threshold = 0.2, force = ["stage"]}},
]
"""


def test_selection_is_repeated_in_every_replicate(run_study: Runner) -> None:
    from remarkit.plugins.evaluators.internal_validation import (
        InternalValidation,
        InternalValidationParams,
        InternalValidationResult,
    )
    from remarkit.stats import bootstrap_optimism_selected

    raw = ok(run_study(SELECTED)["iv"])
    (model,) = raw["models"]
    candidates = ["score_a", "stage", "marker", "regimen"]
    frame = evaluator_frame()
    train = frame[frame["set"] == "train"]
    data = pd.DataFrame({"y": (train["response"] == "yes").astype(float)})
    for column in candidates:
        values = train[column]
        data[column] = values if values.dtype != object else pd.Categorical(values)
    want = bootstrap_optimism_selected(
        data, "y", candidates, p_threshold=0.2, force=["stage"], n_boot=30, seed=model["seed"]
    )
    assert model["selection"]["selected"] == want.selected
    assert [f["selected"] for f in model["selection"]["frequency"]] == want.frequency[
        "selected"
    ].tolist()
    for row, (_, exp) in zip(model["indexes"], want.table.iterrows(), strict=True):
        assert row["corrected"] == exp["corrected"]
    result = InternalValidationResult.model_validate(raw)
    params = InternalValidationParams.model_validate(
        {"models": [{"label": "Selected", "predictors": ["score_a", "stage"]}]}
    )
    text = InternalValidation().methods(result, params)
    assert "the variable selection was repeated in every replicate" in text
    assert "stage forced in" in text


def test_selection_force_must_be_a_candidate() -> None:
    from pydantic import ValidationError

    from remarkit.plugins.evaluators.internal_validation import SelectionSpec

    with pytest.raises(ValidationError, match="force lists variables that are not candidates"):
        SelectionSpec(candidates=["a"], force=["b"])


def test_selection_frequency_in_the_report(run_study: Runner, tmp_path: object) -> None:
    from remarkit.report.render import ReportState, render_unit
    from remarkit.report.templates import make_environment

    raw = ok(run_study(SELECTED)["iv"])
    html = str(render_unit(make_environment(), {"result": raw}, ReportState(tmp_path)))  # type: ignore[arg-type]
    assert "the variable selection was repeated in every replicate" in html
    assert "stage 100%" in html
