"""Seeded, deterministic CPU training with early stopping on an internal validation split."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812 - the conventional alias

from remarkit import StatisticsError
from remarkit.plugins.deep_learning.augment import augment_batch


@dataclass(frozen=True)
class TrainConfig:
    """Optimiser, schedule and augmentation settings."""

    max_epochs: int = 30
    patience: int = 6
    batch_size: int = 16
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    flip: bool = True
    max_rotation: float = 10.0


@dataclass(frozen=True)
class Epoch:
    """Losses and internal AUC after one epoch."""

    epoch: int
    train_loss: float
    val_loss: float
    val_auc: float


@dataclass
class Trained:
    """A model restored to its best epoch, with its training history."""

    model: nn.Module
    best_epoch: int
    val_loss: float
    val_auc: float
    val_logits: np.ndarray = field(default_factory=lambda: np.empty(0))
    history: list[Epoch] = field(default_factory=list)


@contextmanager
def deterministic_torch(threads: int) -> Iterator[None]:
    """Fix torch's CPU thread count and demand deterministic algorithms; restore both after.

    Floating-point reductions depend on how work is split over threads, so bitwise
    reproducibility holds for a fixed ``threads`` (the same on any machine).
    """
    previous_threads = torch.get_num_threads()
    previous_mode = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous_mode)
        torch.set_num_threads(previous_threads)


def stratified_split(
    y: np.ndarray, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Positions (sorted) of the fitting and the internal validation patients, per class."""
    fit: list[int] = []
    val: list[int] = []
    for cls in (0, 1):
        members = np.flatnonzero(y == cls)
        if members.size < 2:
            raise StatisticsError(
                f"the training set has {members.size} patient(s) with outcome {cls}; "
                "an internal validation split needs at least 2 of each class"
            )
        n_val = min(members.size - 1, max(1, round(fraction * members.size)))
        shuffled = rng.permutation(members)
        val.extend(shuffled[:n_val].tolist())
        fit.extend(shuffled[n_val:].tolist())
    return np.array(sorted(fit)), np.array(sorted(val))


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Mann-Whitney AUC (ties count one half); NaN without both classes."""
    from scipy.stats import rankdata

    y = np.asarray(y)
    n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(score)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def predict_logits(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Logits of ``x`` (n, h, w) in evaluation mode, as float64.

    One image per forward pass: CPU kernels pick their blocking by batch size, so batching
    would make a patient's score depend (in the last bits) on which other patients are scored
    with it. Scored alone, a patient's score is the same in any cohort.
    """
    model.eval()
    out = np.empty(x.shape[0], dtype=np.float64)
    with torch.no_grad():
        for i in range(x.shape[0]):
            image = torch.from_numpy(np.ascontiguousarray(x[i : i + 1])).unsqueeze(1)
            out[i] = float(model(image)[0])
    return out


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """Probabilities from logits (float64)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))


def train(
    model: nn.Module,
    x_fit: np.ndarray,
    y_fit: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: TrainConfig,
    seed: int,
) -> Trained:
    """Adam on binary cross-entropy; stop after ``patience`` epochs without a lower val loss.

    Batch order and augmentation draw from ``numpy.random.default_rng(seed)``; dropout from
    ``torch.manual_seed(seed)``. The returned model holds the weights of the best epoch.
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimiser = torch.optim.Adam(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    targets = torch.from_numpy(y_fit.astype(np.float32))
    val_targets = torch.from_numpy(y_val.astype(np.float64))
    n_batches = max(1, math.ceil(x_fit.shape[0] / config.batch_size))
    best = Trained(model=model, best_epoch=0, val_loss=math.inf, val_auc=math.nan)
    best_state = copy.deepcopy(model.state_dict())
    waited = 0
    for epoch in range(1, config.max_epochs + 1):
        model.train()
        total = 0.0
        for idx in np.array_split(rng.permutation(x_fit.shape[0]), n_batches):
            batch = augment_batch(
                x_fit[idx], rng, flip=config.flip, max_rotation=config.max_rotation
            )
            optimiser.zero_grad()
            logits = model(torch.from_numpy(batch).unsqueeze(1))
            loss = F.binary_cross_entropy_with_logits(logits, targets[idx])
            loss.backward()
            optimiser.step()
            total += float(loss.item()) * idx.size
        val_logits = predict_logits(model, x_val)
        val_loss = float(
            F.binary_cross_entropy_with_logits(torch.from_numpy(val_logits), val_targets)
        )
        record = Epoch(epoch, total / x_fit.shape[0], val_loss, auc(y_val, val_logits))
        best.history.append(record)
        if val_loss < best.val_loss:
            best.best_epoch, best.val_loss, best.val_auc = epoch, val_loss, record.val_auc
            best.val_logits = val_logits
            best_state = copy.deepcopy(model.state_dict())
            waited = 0
        else:
            waited += 1
            if waited >= config.patience:
                break
    model.load_state_dict(best_state)
    model.eval()
    return best
