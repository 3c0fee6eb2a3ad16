"""Fit every candidate architecture on the training set and keep the one that wins internally.

The training set is split (stratified, seeded) into fitting and internal-validation patients.
Each architecture is initialised from its own seed, trained with early stopping on the internal
validation loss, and restored to its best epoch. Which one is kept is decided on the internal
split only (see :func:`choose`); the test set is never seen here.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from remarkit import RemarkitWarning
from remarkit.plugins.deep_learning.models import ResNet18, build_model, count_parameters
from remarkit.plugins.deep_learning.params import ArchitectureFit, DeepScoreParams, EpochRecord
from remarkit.plugins.deep_learning.training import TrainConfig, Trained, stratified_split, train
from remarkit.plugins.deep_learning.weights import load_pretrained_resnet18

ARCHITECTURE_CODES = {"cnn": 1, "resnet18": 2}


@dataclass(frozen=True)
class Candidate:
    """One trained architecture."""

    architecture: str
    model: nn.Module
    trained: Trained
    notes: list[str]
    n_parameters: int
    se: float  # DeLong SE of the internal AUC; NaN when undefined


@dataclass(frozen=True)
class Selection:
    """The candidates' summaries, the kept model, the split sizes and named warnings."""

    fits: list[ArchitectureFit]
    model: nn.Module
    architecture: str
    n_fit: int
    n_internal: int
    warnings: list[str]
    fit_events: int = 0  # positives among the fitting patients
    internal_events: int = 0  # positives among the internal validation patients


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
    candidates: list[Candidate] = []
    for architecture in params.architectures:
        init_seed, train_seed = architecture_seeds(root_seed, architecture)
        torch.manual_seed(init_seed)
        model = build_model(architecture, params.cnn_channels)
        notes: list[str] = []
        if pretrained is not None and isinstance(model, ResNet18):
            notes = load_pretrained_resnet18(model, pretrained)
        trained = train(model, x[fit_idx], y[fit_idx], x[val_idx], y[val_idx], config, train_seed)
        se = _auc_se(y[val_idx], trained.val_logits)
        candidates.append(
            Candidate(architecture, model, trained, notes, count_parameters(model), se)
        )
    best_index, warnings_ = choose(candidates, params.selection)
    fits = [
        ArchitectureFit(
            architecture=c.architecture,
            n_parameters=c.n_parameters,
            pretrained=(
                str(params.pretrained)
                if params.pretrained is not None and c.architecture == "resnet18"
                else None
            ),
            pretrained_notes=c.notes,
            epochs_run=len(c.trained.history),
            best_epoch=c.trained.best_epoch,
            val_loss=c.trained.val_loss,
            val_auc=c.trained.val_auc,
            val_auc_se=c.se if math.isfinite(c.se) else None,
            selected=index == best_index,
            history=[
                EpochRecord(
                    epoch=e.epoch, train_loss=e.train_loss, val_loss=e.val_loss, val_auc=e.val_auc
                )
                for e in c.trained.history
            ],
        )
        for index, c in enumerate(candidates)
    ]
    kept = candidates[best_index]
    return Selection(
        fits,
        kept.model,
        kept.architecture,
        int(fit_idx.size),
        int(val_idx.size),
        warnings_,
        fit_events=int(y[fit_idx].sum()),
        internal_events=int(y[val_idx].sum()),
    )


def _auc_se(y: np.ndarray, logits: np.ndarray) -> float:
    """DeLong standard error of the internal AUC; NaN when a class has fewer than two patients."""
    from remarkit.stats import auc_ci

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        return float(auc_ci(y, logits).se)


def choose(candidates: list[Candidate], rule: str) -> tuple[int, list[str]]:
    """Index of the kept candidate under ``rule``, and named warnings.

    'best': the highest internal AUC (ties: lower internal loss, then list order). 'one_se': the
    candidate with the fewest parameters whose internal AUC is at least the best AUC minus the
    best candidate's DeLong standard error (Breiman's one-standard-error rule).
    """

    def by_auc(i: int) -> tuple[float, float, int]:
        auc = candidates[i].trained.val_auc
        return (-(auc if not math.isnan(auc) else -math.inf), candidates[i].trained.val_loss, i)

    best = min(range(len(candidates)), key=by_auc)
    if rule == "best" or len(candidates) == 1:
        return best, []
    se = candidates[best].se
    if not math.isfinite(se):
        return best, [
            "one-SE rule not applicable: the internal validation split has fewer than two "
            "patients of a class, so the highest internal AUC decided"
        ]
    floor = candidates[best].trained.val_auc - se
    eligible = [i for i, c in enumerate(candidates) if c.trained.val_auc >= floor]
    return min(eligible, key=lambda i: (candidates[i].n_parameters, i)), []
