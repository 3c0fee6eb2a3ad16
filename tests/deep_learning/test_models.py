"""The two architectures, Grad-CAM and the augmentation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from remarkit.plugins.deep_learning.augment import augment_batch
from remarkit.plugins.deep_learning.gradcam import grad_cam
from remarkit.plugins.deep_learning.models import (
    ResNet18,
    SmallCNN,
    build_model,
    cam_layer,
    count_parameters,
)


def test_shapes_and_parameter_counts() -> None:
    torch.manual_seed(0)
    x = torch.rand(3, 1, 32, 32)
    cnn, resnet = build_model("cnn", (8, 16, 32)), build_model("resnet18")
    assert cnn(x).shape == (3,) and resnet(x).shape == (3,)
    # torchvision's resnet18 has 11,689,512: one input channel removes 2*64*7*7, one logit
    # instead of 1000 removes 999*512 + 999.
    assert count_parameters(resnet) == 11_689_512 - 2 * 64 * 49 - 999 * 513
    assert count_parameters(cnn) < 10_000
    assert isinstance(cnn, SmallCNN) and isinstance(resnet, ResNet18)
    with pytest.raises(ValueError, match="unknown architecture 'vgg'"):
        build_model("vgg")


def test_cam_layers() -> None:
    assert cam_layer(build_model("cnn", (4, 8)))[0] == "blocks.1"
    assert cam_layer(build_model("resnet18"))[0] == "layer3"
    with pytest.raises(TypeError, match="no Grad-CAM layer"):
        cam_layer(torch.nn.Linear(2, 1))


def test_grad_cam_localises_a_learned_feature() -> None:
    """A model whose logit is the mean of a bright square: the map peaks on the square."""
    model = SmallCNN((1,))
    with torch.no_grad():
        conv = model.blocks[0][0]
        conv.weight.zero_()
        conv.weight[0, 0, 1, 1] = 1.0
        model.fc.weight.fill_(1.0)
        model.fc.bias.zero_()
    model.eval()
    x = np.zeros((2, 16, 16), dtype=np.float32)
    x[:, 2:6, 9:13] = 1.0
    maps = grad_cam(model, model.blocks[0], x, np.array([1.0, 1.0]))
    assert maps.shape == (2, 16, 16)
    assert maps.max() == pytest.approx(1.0)
    assert maps[0, 3:5, 10:12].min() > 0.9 and maps[0, 12:, :4].max() < 0.1
    negative = grad_cam(model, model.blocks[0], x, np.array([-1.0, -1.0]))
    assert np.all(negative == 0.0)  # nothing speaks for the other class


def test_augmentation_is_seeded_and_shape_preserving() -> None:
    images = np.random.default_rng(1).random((5, 12, 12)).astype(np.float32)
    a = augment_batch(images, np.random.default_rng(7), flip=True, max_rotation=10.0)
    b = augment_batch(images, np.random.default_rng(7), flip=True, max_rotation=10.0)
    np.testing.assert_array_equal(a, b)
    assert a.shape == images.shape and a.dtype == images.dtype
    assert not np.array_equal(a, images)
    same = augment_batch(images, np.random.default_rng(7), flip=False, max_rotation=0.0)
    np.testing.assert_array_equal(same, images)
