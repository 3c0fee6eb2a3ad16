"""The architecture selection rules, on the internal validation split only."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from torch import nn

from remarkit.plugins.deep_learning.fitting import Candidate, _auc_se, choose
from remarkit.plugins.deep_learning.pipeline import pick_gradcam
from remarkit.plugins.deep_learning.training import Trained
from remarkit.stats import auc_ci


def _candidate(name: str, auc: float, loss: float, n_parameters: int, se: float) -> Candidate:
    trained = Trained(model=nn.Identity(), best_epoch=1, val_loss=loss, val_auc=auc)
    return Candidate(name, nn.Identity(), trained, [], n_parameters, se)


def test_one_se_rule_prefers_the_smaller_model_within_one_se() -> None:
    cnn = _candidate("cnn", 0.60, 0.66, 6_000, 0.10)
    resnet = _candidate("resnet18", 0.65, 0.65, 11_000_000, 0.09)
    assert choose([cnn, resnet], "one_se") == (0, [])  # 0.60 >= 0.65 - 0.09
    assert choose([cnn, resnet], "best") == (1, [])
    weak = _candidate("cnn", 0.55, 0.66, 6_000, 0.10)
    assert choose([weak, resnet], "one_se") == (1, [])  # 0.55 < 0.56


def test_best_rule_ties_go_to_lower_loss_then_order() -> None:
    a = _candidate("cnn", 0.7, 0.60, 6_000, 0.1)
    b = _candidate("resnet18", 0.7, 0.55, 11_000_000, 0.1)
    assert choose([a, b], "best")[0] == 1
    c = _candidate("resnet18", 0.7, 0.60, 11_000_000, 0.1)
    assert choose([a, c], "best")[0] == 0
    nan = _candidate("resnet18", math.nan, 0.5, 11_000_000, math.nan)
    assert choose([nan, a], "best")[0] == 1


def test_one_se_without_a_standard_error_falls_back_with_a_warning() -> None:
    a = _candidate("cnn", 0.60, 0.66, 6_000, math.nan)
    b = _candidate("resnet18", 0.70, 0.65, 11_000_000, math.nan)
    index, warnings = choose([a, b], "one_se")
    assert index == 1
    assert warnings == [
        "one-SE rule not applicable: the internal validation split has fewer than two patients "
        "of a class, so the highest internal AUC decided"
    ]
    assert choose([a], "one_se") == (0, [])


def test_delong_se_of_the_internal_auc() -> None:
    """remarkit.stats' DeLong SE (checked against pROC there); NaN, not a warning, when undefined."""
    y = np.array([0, 0, 0, 1, 1, 1])
    score = np.array([0.1, 0.4, 0.35, 0.8, 0.3, 0.9])
    assert _auc_se(y, score) == auc_ci(y, score).se
    assert _auc_se(y, score) == pytest.approx(0.248452, abs=1e-6)
    assert math.isnan(_auc_se(np.array([0, 1, 1]), np.array([0.2, 0.5, 0.7])))


def test_gradcam_picks_alternate_highest_and_lowest_per_split() -> None:
    patients = ["A", "B", "C", "D", "E", "F"]
    split = np.array(["train", "train", "train", "test", "test", "train"])
    scores = np.array([0.9, 0.2, 0.9, 0.5, 0.1, 0.4])
    # train by score then id: A (0.9), C (0.9), F, B; test: D, E
    assert pick_gradcam(patients, split, scores, [], 3) == [0, 1, 2, 3, 4]
    assert pick_gradcam(patients, split, scores, [], 1) == [0, 3]
    assert pick_gradcam(patients, split, scores, ["E", "B"], 2) == [4, 1]
    assert pick_gradcam(patients, split, scores, [], 0) == []


def test_loading_the_plugin_does_not_import_torch() -> None:
    code = "import sys, remarkit.plugins.deep_learning; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
