"""From a CT volume and its masks to one network input: slice, crop, window, resize (numpy only).

Arrays are in SimpleITK's numpy order (z, y, x); ``spacing`` is (x, y, z) in mm as SimpleITK
reports it. The axial slice with the largest tumour cross-section (the lowest z among ties) is
cropped to a square around the liver's bounding box on that slice plus a margin (so the context
around the tumour is kept and the aspect ratio is preserved), windowed to [0, 1], smoothed to
avoid aliasing and sampled bilinearly onto a ``size`` x ``size`` grid. Pixels outside the image
take the window's lower bound (0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SliceSettings:
    """How a slice becomes a network input (saved with the model to score new cohorts)."""

    window_level: float
    window_width: float
    margin_mm: float
    size: int
    label: int = 1
    liver_label: int = 1


@dataclass(frozen=True)
class PreparedSlice:
    """One network input and where it came from."""

    pixels: np.ndarray  # float32, (size, size), in [0, 1]
    slice_index: int
    tumour_area_mm2: float
    crop_mm: float


def largest_cross_section(tumour: np.ndarray) -> int:
    """Index (z) of the axial slice with the most tumour voxels; the lowest index among ties."""
    if tumour.ndim != 3:
        raise ValueError(f"a 3-D mask is needed, got {tumour.ndim}-D")
    counts = tumour.reshape(tumour.shape[0], -1).sum(axis=1)
    if counts.max() == 0:
        raise ValueError("the tumour mask holds no voxel of the tumour label")
    return int(np.argmax(counts))


def bounding_box(mask2d: np.ndarray) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1) of the mask's true pixels, end-exclusive."""
    rows = np.flatnonzero(mask2d.any(axis=1))
    cols = np.flatnonzero(mask2d.any(axis=0))
    if rows.size == 0:
        raise ValueError("the liver mask is empty on the slice with the largest tumour section")
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def window(pixels: np.ndarray, level: float, width: float) -> np.ndarray:
    """Map [level - width/2, level + width/2] linearly onto [0, 1], clipping outside."""
    low = level - width / 2.0
    return np.clip((np.asarray(pixels, dtype=np.float64) - low) / width, 0.0, 1.0)


def square_resample(
    pixels: np.ndarray,
    box: tuple[int, int, int, int],
    spacing_yx: tuple[float, float],
    margin_mm: float,
    size: int,
) -> tuple[np.ndarray, float]:
    """Sample a square (in mm) centred on ``box`` plus ``margin_mm`` onto ``size`` x ``size``.

    Returns the sampled pixels and the square's side in mm.
    """
    from scipy import ndimage

    y0, y1, x0, x1 = box
    sy, sx = spacing_yx
    side_mm = max((y1 - y0) * sy, (x1 - x0) * sx) + 2.0 * margin_mm
    step_mm = side_mm / size
    steps = np.array([step_mm / sy, step_mm / sx])
    sigma = np.maximum(0.0, (steps - 1.0) / 2.0)
    smooth = ndimage.gaussian_filter(pixels, sigma) if np.any(sigma > 0) else pixels
    offsets = np.arange(size, dtype=np.float64) + 0.5 - size / 2.0
    ys = (y0 + y1 - 1) / 2.0 + offsets * steps[0]
    xs = (x0 + x1 - 1) / 2.0 + offsets * steps[1]
    grid_y, grid_x = np.meshgrid(ys, xs, indexing="ij")
    sampled = ndimage.map_coordinates(
        smooth, [grid_y, grid_x], order=1, mode="constant", cval=0.0, prefilter=False
    )
    return sampled, float(side_mm)


def prepare_slice(
    image: np.ndarray,
    tumour: np.ndarray,
    liver: np.ndarray,
    spacing: tuple[float, float, float],
    settings: SliceSettings,
) -> PreparedSlice:
    """The network input of one patient and phase (see the module docstring)."""
    if image.shape != tumour.shape or image.shape != liver.shape:
        raise ValueError(
            f"image {image.shape}, tumour mask {tumour.shape} and liver mask {liver.shape} "
            "differ in shape"
        )
    tumour_bool = tumour == settings.label
    z = largest_cross_section(tumour_bool)
    box = bounding_box(liver[z] == settings.liver_label)
    windowed = window(image[z], settings.window_level, settings.window_width)
    sx, sy = float(spacing[0]), float(spacing[1])
    pixels, side_mm = square_resample(windowed, box, (sy, sx), settings.margin_mm, settings.size)
    area = float(tumour_bool[z].sum()) * sx * sy
    return PreparedSlice(
        pixels=np.clip(pixels, 0.0, 1.0).astype(np.float32),
        slice_index=z,
        tumour_area_mm2=area,
        crop_mm=side_mm,
    )
