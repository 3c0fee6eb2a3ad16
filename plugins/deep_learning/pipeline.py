"""The torch part of the deep_score unit: fit, score, explain and save (imported on first use).

The unit imports this module inside ``run`` so that loading remarkit's plugins (``remarkit
plugins``, ``remarkit validate``) does not import torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from remarkit.plugins.deep_learning.artefacts import save_model
from remarkit.plugins.deep_learning.fitting import Selection, fit_candidates
from remarkit.plugins.deep_learning.gradcam import grad_cam
from remarkit.plugins.deep_learning.models import cam_layer
from remarkit.plugins.deep_learning.params import DeepScoreParams
from remarkit.plugins.deep_learning.slices import SliceSettings
from remarkit.plugins.deep_learning.training import deterministic_torch, predict_logits, sigmoid

TORCH_VERSION = torch.__version__


@dataclass(frozen=True)
class Outcome:
    """The kept model, everyone's score and the Grad-CAM maps of the patients shown."""

    selection: Selection
    scores: np.ndarray
    shown: list[int]
    layer_name: str
    maps: np.ndarray


def pick_gradcam(
    patients: list[str], split: np.ndarray, scores: np.ndarray, named: list[str], per_split: int
) -> list[int]:
    """Positions of the patients to explain: the named ones, else per split (train, then test)
    alternately the highest and the lowest score (ties by patient id)."""
    if named:
        return [patients.index(p) for p in named]
    chosen: list[int] = []
    for label in ("train", "test"):
        members = [i for i in range(len(patients)) if split[i] == label]
        ordered = sorted(members, key=lambda i: (-scores[i], patients[i]))
        picks: list[int] = []
        while len(picks) < min(per_split, len(ordered)):
            source = ordered if len(picks) % 2 == 0 else ordered[::-1]
            picks.append(next(i for i in source if i not in picks))
        chosen.extend(picks)
    return chosen


def fit_score_explain(
    x: np.ndarray,
    y: np.ndarray,
    split: np.ndarray,
    patients: list[str],
    params: DeepScoreParams,
    root_seed: int,
    pretrained: Path | None,
) -> Outcome:
    """Fit the candidates on the training rows only, score every row, Grad-CAM the chosen ones."""
    train_mask = split == "train"
    with deterministic_torch(params.threads):
        selection = fit_candidates(x[train_mask], y[train_mask], params, root_seed, pretrained)
        scores = sigmoid(predict_logits(selection.model, x))
        shown = pick_gradcam(patients, split, scores, params.gradcam_patients, params.gradcam_n)
        layer_name, layer = cam_layer(selection.model)
        sign = np.where(scores[shown] >= 0.5, 1.0, -1.0)
        maps = grad_cam(selection.model, layer, x[shown], sign) if shown else np.empty(0)
    return Outcome(selection, scores, shown, layer_name, maps)


def save_selected(
    folder: Path,
    params: DeepScoreParams,
    selection: Selection,
    settings: SliceSettings,
    outcome: dict[str, str],
) -> tuple[Path, Path]:
    """Save the kept model and its preprocessing settings into ``folder``."""
    return save_model(
        folder,
        selection.model,
        architecture=selection.architecture,
        cnn_channels=params.cnn_channels,
        phase=params.phase,
        settings=settings,
        tolerance=params.tolerance,
        threads=params.threads,
        outcome=outcome,
    )
