"""External validation cohort: per-set evaluators report only the set present; no bootstrap.

Each unit's external-set numbers equal its training run's test-set numbers (the same patients),
templates show the set as 'External validation set', and a training population is refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from remarkit import InputError
from remarkit.plugins.evaluators.calibration import Calibration
from remarkit.plugins.evaluators.decision_curve import DecisionCurve
from remarkit.plugins.evaluators.group_comparison import GroupComparison
from remarkit.plugins.evaluators.internal_validation import InternalValidation
from remarkit.plugins.evaluators.model_comparison import ModelComparison
from remarkit.stats import auc_ci
from tests.evaluators.external import Cohorts, Ran, make_cohorts

EXTERNAL = "External validation set"
OTHER_NAMES = ("Train set", "Training set", "training set", "Test set", "test set")


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> Cohorts:
    return make_cohorts(tmp_path_factory.mktemp("external_sets"))


def _check_external_text(ran: Ran) -> str:
    fragment = ran.fragment()
    assert fragment.problems == []
    for name in OTHER_NAMES:
        assert name not in fragment.html
        assert name not in ran.methods()
    assert "external validation set" in ran.methods()
    return fragment.html


def test_model_comparison_compares_on_the_external_set_only(cohorts: Cohorts) -> None:
    params = {"scores": [{"column": "score_a"}, {"column": "score_b"}, {"column": "prob_b"}]}
    training = cohorts.run(ModelComparison, params, external=False)
    ran = cohorts.run(ModelComparison, params, external=True)
    assert [c.split for c in ran.result.comparisons] == ["test"] * 3
    assert ran.result.comparisons == [c for c in training.result.comparisons if c.split == "test"]
    y = cohorts.external.outcome.to_numpy(dtype=int)
    first = ran.result.comparisons[0]
    assert first.auc_a == auc_ci(y, cohorts.external.data["score_a"].to_numpy(float)).auc
    html = _check_external_text(ran)
    assert html.count("Table ") == 1
    assert "Pairwise DeLong comparison of AUCs, external validation set" in html


def test_calibration_has_one_set_and_one_panel(cohorts: Cohorts) -> None:
    params = {"scores": [{"column": "prob_a"}, {"column": "prob_b"}]}
    training = cohorts.run(Calibration, params, external=False)
    ran = cohorts.run(Calibration, params, external=True)
    for mine, theirs in zip(ran.result.models, training.result.models, strict=True):
        assert [s.split for s in mine.sets] == ["test"]
        assert mine.sets[0] == theirs.sets[1]
    caption = ran.result.figures[0].caption
    assert caption.startswith("Calibration of Model A probability in the external validation set:")
    html = _check_external_text(ran)
    assert html.count(f"<td>{EXTERNAL}</td>") == 2


def test_decision_curve_on_the_external_set(cohorts: Cohorts) -> None:
    params = {"scores": [{"column": "prob_a"}]}
    training = cohorts.run(DecisionCurve, params, external=False)
    ran = cohorts.run(DecisionCurve, params, external=True)
    assert ran.result.model_dump(exclude={"figures", "set_names"}) == training.result.model_dump(
        exclude={"figures", "set_names"}
    )
    html = _check_external_text(ran)
    assert "selected threshold probabilities, external validation set (n = 80" in html
    with pytest.raises(InputError) as info:
        cohorts.run(DecisionCurve, {**params, "population": "train"}, external=True)
    assert str(info.value) == (
        "decision_curve: population 'train' has no patients: the cohort has no training set "
        "(an external validation cohort)"
    )


def test_group_comparison_names_the_external_set(cohorts: Cohorts) -> None:
    params: dict[str, Any] = {"scores": [{"column": "score_a"}], "group": "grade"}
    ran = cohorts.run(GroupComparison, {**params, "population": "test"}, external=True)
    assert ran.result.subset == "all patients in the external validation set"
    training = cohorts.run(GroupComparison, {**params, "population": "test"}, external=False)
    assert ran.result.scores == training.result.scores
    assert ran.fragment().problems == []
    whole = cohorts.run(GroupComparison, params, external=True)
    assert whole.result.subset == "all patients" and whole.result.n == 80
    with pytest.raises(InputError, match=r"^group_comparison: population 'train' has no"):
        cohorts.run(GroupComparison, {**params, "population": "train"}, external=True)


@pytest.mark.parametrize("population", ["train", "all"])
def test_internal_validation_needs_a_training_set(cohorts: Cohorts, population: str) -> None:
    params = {
        "models": [{"label": "Model 1", "predictors": ["score_a"]}],
        "n_boot": 5,
        "population": population,
    }
    with pytest.raises(InputError) as info:
        cohorts.run(InternalValidation, params, external=True)
    assert str(info.value) == (
        "internal_validation needs a training set (the bootstrap refits each model on it), "
        "which an external validation cohort does not have"
    )
