"""The marker-response bootstrap: counts-based (O(n) per replicate) thresholds equal the
straightforward loop (resample, then ``youden_threshold``) draw for draw."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from remarkit.plugins.marker_response.compute import bootstrap_thresholds
from remarkit.stats import youden_threshold


def _loop(y: np.ndarray, x: np.ndarray, direction: str, replicates: int, seed: int) -> np.ndarray:
    """The definition: stratified resample of cases and controls, pROC's chosen optimum."""
    rng = np.random.default_rng(seed)
    cases, controls = x[y == 1], x[y == 0]
    labels = np.concatenate((np.ones(cases.size), np.zeros(controls.size)))
    out = np.empty(replicates)
    for b in range(replicates):
        scores = np.concatenate(
            (
                cases[rng.integers(0, cases.size, cases.size)],
                controls[rng.integers(0, controls.size, controls.size)],
            )
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[b] = youden_threshold(labels, scores, direction=direction).threshold
    return out[np.isfinite(out)]


def _data(kind: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    g = np.random.default_rng(seed)
    n = int(g.integers(6, 250))
    y = (g.random(n) < g.uniform(0.2, 0.8)).astype(float)
    y[:2] = (0.0, 1.0)
    if kind == "ties":
        x = g.integers(-3, 4, n).astype(float)
    elif kind == "rounded":
        x = np.round(g.normal(50, 30, n), 1)
    elif kind == "constant":
        x = np.full(n, 12.5)
    elif kind == "huge":
        x = np.where(g.random(n) < 0.5, 1e308, -1e308)
    elif kind == "adjacent":  # neighbouring doubles: the midpoint rounds onto a value
        x = np.nextafter(1.0, 2.0, dtype=float) * (g.random(n) < 0.5) + 1.0 * (g.random(n) >= 0.5)
    else:
        x = g.normal(0, 1, n) + 0.7 * y
    return y, x


@pytest.mark.parametrize("direction", ["<", ">"])
@pytest.mark.parametrize("kind", ["ties", "rounded", "constant", "huge", "adjacent", "normal"])
@pytest.mark.parametrize("seed", [1, 2])
def test_equals_the_resample_loop(kind: str, direction: str, seed: int) -> None:
    y, x = _data(kind, seed)
    fast = bootstrap_thresholds(
        y, x, direction=direction, replicates=40, rng=np.random.default_rng(seed + 50)
    )
    slow = _loop(y, x, direction, 40, seed + 50)
    assert fast.shape == slow.shape
    assert np.array_equal(fast, slow)
