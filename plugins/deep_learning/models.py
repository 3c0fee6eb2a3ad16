"""The two candidate architectures, in plain torch, for one-channel inputs and one logit.

- ``SmallCNN``: a few conv-BN-ReLU blocks with max pooling, global average pooling, dropout and
  a linear layer (a few thousand parameters with the default channels).
- ``ResNet18``: He et al.'s 18-layer residual network (BasicBlocks 2-2-2-2, 64-512 channels)
  with a one-channel stem and a one-logit head. Parameter names follow torchvision's, so a
  torchvision state dict can initialise it (see :mod:`.weights`).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812 - the conventional alias


class SmallCNN(nn.Module):
    """Conv blocks (3x3 conv, batch norm, ReLU) each followed by 2x2 max pooling."""

    def __init__(self, channels: Sequence[int] = (8, 16, 32), dropout: float = 0.25) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        previous = 1
        for width in channels:
            blocks.append(
                nn.Sequential(
                    nn.Conv2d(previous, width, kernel_size=3, padding=1, bias=False),
                    nn.BatchNorm2d(width),
                    nn.ReLU(inplace=False),
                )
            )
            previous = width
        self.blocks = nn.ModuleList(blocks)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(previous, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (batch,)."""
        for index, block in enumerate(self.blocks):
            x = block(x)
            if index < len(self.blocks) - 1:
                x = F.max_pool2d(x, 2)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(self.dropout(x)).squeeze(1)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a residual connection (1x1 projection when the shape changes)."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample: nn.Module | None = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Residual block output."""
        identity = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + identity)


class ResNet18(nn.Module):
    """ResNet18 with a one-channel 7x7 stem and a single-logit head."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))
        self.layer2 = nn.Sequential(BasicBlock(64, 128, 2), BasicBlock(128, 128))
        self.layer3 = nn.Sequential(BasicBlock(128, 256, 2), BasicBlock(256, 256))
        self.layer4 = nn.Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512))
        self.fc = nn.Linear(512, 1)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (batch,)."""
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)).squeeze(1)


def build_model(architecture: str, cnn_channels: Sequence[int] = (8, 16, 32)) -> nn.Module:
    """A freshly initialised model (seed torch before calling for reproducible weights)."""
    if architecture == "cnn":
        return SmallCNN(cnn_channels)
    if architecture == "resnet18":
        return ResNet18()
    raise ValueError(f"unknown architecture '{architecture}' (use 'cnn' or 'resnet18')")


def cam_layer(model: nn.Module) -> tuple[str, nn.Module]:
    """The layer Grad-CAM weighs: the last conv block (CNN) or ``layer3`` (ResNet18).

    ResNet18's ``layer3`` is used rather than ``layer4`` because with the small inputs this unit
    works on (e.g. 64 px) ``layer4`` is only 2 x 2 pixels, too coarse to localise anything.
    """
    if isinstance(model, SmallCNN):
        return f"blocks.{len(model.blocks) - 1}", model.blocks[-1]
    if isinstance(model, ResNet18):
        return "layer3", model.layer3
    raise TypeError(f"no Grad-CAM layer known for {type(model).__name__}")


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
