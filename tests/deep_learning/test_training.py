"""Internal split, AUC, deterministic training, early stopping and restoring the best epoch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional as F  # noqa: N812

from remarkit import StatisticsError
from remarkit.plugins.deep_learning.models import build_model
from remarkit.plugins.deep_learning.training import (
    TrainConfig,
    auc,
    deterministic_torch,
    predict_logits,
    stratified_split,
    train,
)
from remarkit.stats import auc_ci


def test_stratified_split_is_seeded_disjoint_and_stratified() -> None:
    y = np.array([1] * 30 + [0] * 20)
    fit, val = stratified_split(y, 0.2, np.random.default_rng(5))
    again_fit, again_val = stratified_split(y, 0.2, np.random.default_rng(5))
    np.testing.assert_array_equal(fit, again_fit)
    np.testing.assert_array_equal(val, again_val)
    assert set(fit).isdisjoint(val) and len(fit) + len(val) == 50
    assert (y[val] == 1).sum() == 6 and (y[val] == 0).sum() == 4
    other, _ = stratified_split(y, 0.2, np.random.default_rng(6))
    assert not np.array_equal(fit, other)
    with pytest.raises(StatisticsError, match="1 patient\\(s\\) with outcome 0"):
        stratified_split(np.array([1, 1, 1, 0]), 0.2, np.random.default_rng(0))


def test_auc_matches_remarkit_stats() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 40)
    score = np.round(rng.normal(size=40) + y, 1)  # with ties
    assert auc(y, score) == pytest.approx(auc_ci(y, score).auc, abs=1e-12)
    assert np.isnan(auc(np.ones(4), np.arange(4.0)))


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.int64)
    x = rng.random((n, 16, 16)).astype(np.float32) * 0.5
    x[y == 1, 4:10, 4:10] += 0.5
    return x, y


def _fit(arch: str, seed: int, threads: int = 1) -> tuple[dict[str, torch.Tensor], list[object]]:
    x, y = _data(40, 0)
    with deterministic_torch(threads):
        torch.manual_seed(seed)
        model = build_model(arch, (4, 8))
        out = train(model, x[:30], y[:30], x[30:], y[30:], TrainConfig(max_epochs=3), seed)
    return {k: v.clone() for k, v in model.state_dict().items()}, list(out.history)


@pytest.mark.parametrize(("arch", "threads"), [("cnn", 1), ("cnn", 2), ("resnet18", 1)])
def test_training_is_bitwise_reproducible(arch: str, threads: int) -> None:
    first, history = _fit(arch, 4, threads=threads)
    second, history_again = _fit(arch, 4, threads=threads)
    assert history == history_again
    assert first.keys() == second.keys()
    for key in first:
        assert torch.equal(first[key], second[key]), key
    other, _ = _fit(arch, 5, threads=threads)
    assert any(not torch.equal(first[k], other[k]) for k in first)


def test_early_stopping_and_best_epoch_restored() -> None:
    x, y = _data(48, 1)
    config = TrainConfig(max_epochs=40, patience=3, learning_rate=0.05)
    with deterministic_torch(1):
        torch.manual_seed(0)
        model = build_model("cnn", (4, 8))
        out = train(model, x[:36], y[:36], x[36:], y[36:], config, 0)
    losses = [e.val_loss for e in out.history]
    assert out.best_epoch == int(np.argmin(losses)) + 1
    assert len(out.history) == min(config.max_epochs, out.best_epoch + config.patience)
    logits = predict_logits(model, x[36:])
    restored = F.binary_cross_entropy_with_logits(
        torch.from_numpy(logits), torch.from_numpy(y[36:].astype(np.float64))
    )
    assert float(restored) == pytest.approx(out.val_loss, rel=1e-9)
    assert out.val_auc > 0.9  # the bright square is easy to learn


def test_deterministic_torch_restores_settings() -> None:
    before = (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled())
    with deterministic_torch(1):
        assert torch.get_num_threads() == 1
        assert torch.are_deterministic_algorithms_enabled()
    assert (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()) == before
