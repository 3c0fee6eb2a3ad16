"""The shared guard against an infinite Youden optimum."""

from __future__ import annotations

import numpy as np
import pytest

from remarkit import StatisticsError
from remarkit.modeling.thresholds import finite_optimum, finite_ties, require_finite_optimum
from remarkit.stats import youden_threshold


def test_finite_optimum_is_returned() -> None:
    best = youden_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]))
    assert require_finite_optimum(best, "model", "") == pytest.approx(0.5)


def test_infinite_optimum_names_the_model_and_reason() -> None:
    best = youden_threshold(np.array([0, 1, 0, 1]), np.array([0.9, 0.1, 0.8, 0.2]))
    assert not np.isfinite(best.threshold)
    with pytest.raises(StatisticsError, match=r"^model: the Youden optimum .* infinite.*; no sep"):
        require_finite_optimum(best, "model", "; no separation")


def test_finite_optimum_and_ties() -> None:
    separating = youden_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]))
    assert finite_optimum(separating) == pytest.approx(0.5)
    assert finite_ties(separating) == [pytest.approx(0.5)]
    reversed_ = youden_threshold(np.array([0, 1, 0, 1]), np.array([0.9, 0.1, 0.8, 0.2]))
    assert finite_optimum(reversed_) is None
    assert all(np.isfinite(finite_ties(reversed_)))
    assert len(finite_ties(reversed_)) < len(reversed_.tied_thresholds)
