"""The saved model: weights (safetensors) plus the preprocessing settings (JSON), and scoring
a new cohort with them without refitting (what ``remarkit apply`` uses).

A model folder holds ``model.safetensors`` (the kept network's state dict; architecture and
phase in the header metadata) and ``preprocessing.json`` (format tag, architecture, slice
settings, orientation, the weights' sha256, torch version). :func:`score_cohort` loads both,
prepares each patient's slice exactly as in training and returns the predicted probabilities.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import torch
from torch import nn

from remarkit import InputError
from remarkit.hashing import sha256_file
from remarkit.io.images import ImageManifest
from remarkit.plugins.deep_learning.cases import ORIENTATION, case_tasks, collect, prepare_case
from remarkit.plugins.deep_learning.models import build_model
from remarkit.plugins.deep_learning.slices import SliceSettings
from remarkit.plugins.deep_learning.training import deterministic_torch, predict_logits, sigmoid
from remarkit.plugins.deep_learning.weights import read_weights, save_weights

FORMAT = "remarkit.deep_score/1"
WEIGHTS_FILE = "model.safetensors"
SETTINGS_FILE = "preprocessing.json"
SLICE_RULE = (
    "axial slice with the largest tumour cross-section (lowest index among ties), square crop "
    "around the liver mask's bounding box on that slice plus margin_mm, window to [0, 1], "
    "Gaussian anti-aliasing, bilinear resampling to size x size"
)

T = TypeVar("T")
U = TypeVar("U")


class Mapper(Protocol):
    """Anything with the engine executor's ``map`` (results in input order)."""

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item."""
        ...


@dataclass(frozen=True)
class SavedModel:
    """A loaded model folder."""

    architecture: str
    cnn_channels: tuple[int, ...]
    phase: str
    settings: SliceSettings
    tolerance: float
    threads: int
    model: nn.Module


def save_model(
    folder: Path,
    model: nn.Module,
    *,
    architecture: str,
    cnn_channels: Sequence[int],
    phase: str,
    settings: SliceSettings,
    tolerance: float,
    threads: int,
    outcome: dict[str, str],
) -> tuple[Path, Path]:
    """Write the weights and the settings JSON into ``folder``; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = folder / WEIGHTS_FILE
    save_weights(weights, model, {"format": FORMAT, "architecture": architecture, "phase": phase})
    document: dict[str, Any] = {
        "format": FORMAT,
        "architecture": architecture,
        "cnn_channels": list(cnn_channels),
        "phase": phase,
        "slice": asdict(settings),
        "slice_rule": SLICE_RULE,
        "orientation": ORIENTATION,
        "tolerance": tolerance,
        "threads": threads,
        "outcome": outcome,
        "output": "probability of the positive outcome (sigmoid of the network's logit)",
        "weights": WEIGHTS_FILE,
        "weights_sha256": sha256_file(weights),
        "torch_version": torch.__version__,
    }
    settings_path = folder / SETTINGS_FILE
    settings_path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", "utf-8")
    return weights, settings_path


def load_model(folder: Path) -> SavedModel:
    """Read a model folder written by :func:`save_model`; InputError naming the file if bad."""
    settings_path = folder / SETTINGS_FILE
    if not settings_path.is_file():
        raise InputError(f"no {SETTINGS_FILE} in the model folder", file=str(folder))
    try:
        doc = json.loads(settings_path.read_text("utf-8"))
        if doc.get("format") != FORMAT:
            raise InputError(
                f"format {doc.get('format')!r} is not {FORMAT!r}", file=str(settings_path)
            )
        settings = SliceSettings(**doc["slice"])
        architecture, phase = str(doc["architecture"]), str(doc["phase"])
        channels = tuple(int(c) for c in doc["cnn_channels"])
        weights_path = folder / str(doc["weights"])
        expected_sha = str(doc["weights_sha256"])
        tolerance, threads = float(doc["tolerance"]), int(doc["threads"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"not a deep_score settings file ({type(exc).__name__}: {exc})", file=str(settings_path)
        ) from exc
    if not weights_path.is_file():
        raise InputError("model weights not found", file=str(weights_path))
    if sha256_file(weights_path) != expected_sha:
        raise InputError(
            f"weights do not match the sha256 recorded in {SETTINGS_FILE}", file=str(weights_path)
        )
    state, _ = read_weights(weights_path)
    try:
        model = build_model(architecture, channels)
        model.load_state_dict(state, strict=True)
    except (ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise InputError(
            f"weights do not fit a {architecture} model ({first})", file=str(weights_path)
        ) from exc
    model.eval()
    return SavedModel(architecture, channels, phase, settings, tolerance, threads, model)


def score_pixels(saved: SavedModel, pixels: np.ndarray) -> np.ndarray:
    """Probabilities for prepared inputs (n, size, size), with the training thread count."""
    with deterministic_torch(saved.threads):
        return sigmoid(predict_logits(saved.model, pixels.astype(np.float32)))


def score_cohort(
    folder: Path,
    manifest: ImageManifest,
    patients: Sequence[str],
    *,
    phase: str | None = None,
    executor: Mapper | None = None,
) -> dict[str, float]:
    """Score ``patients`` of a new cohort with a saved model, without refitting anything.

    ``phase`` names the manifest phase to read (default: the phase the model was trained on).
    Raises InputErrors naming every patient, phase and file with a problem.
    """
    saved = load_model(folder)
    use_phase = phase or saved.phase
    tasks = case_tasks(manifest, patients, use_phase, saved.settings, saved.tolerance)
    outcomes = executor.map(prepare_case, tasks) if executor else [prepare_case(t) for t in tasks]
    prepared = collect(outcomes, use_phase)
    pixels = np.stack([prepared[p].pixels for p in patients])
    return dict(zip(patients, (float(v) for v in score_pixels(saved, pixels)), strict=True))
