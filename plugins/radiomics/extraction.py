"""Feature extraction for one image/mask pair: pyradiomics on a crop around the mask.

pyradiomics reads, hashes and checks the whole volume and, when resampling, interpolates a B-spline
over the whole image before it samples the grid around the mask. Here the bounding box of the
label is found once with numpy, and only the part of the image that the result depends on is
kept:

- with resampling, the output grid is computed exactly as ``imageoperations.resampleImage`` does
  (from the whole mask's geometry: bounding box, ``padDistance``, image bounds) and the input is
  cropped to that grid plus ``BSPLINE_MARGIN`` voxels, then resampled with the same filter
  settings; the resampled image equals pyradiomics' up to the B-spline prefilter's boundary
  effect, which decays by ~0.27 per voxel (< 1e-6 after 12 voxels). Everything after that
  (filters, feature classes) is pyradiomics' own code on the same grid;
- without resampling, the crop is the bounding box plus the support the enabled filters need
  (LoG: 6 sigma + 3 voxels; wavelet: the filter length at every level; gradient: 2 voxels; at
  least 1 voxel). pyradiomics' wavelet wraps around the image, so an axis on which the window
  reaches the image border is kept whole. Image types that rescale by whole-image statistics
  (square, logarithm, ...) are never cropped.

Diagnostics (``additionalInfo``: image hashes, mask statistics) are not computed.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

import numpy as np
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.plugins.radiomics.settings import LOCAL_IMAGE_TYPES, ExtractionSettings

BSPLINE_MARGIN = 12
LOG_SIGMAS = 6.0


class CaseError(ValueError):
    """A case that cannot be extracted (its reason is reported, the run goes on)."""


def label_bounds(mask: sitk.Image, label: int) -> tuple[np.ndarray, np.ndarray]:
    """Inclusive lower and upper voxel index (x, y, z) of ``label`` in ``mask``."""
    region = sitk.GetArrayViewFromImage(mask) == label
    if not region.any():
        raise CaseError(f"label {label} is not present in the mask")
    lower, upper = [], []
    for axis in range(region.ndim):
        other = tuple(a for a in range(region.ndim) if a != axis)
        hits = np.flatnonzero(region.any(axis=other))
        lower.append(int(hits[0]))
        upper.append(int(hits[-1]))
    # numpy is z, y, x; SimpleITK indices are x, y, z
    return np.array(lower[::-1]), np.array(upper[::-1])


def _crop(image: sitk.Image, lower: np.ndarray, upper: np.ndarray) -> sitk.Image:
    size = np.array(image.GetSize())
    lo = np.maximum(lower, 0)
    hi = np.minimum(upper, size - 1)
    return image[
        int(lo[0]) : int(hi[0]) + 1, int(lo[1]) : int(hi[1]) + 1, int(lo[2]) : int(hi[2]) + 1
    ]


def filter_margin(settings: ExtractionSettings, spacing: np.ndarray) -> np.ndarray | None:
    """Voxels around the bounding box the enabled filters read (None: do not crop)."""
    margin = np.zeros(len(spacing), dtype=int)
    for name, options in settings.image_types.items():
        merged = {**settings.settings, **options}
        if name not in LOCAL_IMAGE_TYPES:
            return None
        if name == "LoG":
            sigmas = [float(s) for s in merged.get("sigma", [])] or [0.0]
            need = np.ceil(LOG_SIGMAS * max(sigmas) / spacing).astype(int) + 3
        elif name == "Wavelet":
            import pywt

            length = pywt.Wavelet(merged.get("wavelet", "coif1")).dec_len
            levels = int(merged.get("start_level", 0)) + int(merged.get("level", 1))
            need = np.full(len(spacing), (length - 1) * (2**levels - 1) + 2)
        elif name == "Gradient":
            need = np.full(len(spacing), 2)
        else:
            need = np.zeros(len(spacing), dtype=int)
        margin = np.maximum(margin, need)
    return margin


def resampled_grid(
    mask: sitk.Image, lower: np.ndarray, upper: np.ndarray, s: dict[str, Any]
) -> tuple[np.ndarray, list[int], tuple[float, ...], np.ndarray] | None:
    """pyradiomics' resampling grid: spacing, size, origin and first input continuous index.

    None when pyradiomics would not interpolate (the new spacing equals the image's).
    """
    mask_spacing = np.array(mask.GetSpacing())
    size = upper - lower + 1
    spacing = np.array(s["resampledPixelSpacing"], dtype=float)
    spacing = np.where(spacing == 0, mask_spacing, spacing)
    spacing = np.where(size != 1, spacing, mask_spacing)
    if np.allclose(mask_spacing, spacing):
        return None
    pad = s.get("padDistance", 5)
    ratio = mask_spacing / spacing
    new_lower = np.floor((lower - 0.5) * ratio - pad)
    new_upper = np.ceil((lower + size - 0.5) * ratio + pad)
    max_upper = np.ceil(np.array(mask.GetSize()) * ratio) - 1
    new_lower = np.where(new_lower < 0, 0, new_lower)
    new_upper = np.where(new_upper > max_upper, max_upper, new_upper)
    new_size = np.array(new_upper - new_lower + 1, dtype="int").tolist()
    first = 0.5 * (spacing - mask_spacing) / mask_spacing + new_lower / ratio
    origin = mask.TransformContinuousIndexToPhysicalPoint(first.tolist())
    return spacing, new_size, origin, first


def _resample(
    image: sitk.Image, mask: sitk.Image, lower: np.ndarray, upper: np.ndarray, s: dict[str, Any]
) -> tuple[sitk.Image, sitk.Image]:
    grid = resampled_grid(mask, lower, upper, s)
    pad = int(s.get("padDistance", 5))
    if grid is None:  # pyradiomics only crops to the bounding box plus padDistance
        return _crop(image, lower - pad, upper + pad), _crop(mask, lower - pad, upper + pad)
    spacing, size, origin, first = grid
    last = first + (np.array(size) - 1) * spacing / np.array(mask.GetSpacing())
    lo = np.floor(first).astype(int) - BSPLINE_MARGIN
    hi = np.ceil(last).astype(int) + BSPLINE_MARGIN
    image_in, mask_in = _crop(image, lo, hi), _crop(mask, lo, hi)
    interpolator = s.get("interpolator", "sitkBSpline")
    if isinstance(interpolator, str):
        interpolator = getattr(sitk, interpolator, sitk.sitkBSpline)
    rif = sitk.ResampleImageFilter()
    rif.SetOutputSpacing(spacing.tolist())
    rif.SetOutputDirection(mask.GetDirection())
    rif.SetSize(size)
    rif.SetOutputOrigin(origin)
    rif.SetOutputPixelType(image.GetPixelID())
    rif.SetInterpolator(interpolator)
    resampled_image = rif.Execute(image_in)
    rif.SetOutputPixelType(mask.GetPixelID())
    rif.SetInterpolator(sitk.sitkNearestNeighbor)
    return resampled_image, rif.Execute(mask_in)


def prepare(
    image: sitk.Image, mask: sitk.Image, settings: ExtractionSettings
) -> tuple[sitk.Image, sitk.Image]:
    """The (resampled) crop of image and mask that pyradiomics' feature code gets."""
    s = settings.settings
    mask = sitk.Image(mask)
    mask.CopyInformation(image)  # geometry agreed within the tolerance when the case was checked
    lower, upper = label_bounds(mask, settings.label)
    if s.get("normalize", False):
        from radiomics import imageoperations

        image = imageoperations.normalizeImage(image, **s)
    if settings.resampling:
        return _resample(image, mask, lower, upper, s)
    margin = filter_margin(settings, np.array(image.GetSpacing()))
    if margin is None:
        return image, mask
    lo, hi = lower - np.maximum(margin, 1), upper + np.maximum(margin, 1)
    if "Wavelet" in settings.image_types:
        # pyradiomics' wavelet wraps around the image: where the window reaches a border, the
        # far side of the whole image is read, so that axis is kept whole
        size = np.array(image.GetSize())
        whole = (lo < 0) | (hi > size - 1)
        lo, hi = np.where(whole, 0, lo), np.where(whole, size - 1, hi)
    return _crop(image, lo, hi), _crop(mask, lo, hi)


@lru_cache(maxsize=4)
def _extractor(canonical: str) -> Any:
    from radiomics import featureextractor

    params = json.loads(canonical)
    settings = dict(params["settings"])
    # prepare() already normalised, resampled and cropped the image
    settings.update(
        additionalInfo=False, resampledPixelSpacing=None, preCrop=False, normalize=False
    )
    extractor = featureextractor.RadiomicsFeatureExtractor(**settings)
    extractor.enabledImagetypes = params["imageType"]
    extractor.enabledFeatures = {
        k: (v if v is not None else []) for k, v in params["featureClass"].items()
    }
    return extractor


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split())[:200])


