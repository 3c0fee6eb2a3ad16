"""External validation cohort: thresholds frozen from the training run, given, or missing.

discrimination and survival_stratification dichotomise scores at a threshold; a cohort without
a training set takes the score's given ``threshold``, else ``ctx.thresholds`` (what the applied
model's training run fixed), and ``fixed_thresholds`` hands a training run's thresholds on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from remarkit import InputError
from remarkit.plugins.evaluators.discrimination import Discrimination
from remarkit.plugins.evaluators.survival_stratification import SurvivalStratification
from remarkit.report.plots import roc as roc_plots
from remarkit.stats import auc_ci, diagnostic_metrics, youden_threshold
from tests.evaluators.external import Cohorts, make_cohorts

PERF = {"scores": [{"column": "score_a", "label": "Score A model"}, {"column": "score_b"}]}
SURV = {
    "scores": [{"column": "score_a", "label": "A"}],
    "positive_label": "Predicted responder",
    "negative_label": "Predicted non-responder",
    "risk_times": [0, 12, 24, 36],
}


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> Cohorts:
    return make_cohorts(tmp_path_factory.mktemp("external"))


def _external_arrays(c: Cohorts, column: str) -> tuple[np.ndarray, np.ndarray]:
    cohort = c.external
    return cohort.outcome.to_numpy(dtype=int), cohort.data[column].to_numpy(dtype=float)


def test_fixed_thresholds_are_the_training_thresholds(cohorts: Cohorts) -> None:
    ran = cohorts.run(Discrimination, PERF, external=False)
    fixed = ran.unit.fixed_thresholds("perf", ran.result)
    cohort = cohorts.training
    train = (cohort.split == "train").to_numpy()
    y = cohort.outcome.to_numpy(dtype=int)[train]
    want = {
        c: youden_threshold(y, cohort.data[c].to_numpy(dtype=float)[train]).threshold
        for c in ("score_a", "score_b")
    }
    assert fixed == want
    surv = cohorts.run(SurvivalStratification, SURV, external=False)
    assert surv.unit.fixed_thresholds("surv", surv.result) == {"score_a": want["score_a"]}
    given = {"scores": [{"column": "score_a", "threshold": 0.25}]}
    ran = cohorts.run(Discrimination, given, external=False)
    assert ran.unit.fixed_thresholds("perf", ran.result) == {"score_a": 0.25}


def test_frozen_threshold_gives_the_metrics_of_that_threshold(cohorts: Cohorts) -> None:
    frozen = {"score_a": 0.61, "score_b": -0.2, "unrelated.column": 3.0}
    ran = cohorts.run(Discrimination, PERF, external=True, thresholds=frozen)
    for block in ran.result.scores:
        assert block.threshold.source == "frozen"
        assert block.threshold.value == frozen[block.column]
        assert block.threshold.youden is None and block.train is None
        y, s = _external_arrays(cohorts, block.column)
        want = diagnostic_metrics(y, (s >= frozen[block.column]).astype(int))
        got = block.test
        assert (got.tp, got.fp, got.tn, got.fn) == (want.tp, want.fp, want.tn, want.fn)
        for name in ("sensitivity", "specificity", "ppv", "npv", "accuracy"):
            mine, theirs = getattr(got, name), getattr(want, name)
            assert (mine.estimate, mine.lower, mine.upper) == (
                theirs.estimate,
                theirs.lower,
                theirs.upper,
            )
        auc = auc_ci(y, s)
        assert (got.auc, got.auc_lower, got.auc_upper, got.auc_se) == (
            auc.auc,
            auc.lower,
            auc.upper,
            auc.se,
        )
    # frozen thresholds were not fixed on this cohort: nothing to hand on
    assert ran.unit.fixed_thresholds("perf", ran.result) == {}


def test_external_set_equals_the_training_runs_test_set(cohorts: Cohorts) -> None:
    training = cohorts.run(Discrimination, PERF, external=False)
    fixed = training.unit.fixed_thresholds("perf", training.result)
    external = cohorts.run(Discrimination, PERF, external=True, thresholds=fixed)
    for mine, theirs in zip(external.result.scores, training.result.scores, strict=True):
        assert mine.test == theirs.test
        assert mine.threshold.value == theirs.threshold.value


def test_given_threshold_wins_and_is_not_range_checked(cohorts: Cohorts) -> None:
    params = {"scores": [{"column": "score_a", "threshold": 99.0}, {"column": "score_b"}]}
    ran = cohorts.run(
        Discrimination, params, external=True, thresholds={"score_a": 0.5, "score_b": 0.1}
    )
    a, b = ran.result.scores
    assert (a.threshold.value, a.threshold.source, a.threshold.youden) == (99.0, "given", None)
    assert (b.threshold.value, b.threshold.source) == (0.1, "frozen")
    assert a.test.tp + a.test.fp == 0  # every patient predicted negative, with a warning
    assert any("every patient there is predicted negative" in w for w in ran.result.warnings)
    assert ran.unit.fixed_thresholds("perf", ran.result) == {}
    methods = ran.methods()
    assert "fixed on the training set of the applied model (pre-specified for Score A)" in methods


def test_missing_threshold_is_an_input_error(cohorts: Cohorts) -> None:
    with pytest.raises(InputError) as info:
        cohorts.run(Discrimination, PERF, external=True, thresholds={"score_a": 0.5})
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("Score B: no threshold for column 'score_b'")
    assert "no training set" in message and "the applied model fixed none" in message
    assert "give the score a 'threshold'" in message
    with pytest.raises(InputError, match=r"^A: no threshold for column 'score_a'"):
        cohorts.run(SurvivalStratification, SURV, external=True)


def test_external_roc_figure_has_one_panel(
    cohorts: Cohorts, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles: list[list[str]] = []
    original = roc_plots.roc_figure

    def spy(panels, **kwargs):  # type: ignore[no-untyped-def]
        titles.append([p.title for p in panels])
        return original(panels, **kwargs)

    monkeypatch.setattr(roc_plots, "roc_figure", spy)
    params = {**PERF, "subgroup": "stage"}
    ran = cohorts.run(
        Discrimination, params, external=True, thresholds={"score_a": 0.6, "score_b": 0.0}
    )
    assert titles == [
        ["External validation set"],
        ["I\nexternal validation set", "II\nexternal validation set"],
    ]
    assert {c.split for c in ran.result.subgroups} == {"test"}
    roc = ran.result.figures[0]
    assert "external validation set" in roc.caption and "(left)" not in roc.caption
    assert "fixed on the training set of the applied model" in roc.caption


def test_survival_uses_the_frozen_threshold_on_the_external_set(cohorts: Cohorts) -> None:
    training = cohorts.run(SurvivalStratification, SURV, external=False)
    fixed = training.unit.fixed_thresholds("surv", training.result)
    ran = cohorts.run(SurvivalStratification, SURV, external=True, thresholds=fixed)
    score = ran.result.scores[0]
    assert (score.threshold.source, score.threshold.value) == ("frozen", fixed["score_a"])
    # 'all' is the external set itself: shown once
    assert [p.population for p in score.populations] == ["test"]
    test_row = next(p for p in training.result.scores[0].populations if p.population == "test")
    assert score.populations[0] == test_row
    assert ran.result.set_names == {"all": "Whole cohort", "test": "External validation set"}
    only_all = cohorts.run(
        SurvivalStratification, {**SURV, "populations": ["all"]}, external=True, thresholds=fixed
    )
    assert [p.population for p in only_all.result.scores[0].populations] == ["all"]
    assert "fixed on the training set of the applied model" in ran.result.figures[0].caption


def test_survival_given_threshold_and_training_population(cohorts: Cohorts) -> None:
    params = {**SURV, "scores": [{"column": "score_a", "threshold": 0.4}]}
    ran = cohorts.run(SurvivalStratification, params, external=True, thresholds={"score_a": 9.0})
    assert ran.result.scores[0].threshold.source == "given"
    assert ran.result.scores[0].threshold.value == 0.4
    assert ran.unit.fixed_thresholds("surv", ran.result) == {}
    with pytest.raises(
        InputError, match=r"populations \['train'\] have no patients: .*no training"
    ):
        cohorts.run(SurvivalStratification, {**SURV, "populations": ["train"]}, external=True)


def test_fragments_and_methods_name_only_the_external_set(cohorts: Cohorts) -> None:
    thresholds = {"score_a": 0.6, "score_b": 0.0}
    perf = cohorts.run(
        Discrimination, {**PERF, "subgroup": "stage"}, external=True, thresholds=thresholds
    )
    surv = cohorts.run(SurvivalStratification, SURV, external=True, thresholds=thresholds)
    for ran in (perf, surv):
        fragment = ran.fragment()
        assert fragment.problems == []
        html = fragment.html
        assert "External validation set" in html
        for name in ("Train set", "Training set", "Test set", "Whole cohort"):
            assert name not in html
        assert "fixed on the training set of the applied model" in html
        methods = ran.methods()
        assert "external validation set" in methods
        assert "fixed on the training set of the applied model" in methods
        assert "training and test" not in methods and "test set" not in methods
    # one table row per score block (no training row), one per subgroup cell
    assert perf.fragment().html.count("<td>External validation set</td>") == 2 + 2 * 2


def test_training_results_carry_no_set_names(cohorts: Cohorts, tmp_path: Path) -> None:
    ran = cohorts.run(Discrimination, PERF, external=False)
    assert "set_names" not in ran.json()
    assert ran.result.set_names is None
    external = cohorts.run(
        Discrimination, PERF, external=True, thresholds={"score_a": 0.5, "score_b": 0.5}
    )
    assert external.json()["set_names"] == {
        "all": "Whole cohort",
        "test": "External validation set",
    }
    assert external.json()["scores"][0]["train"] is None
