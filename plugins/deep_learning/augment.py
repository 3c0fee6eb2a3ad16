"""Seeded data augmentation of 2-D inputs: random flips and small rotations (numpy + scipy)."""

from __future__ import annotations

import numpy as np


def augment_batch(
    images: np.ndarray, rng: np.random.Generator, *, flip: bool, max_rotation: float
) -> np.ndarray:
    """Return augmented copies of ``images`` (n, h, w), drawing from ``rng`` only.

    Each image is flipped left-right and up-down with probability 1/2 each (when ``flip``) and
    rotated by a uniform angle in [-max_rotation, +max_rotation] degrees (bilinear, zero fill).
    Three numbers are drawn per image whatever the options, so the stream stays aligned.
    """
    from scipy import ndimage

    out = np.empty_like(images)
    draws = rng.random((images.shape[0], 3))
    for i, image in enumerate(images):
        current = image
        if flip and draws[i, 0] < 0.5:
            current = current[:, ::-1]
        if flip and draws[i, 1] < 0.5:
            current = current[::-1, :]
        angle = (2.0 * draws[i, 2] - 1.0) * max_rotation
        if angle != 0.0:
            current = ndimage.rotate(
                current, angle, reshape=False, order=1, mode="constant", cval=0.0
            )
        out[i] = current
    return out
