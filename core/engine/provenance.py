"""Provenance: file fingerprints and the versions of the libraries a run used."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
from functools import lru_cache
from pathlib import Path

from remarkit.hashing import sha256_file

TRACKED_LIBRARIES = (
    "remarkit",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "lifelines",
    "scikit-learn",
    "xgboost",
    "pyradiomics",
    "SimpleITK",
    "torch",
    "shap",
    "pydantic",
    "pluggy",
    "matplotlib",
    "jinja2",
    "weasyprint",
    "pysam",
)


@lru_cache(maxsize=256)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(Path(path))


def input_sha256(path: Path) -> str:
    """sha256 of an input file's bytes (memoised per path, size and mtime within one process)."""
    stat = path.stat()
    return _sha256_cached(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries whose results remarkit reports."""
    versions = {}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def platform_info() -> dict[str, str]:
    """Python version, implementation, OS and machine."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": platform.system(),
        "machine": platform.machine(),
    }
