"""Weight files: safe loading refuses pickled code, bad files give a clear error, round trips."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from remarkit import InputError
from remarkit.plugins.deep_learning.models import ResNet18, SmallCNN
from remarkit.plugins.deep_learning.weights import (
    load_pretrained_resnet18,
    read_state_file,
    read_weights,
    save_weights,
)


class _Payload:
    """Unpickling this runs a shell command that creates a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_unsafe_pickle_is_refused_and_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    evil = tmp_path / "evil.pt"
    torch.save({"conv1.weight": torch.zeros(1), "x": _Payload(marker)}, evil)
    with pytest.raises(InputError, match="refused to load: the file holds pickled objects") as err:
        read_state_file(evil)
    assert str(evil) in str(err.value)
    assert not marker.exists()
    raw = tmp_path / "evil.pkl"
    raw.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(InputError, match="not a torch weights file"):
        read_state_file(raw)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.pt", b"\x80\x02" + bytes(range(7, 250, 3)), "not a torch weights file"),
        ("empty.pt", b"", "not a torch weights file"),
        (
            "bad.safetensors",
            b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}",
            "not a readable safetensors",
        ),
    ],
)
def test_bad_files_give_clear_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_state_file(path)
    assert str(err.value).startswith(str(path))
    assert "\n" not in str(err.value)


def test_random_bytes_always_give_an_input_error(tmp_path: Path) -> None:
    """Malformed files fail in many places of the unpickler; each becomes one InputError."""
    rng = np.random.default_rng(0)
    for i in range(300):
        data = rng.integers(0, 256, int(rng.integers(1, 300)), dtype=np.uint8).tobytes()
        for name in (f"r{i}.pt", f"r{i}.safetensors"):
            path = tmp_path / name
            path.write_bytes(data)
            with pytest.raises(
                InputError, match=r"not a (torch weights|readable safetensors) file"
            ):
                read_state_file(path)


def test_missing_and_non_state_dict_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="weights file not found"):
        read_state_file(tmp_path / "absent.pt")
    listed = tmp_path / "list.pt"
    torch.save([torch.zeros(2)], listed)
    with pytest.raises(InputError, match="holds no state dict"):
        read_state_file(listed)
    mixed = tmp_path / "mixed.pt"
    torch.save({"a": torch.zeros(1), "b": 3}, mixed)
    with pytest.raises(InputError, match="entry 'b' of the file is not a named tensor"):
        read_state_file(mixed)


def _torchvision_like_state() -> dict[str, torch.Tensor]:
    """A torchvision resnet18 state dict (three-channel stem, 1000 classes, 'module.' prefix)."""
    state = ResNet18().state_dict()
    state["conv1.weight"] = torch.randn(64, 3, 7, 7)
    state["fc.weight"] = torch.randn(1000, 512)
    state["fc.bias"] = torch.randn(1000)
    return {f"module.{k}": v for k, v in state.items()}


def test_pretrained_resnet18_from_torch_file_and_safetensors(tmp_path: Path) -> None:
    state = _torchvision_like_state()
    pt = tmp_path / "resnet18.pth"
    torch.save({"state_dict": state}, pt)
    model = ResNet18()
    notes = load_pretrained_resnet18(model, pt)
    assert notes == [
        "three-channel stem summed to one channel",
        "classifier head re-initialised (one output)",
    ]
    expected = state["module.conv1.weight"].sum(dim=1, keepdim=True)
    assert torch.equal(model.conv1.weight.detach(), expected)
    assert torch.equal(model.layer4[1].bn2.running_var, state["module.layer4.1.bn2.running_var"])
    st = tmp_path / "resnet18.safetensors"
    save_file({k.removeprefix("module."): v.contiguous() for k, v in state.items()}, str(st))
    other = ResNet18()
    load_pretrained_resnet18(other, st)
    assert torch.equal(other.layer2[0].conv1.weight, model.layer2[0].conv1.weight)


def test_pretrained_wrong_architecture_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cnn.safetensors"
    save_weights(path, SmallCNN(), {})
    with pytest.raises(InputError, match=r"not ResNet18 weights: \d+ missing tensor\(s\)"):
        load_pretrained_resnet18(ResNet18(), path)


def test_saved_weights_round_trip_with_metadata(tmp_path: Path) -> None:
    torch.manual_seed(3)
    model = SmallCNN((4, 8))
    path = tmp_path / "m.safetensors"
    save_weights(path, model, {"architecture": "cnn"})
    tensors, meta = read_weights(path)
    assert meta == {"architecture": "cnn"}
    for key, value in model.state_dict().items():
        assert torch.equal(tensors[key], value)
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(InputError, match="not a readable safetensors file"):
        read_weights(path)
