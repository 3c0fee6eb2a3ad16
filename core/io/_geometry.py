"""Voxel-grid geometry of an image and the checks of a mask against its image."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import SimpleITK as sitk  # noqa: N813 - the conventional alias


@dataclass(frozen=True)
class Geometry:
    """Voxel grid of an image: size (x, y, z), spacing (mm), origin (mm), direction (row-major 3x3)."""

    size: tuple[int, ...]
    spacing: tuple[float, ...]
    origin: tuple[float, ...]
    direction: tuple[float, ...]

    @classmethod
    def of(cls, image: sitk.Image) -> Geometry:
        """The geometry of a loaded image."""
        return cls(
            tuple(int(v) for v in image.GetSize()),
            tuple(float(v) for v in image.GetSpacing()),
            tuple(float(v) for v in image.GetOrigin()),
            tuple(float(v) for v in image.GetDirection()),
        )


def geometry_problems(image: Geometry, mask: Geometry, *, tolerance: float = 1e-3) -> list[str]:
    """How the mask's voxel grid differs from the image's beyond ``tolerance`` (absolute)."""
    problems: list[str] = []
    if image.size != mask.size:
        problems.append(f"mask size {list(mask.size)} differs from image size {list(image.size)}")
    for name, a, b, unit in (
        ("spacing", image.spacing, mask.spacing, " mm"),
        ("origin", image.origin, mask.origin, " mm"),
        ("direction", image.direction, mask.direction, ""),
    ):
        diff = float(np.max(np.abs(np.subtract(a, b))))
        if diff > tolerance:
            problems.append(
                f"mask {name} {_fmt(b)} differs from image {name} {_fmt(a)} "
                f"by {diff:.3g}{unit} (tolerance {tolerance:g})"
            )
    return problems


def label_problems(mask: sitk.Image, *, label: int = 1) -> list[str]:
    """Problems of a mask's content: empty, or without any voxel of ``label``."""
    import SimpleITK as sitk  # noqa: N813 - the conventional alias

    values = sitk.GetArrayViewFromImage(mask)
    if not np.any(values):
        return ["the mask is empty (every voxel is 0)"]
    if not np.any(values == label):
        present = np.unique(values[values != 0])
        shown = ", ".join(f"{v:g}" for v in present[:5]) + (" ..." if present.size > 5 else "")
        return [f"the mask holds no voxel with label {label} (labels present: {shown})"]
    return []


def _fmt(values: tuple[float, ...]) -> str:
    return "(" + ", ".join(f"{v:.4g}" for v in values) + ")"
