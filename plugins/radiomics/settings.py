"""The pyradiomics parameter file: load it as pyradiomics does and fix it in a hashable form.

pyradiomics is imported lazily so that remarkit installs and imports without it (it is installed by
the Makefile, which builds it without build isolation).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remarkit import InputError
from remarkit.hashing import sha256_file

DEFAULT_PARAMS = Path(__file__).with_name("default_params.yaml")

#: Bumped whenever remarkit's extraction (cropping, resampling) changes its numbers.
EXTRACTION_VERSION = "1"

#: Image types whose values at a voxel depend only on a neighbourhood of it; other types
#: (square, logarithm, ...) rescale by whole-image statistics, so their images are never cropped
#: before filtering unless pyradiomics itself crops them (after resampling).
LOCAL_IMAGE_TYPES = frozenset({"Original", "LoG", "Wavelet", "Gradient"})


def pyradiomics_version() -> str:
    """The installed pyradiomics version; :class:`InputError` when it is not installed."""
    try:
        import radiomics
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "pyradiomics is not installed; install it with 'make install' (it needs "
            "--no-build-isolation)"
        ) from exc
    return str(radiomics.__version__).lstrip("v")


@dataclass(frozen=True)
class ExtractionSettings:
    """pyradiomics settings, enabled image types and feature classes, as pyradiomics parsed them."""

    settings: dict[str, Any]
    image_types: dict[str, dict[str, Any]]
    feature_classes: dict[str, list[str] | None]
    source: str
    file_sha256: str
    tolerance: float

    @property
    def label(self) -> int:
        """The mask label extracted."""
        return int(self.settings.get("label", 1))

    @property
    def resampling(self) -> bool:
        """Whether pyradiomics resamples (interpolator and resampledPixelSpacing both set)."""
        s = self.settings
        return s.get("interpolator") is not None and s.get("resampledPixelSpacing") is not None

    def canonical(self) -> str:
        """The parameters as canonical JSON (what a cached case depends on)."""
        return json.dumps(
            {
                "settings": self.settings,
                "imageType": self.image_types,
                "featureClass": self.feature_classes,
                "tolerance": self.tolerance,
            },
            sort_keys=True,
            default=str,
        )

    def digest(self) -> str:
        """sha256 of the canonical parameters, pyradiomics' version and remarkit's extraction."""
        text = f"{self.canonical()}|pyradiomics {pyradiomics_version()}|{EXTRACTION_VERSION}"
        return hashlib.sha256(text.encode()).hexdigest()


def load_settings(path: Path, *, label: int, tolerance: float) -> ExtractionSettings:
    """Validate a pyradiomics YAML/JSON parameter file with pyradiomics' own schema.

    ``label`` (from ``[images]``) is the label extracted; a file that sets another label is an
    error. Raises :class:`InputError` naming the file.
    """
    pyradiomics_version()
    from radiomics import featureextractor

    if not path.is_file():
        raise InputError("pyradiomics parameter file not found", file=str(path))
    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    try:
        extractor = featureextractor.RadiomicsFeatureExtractor(str(path))
    except Exception as exc:  # pykwalify raises its own SchemaError / CoreError types
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise InputError(f"invalid pyradiomics parameter file: {message}", file=str(path)) from exc
    settings = dict(extractor.settings)
    file_label = settings.get("label", 1)
    if "label" in _declared_settings(path) and int(file_label) != label:
        raise InputError(
            f"the parameter file sets label {file_label}, the [images] section label {label}",
            file=str(path),
        )
    settings["label"] = label
    return ExtractionSettings(
        settings=settings,
        image_types={k: dict(v or {}) for k, v in extractor.enabledImagetypes.items()},
        feature_classes={k: (list(v) if v else None) for k, v in extractor.enabledFeatures.items()},
        source=str(path),
        file_sha256=sha256_file(path),
        tolerance=tolerance,
    )


def _declared_settings(path: Path) -> set[str]:
    """Names under ``setting:`` in the file (read with pyradiomics' YAML loader, ruamel)."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    section = data.get("setting") if isinstance(data, dict) else None
    return set(section) if isinstance(section, dict) else set()
