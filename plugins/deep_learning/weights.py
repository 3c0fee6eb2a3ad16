"""Model weights on disk: safe reading of user-named files, and safetensors artefacts.

Weights are read only from a local file the user names, and never by unpickling arbitrary
objects: ``.safetensors`` files through safetensors, anything else through
``torch.load(weights_only=True)``, which refuses pickled code. Every failure is an
:class:`~remarkit.InputError` naming the file.
"""

from __future__ import annotations

import json
import pickle
import warnings
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn

from remarkit import InputError
from remarkit.plugins.deep_learning.models import ResNet18

StateDict = dict[str, torch.Tensor]
METADATA_KEY = "remarkit"


def read_state_file(path: Path) -> StateDict:
    """Tensors of a weights file: safetensors, or a torch state dict (``weights_only=True``)."""
    if not path.is_file():
        raise InputError("weights file not found", file=str(path))
    if path.suffix == ".safetensors":
        try:
            return load_file(str(path), device="cpu")
        except Exception as exc:  # SafetensorError, or whatever a malformed header raises
            raise InputError(
                f"not a readable safetensors file ({_describe(exc)})", file=str(path)
            ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            loaded = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        blocked = [ln.strip() for ln in text.splitlines() if "GLOBAL" in ln or "global" in ln]
        if blocked:
            raise InputError(
                "refused to load: the file holds pickled objects other than tensors "
                f"({blocked[0]}); save a plain state dict or a .safetensors file",
                file=str(path),
            ) from exc
        raise InputError(
            "not a torch weights file (the weights-only unpickler rejected it); save a plain "
            "state dict with torch.save or a .safetensors file",
            file=str(path),
        ) from exc
    except Exception as exc:  # a malformed file can fail anywhere in the unpickler
        raise InputError(f"not a torch weights file ({_describe(exc)})", file=str(path)) from exc
    return _as_state_dict(loaded, path)


def _describe(exc: BaseException) -> str:
    """One line naming an exception: its type and the first line of its message."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _as_state_dict(loaded: object, path: Path) -> StateDict:
    if isinstance(loaded, dict) and isinstance(loaded.get("state_dict"), dict):
        loaded = loaded["state_dict"]
    if not isinstance(loaded, dict) or not loaded:
        raise InputError(
            "the file holds no state dict (a mapping of layer names to tensors)", file=str(path)
        )
    state: StateDict = {}
    for key, value in loaded.items():
        if not isinstance(key, str) or not isinstance(value, torch.Tensor):
            raise InputError(
                f"entry {key!r} of the file is not a named tensor; a state dict is needed",
                file=str(path),
            )
        state[key.removeprefix("module.")] = value
    return state


def load_pretrained_resnet18(model: ResNet18, path: Path) -> list[str]:
    """Initialise ``model`` from a ResNet18 state dict (e.g. torchvision's); return notes.

    A three-channel stem is summed over its input channels (grey input); a classifier head of
    another shape is left at its random initialisation. Any other missing, unexpected or
    mis-shaped tensor is an error naming the file.
    """
    state = read_state_file(path)
    target = model.state_dict()
    notes: list[str] = []
    stem = state.get("conv1.weight")
    if stem is not None and stem.ndim == 4 and stem.shape[1] == 3:
        state["conv1.weight"] = stem.sum(dim=1, keepdim=True)
        notes.append("three-channel stem summed to one channel")
    if any(
        k.startswith("fc.") and k in target and state[k].shape != target[k].shape for k in state
    ):
        state = {k: v for k, v in state.items() if not k.startswith("fc.")}
        notes.append("classifier head re-initialised (one output)")
    optional = {k for k in target if k.endswith("num_batches_tracked") or k.startswith("fc.")}
    missing = sorted(set(target) - set(state) - optional)
    unexpected = sorted(set(state) - set(target))
    wrong = sorted(k for k in state if k in target and state[k].shape != target[k].shape)
    for label, keys in (("missing", missing), ("unexpected", unexpected), ("mis-shaped", wrong)):
        if keys:
            shown = ", ".join(keys[:4]) + (" ..." if len(keys) > 4 else "")
            raise InputError(
                f"not ResNet18 weights: {len(keys)} {label} tensor(s) ({shown})", file=str(path)
            )
    model.load_state_dict({k: v.to(target[k].dtype) for k, v in state.items()}, strict=False)
    return notes


def save_weights(path: Path, model: nn.Module, metadata: dict[str, str]) -> None:
    """Write the model's state dict as safetensors, with string ``metadata`` in its header.

    The metadata go in as one sorted JSON string under the key ``remarkit``: safetensors
    writes several metadata keys in an arbitrary order, which would make the file's bytes
    differ between identical runs.
    """
    tensors = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    header = {METADATA_KEY: json.dumps(metadata, sort_keys=True)}
    save_file(tensors, str(path), metadata=header)
    path.chmod(0o644)  # safetensors creates the file owner-only; results are meant to be shared


def read_weights(path: Path) -> tuple[StateDict, dict[str, str]]:
    """Tensors and header metadata of a safetensors artefact written by :func:`save_weights`."""
    if not path.is_file():
        raise InputError("model weights not found", file=str(path))
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            header = dict(handle.metadata() or {})
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
    except Exception as exc:  # SafetensorError, or whatever a malformed header raises
        raise InputError(
            f"not a readable safetensors file ({_describe(exc)})", file=str(path)
        ) from exc
    try:
        metadata = json.loads(header.get(METADATA_KEY, "{}"))
        if not isinstance(metadata, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        raise InputError(f"unreadable '{METADATA_KEY}' metadata ({exc})", file=str(path)) from exc
    return tensors, {str(k): str(v) for k, v in metadata.items()}
