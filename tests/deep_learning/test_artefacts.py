"""The saved model folder: round trip, and a clear error for each way it can be broken."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from remarkit import InputError
from remarkit.plugins.deep_learning.artefacts import (
    SETTINGS_FILE,
    WEIGHTS_FILE,
    load_model,
    save_model,
    score_pixels,
)
from remarkit.plugins.deep_learning.models import SmallCNN
from remarkit.plugins.deep_learning.slices import SliceSettings

SETTINGS = SliceSettings(window_level=50.0, window_width=350.0, margin_mm=5.0, size=16)


def _save(folder: Path) -> SmallCNN:
    torch.manual_seed(1)
    model = SmallCNN((4, 8))
    model.eval()
    save_model(
        folder,
        model,
        architecture="cnn",
        cnn_channels=(4, 8),
        phase="arterial",
        settings=SETTINGS,
        tolerance=1e-3,
        threads=1,
        outcome={"column": "response", "positive": "yes"},
    )
    return model


def test_round_trip_gives_the_same_model_and_settings(tmp_path: Path) -> None:
    model = _save(tmp_path)
    saved = load_model(tmp_path)
    assert (saved.architecture, saved.phase, saved.settings) == ("cnn", "arterial", SETTINGS)
    x = np.random.default_rng(0).random((3, 16, 16)).astype(np.float32)
    with torch.no_grad():
        expected = torch.sigmoid(model(torch.from_numpy(x).unsqueeze(1))).double().numpy()
    np.testing.assert_allclose(score_pixels(saved, x), expected, rtol=1e-6)
    doc = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert doc["format"] == "remarkit.deep_score/1" and doc["torch_version"] == torch.__version__
    first = (tmp_path / WEIGHTS_FILE).read_bytes()
    _save(tmp_path)
    assert (tmp_path / WEIGHTS_FILE).read_bytes() == first  # byte-identical files


def test_broken_model_folders(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no preprocessing\.json in the model folder"):
        load_model(tmp_path)
    _save(tmp_path)
    settings = tmp_path / SETTINGS_FILE
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good.replace("remarkit.deep_score/1", "other/2"))
    with pytest.raises(InputError, match=r"format 'other/2' is not 'remarkit\.deep_score/1'"):
        load_model(tmp_path)
    settings.write_text("{not json")
    with pytest.raises(InputError, match=r"not a deep_score settings file \(JSONDecodeError"):
        load_model(tmp_path)
    doc = json.loads(good)
    doc["cnn_channels"] = [4, 16]
    settings.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="weights do not fit a cnn model"):
        load_model(tmp_path)
    settings.write_text(good)
    (tmp_path / WEIGHTS_FILE).unlink()
    with pytest.raises(InputError, match="model weights not found"):
        load_model(tmp_path)
