"""Grad-CAM (Selvaraju et al., 2017) for a one-logit model."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812 - the conventional alias


def grad_cam(model: nn.Module, layer: nn.Module, x: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Class-activation maps (n, h, w) in [0, 1] for inputs ``x`` (n, h, w).

    The target is ``sign * logit`` per image: +1 explains the positive class, -1 the negative
    one. The channel weights are the spatially averaged gradients of the target with respect to
    ``layer``'s output; the map is the ReLU of the weighted sum, upsampled bilinearly to the
    input size and divided by its maximum (an all-zero map stays zero).
    """
    captured: list[torch.Tensor] = []
    handle = layer.register_forward_hook(lambda _m, _i, out: captured.append(out))
    model.eval()
    try:
        with torch.enable_grad():
            inputs = torch.from_numpy(np.ascontiguousarray(x)).unsqueeze(1)
            logits = model(inputs)
            activations = captured[-1]
            target = (logits * torch.from_numpy(sign.astype(np.float32))).sum()
            (gradients,) = torch.autograd.grad(target, activations)
    finally:
        handle.remove()
    weights = gradients.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * activations).sum(dim=1, keepdim=True)).detach()
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)
    maps = cam.squeeze(1).double().numpy()
    peaks = maps.reshape(maps.shape[0], -1).max(axis=1)
    peaks[peaks <= 0] = 1.0
    return np.asarray(maps / peaks[:, None, None], dtype=np.float64)
