"""Slice selection, liver-box crop, windowing and resampling on hand-made volumes."""

from __future__ import annotations

import numpy as np
import pytest

from remarkit.plugins.deep_learning.slices import (
    SliceSettings,
    bounding_box,
    largest_cross_section,
    prepare_slice,
    square_resample,
    window,
)


def _volume() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """6 x 20 x 20 volume: tumour areas 0, 4, 9, 16, 9, 0 by slice; liver box rows 4-15, cols 2-17."""
    image = np.arange(6 * 20 * 20, dtype=np.float64).reshape(6, 20, 20)
    tumour = np.zeros((6, 20, 20), dtype=np.uint8)
    for z, side in ((1, 2), (2, 3), (3, 4), (4, 3)):
        tumour[z, 8 : 8 + side, 8 : 8 + side] = 1
    liver = np.zeros_like(tumour)
    liver[:, 4:16, 2:18] = 1
    liver[3, 4:16, 2:18] = 0
    liver[3, 6:14, 5:15] = 1  # on the selected slice the liver box is rows 6-13, cols 5-14
    return image, tumour, liver


def test_largest_cross_section_and_ties() -> None:
    _, tumour, _ = _volume()
    assert largest_cross_section(tumour == 1) == 3
    tied = np.zeros((4, 5, 5), dtype=bool)
    tied[1, :2, :2] = True
    tied[3, 2:4, 2:4] = True
    assert largest_cross_section(tied) == 1  # lowest index among ties
    with pytest.raises(ValueError, match="no voxel of the tumour label"):
        largest_cross_section(np.zeros((3, 4, 4), dtype=bool))


def test_bounding_box_end_exclusive() -> None:
    mask = np.zeros((10, 12), dtype=bool)
    mask[2:5, 3:9] = True
    assert bounding_box(mask) == (2, 5, 3, 9)
    with pytest.raises(ValueError, match="liver mask is empty"):
        bounding_box(np.zeros((4, 4), dtype=bool))


def test_window_maps_level_and_width() -> None:
    out = window(np.array([-1000.0, -140.0, 60.0, 260.0, 3000.0]), 60.0, 400.0)
    np.testing.assert_allclose(out, [0.0, 0.0, 0.5, 1.0, 1.0])


def test_identity_crop_returns_the_box_pixels() -> None:
    """Square box, no margin, size equal to the box: the output is the box itself, exactly."""
    pixels = np.random.default_rng(0).random((20, 20))
    sampled, side = square_resample(pixels, (4, 12, 6, 14), (1.0, 1.0), 0.0, 8)
    np.testing.assert_array_equal(sampled, pixels[4:12, 6:14])
    assert side == 8.0


def test_crop_is_square_in_mm_and_keeps_margin() -> None:
    """A wide box is padded to a square; with anisotropic pixels the side is in millimetres."""
    pixels = np.ones((40, 40))
    sampled, side = square_resample(pixels, (18, 22, 10, 30), (2.0, 1.0), 3.0, 10)
    assert side == pytest.approx(max(4 * 2.0, 20 * 1.0) + 6.0)
    assert sampled.shape == (10, 10)
    # 26 mm tall around row 19.5 at 2 mm per row stays inside the 40-row image: no fill.
    assert np.all(sampled > 0.99)
    outside, _ = square_resample(pixels, (0, 40, 0, 40), (1.0, 1.0), 10.0, 12)
    assert outside[0, 0] == 0.0  # pixels beyond the image are 0
    assert outside[6, 6] == pytest.approx(1.0, abs=1e-12)  # interpolation rounding


def test_prepare_slice_on_hand_made_volume() -> None:
    image, tumour, liver = _volume()
    settings = SliceSettings(window_level=1400.0, window_width=4000.0, margin_mm=0.0, size=10)
    out = prepare_slice(image, tumour, liver, (1.0, 1.0, 2.5), settings)
    assert out.slice_index == 3
    assert out.tumour_area_mm2 == 16.0
    assert out.crop_mm == 10.0  # liver box on slice 3: 8 rows x 10 columns -> 10 mm square
    assert out.pixels.shape == (10, 10) and out.pixels.dtype == np.float32
    expected = window(image[3], 1400.0, 4000.0)
    # square of side 10 centred on rows 6-13 (centre 9.5) and columns 5-14 (centre 9.5)
    np.testing.assert_allclose(out.pixels, expected[5:15, 5:15], rtol=1e-6)


def test_prepare_slice_errors() -> None:
    image, tumour, liver = _volume()
    settings = SliceSettings(60.0, 400.0, 5.0, 16)
    with pytest.raises(ValueError, match="differ in shape"):
        prepare_slice(image[:5], tumour, liver, (1.0, 1.0, 1.0), settings)
    liver[3] = 0
    with pytest.raises(ValueError, match="liver mask is empty on the slice"):
        prepare_slice(image, tumour, liver, (1.0, 1.0, 1.0), settings)
    with pytest.raises(ValueError, match="no voxel of the tumour label"):
        prepare_slice(image, tumour * 0, liver, (1.0, 1.0, 1.0), settings)
