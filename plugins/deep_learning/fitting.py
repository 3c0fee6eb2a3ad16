"""Fit every candidate architecture on the training set and keep the one that wins internally.

The training set is split (stratified, seeded) into fitting and internal-validation patients.
Each architecture is initialised from its own seed, trained with early stopping on the internal
validation loss, and restored to its best epoch. The kept architecture has the highest
internal-validation AUC; ties go to the lower internal-validation loss, then to the earlier
architecture in the list. The test set is never seen here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from remarkit.plugins.deep_learning.models import ResNet18, build_model, count_parameters
from remarkit.plugins.deep_learning.params import ArchitectureFit, DeepScoreParams, EpochRecord
from remarkit.plugins.deep_learning.training import TrainConfig, Trained, stratified_split, train
from remarkit.plugins.deep_learning.weights import load_pretrained_resnet18

ARCHITECTURE_CODES = {"cnn": 1, "resnet18": 2}


@dataclass(frozen=True)
class Selection:
    """The candidates' summaries, the kept model and the split sizes."""

    fits: list[ArchitectureFit]
    model: nn.Module
    architecture: str
    n_fit: int
    n_internal: int


def train_config(params: DeepScoreParams) -> TrainConfig:
    """The training settings of ``params``."""
    return TrainConfig(
        max_epochs=params.max_epochs,
        patience=params.patience,
        batch_size=params.batch_size,
        learning_rate=params.learning_rate,
        weight_decay=params.weight_decay,
        flip=params.flip,
        max_rotation=params.max_rotation,
    )


def architecture_seeds(root: int, architecture: str) -> tuple[int, int]:
    """(initialisation seed, training seed) of one architecture, independent of the others."""
    state = np.random.SeedSequence([root, ARCHITECTURE_CODES[architecture]]).generate_state(2)
    return int(state[0]), int(state[1])


def fit_candidates(
    x: np.ndarray,
    y: np.ndarray,
    params: DeepScoreParams,
    root_seed: int,
    pretrained: Path | None,
) -> Selection:
    """Train each architecture in ``params.architectures`` on (x, y): training patients only."""
    fit_idx, val_idx = stratified_split(
        y, params.validation_fraction, np.random.default_rng([root_seed, 0])
    )
    config = train_config(params)
    results: list[tuple[str, nn.Module, Trained, list[str]]] = []
    for architecture in params.architectures:
        init_seed, train_seed = architecture_seeds(root_seed, architecture)
        torch.manual_seed(init_seed)
        model = build_model(architecture, params.cnn_channels)
        notes: list[str] = []
        if pretrained is not None and isinstance(model, ResNet18):
            notes = load_pretrained_resnet18(model, pretrained)
        trained = train(model, x[fit_idx], y[fit_idx], x[val_idx], y[val_idx], config, train_seed)
        results.append((architecture, model, trained, notes))

    def rank(item: tuple[int, tuple[str, nn.Module, Trained, list[str]]]) -> tuple[float, ...]:
        index, (_, _, trained, _) = item
        score = trained.val_auc if not math.isnan(trained.val_auc) else -math.inf
        return (-score, trained.val_loss, float(index))

    best_index = min(enumerate(results), key=rank)[0]
    fits = [
        ArchitectureFit(
            architecture=architecture,
            n_parameters=count_parameters(model),
            pretrained=(
                str(params.pretrained)
                if params.pretrained is not None and architecture == "resnet18"
                else None
            ),
            pretrained_notes=notes,
            epochs_run=len(trained.history),
            best_epoch=trained.best_epoch,
            val_loss=trained.val_loss,
            val_auc=trained.val_auc,
            selected=index == best_index,
            history=[
                EpochRecord(
                    epoch=e.epoch, train_loss=e.train_loss, val_loss=e.val_loss, val_auc=e.val_auc
                )
                for e in trained.history
            ],
        )
        for index, (architecture, model, trained, notes) in enumerate(results)
    ]
    architecture, model, _, _ = results[best_index]
    return Selection(fits, model, architecture, int(fit_idx.size), int(val_idx.size))