def extract_features(
    image: sitk.Image, mask: sitk.Image, settings: ExtractionSettings
) -> tuple[dict[str, float], list[str]]:
    """Features of one case (name -> value) and pyradiomics' warnings; :class:`CaseError` on failure."""
    threads = sitk.ProcessObject.GetGlobalDefaultNumberOfThreads()
    # one ITK thread per case: cases run in parallel processes, and small crops only lose time
    # to thread start-up (restored afterwards for the rest of the process)
    sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
    try:
        return _extract(image, mask, settings)
    finally:
        sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(threads)


def _extract(
    image: sitk.Image, mask: sitk.Image, settings: ExtractionSettings
) -> tuple[dict[str, float], list[str]]:
    image_c, mask_c = prepare(image, mask, settings)
    extractor = _extractor(settings.canonical())
    logger = logging.getLogger("radiomics")
    handler = _Collect()
    silenced = [(h, h.level) for h in logger.handlers]  # pyradiomics' own stderr handler
    for h, _ in silenced:
        h.setLevel(logging.CRITICAL + 1)
    logger.addHandler(handler)
    try:
        values = extractor.execute(image_c, mask_c, label=settings.label)
    except (ValueError, RuntimeError, IndexError) as exc:
        raise CaseError(" ".join(str(exc).split())[:300] or type(exc).__name__) from exc
    finally:
        logger.removeHandler(handler)
        for h, level in silenced:
            h.setLevel(level)
    features = {
        str(k): float(v) for k, v in values.items() if not str(k).startswith("diagnostics_")
    }
    return features, handler.messages


def margin_summary(settings: ExtractionSettings) -> str:
    """How the image is cropped before filtering, for the Methods text."""
    if settings.resampling:
        return (
            "cropped to pyradiomics' resampling grid (mask bounding box plus padDistance) plus "
            f"{BSPLINE_MARGIN} input voxels of B-spline support before resampling"
        )
    if any(name not in LOCAL_IMAGE_TYPES for name in settings.image_types):
        return "not cropped (an enabled image type rescales by whole-image statistics)"
    return (
        "cropped to the mask bounding box plus the support of the enabled filters (LoG: "
        f"{LOG_SIGMAS:g} sigma + 3 voxels; wavelet: filter length x 2^levels)"
    )
