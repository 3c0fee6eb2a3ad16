"""Synthetic contrast-enhanced CT phantoms for the demo: arterial and portal phase per patient.

Each patient gets a 64 x 64 x 24 volume (2.5 mm isotropic voxels, HU as int16) with an abdominal
wall, a liver with parenchymal texture and portal vessels, and a tumour whose appearance follows
the patient's row of the demo cohort:

- size from ``tumor_size_mm`` (scaled into the field of view), a lobulated outline when
  ``regular_margin`` is "No", a low-attenuation necrotic core when ``necrosis`` is "Yes";
- arterial phase: hyperenhancing tumour, an enhancing rim when ``peritumoral_enhancement`` is
  "Yes", and dilated, tortuous arteries running into and through the tumour when
  ``dilated_vasculature`` is "Yes"; portal phase: wash-out (tumour darker than liver) and a capsule-like rim;
- intratumoral texture (grain size and heterogeneity) driven by a latent variable correlated with
  the outcome (durable clinical benefit) plus noise, so image features carry signal but do not
  reveal the outcome.

The tumour mask (label 1) and the liver mask (label 1) are shared by both phases (the phases are
registered). Everything is drawn from a generator seeded by (seed, patient number): the files are
identical for the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import SimpleITK as sitk  # noqa: N813 - the conventional alias
from scipy import ndimage

SHAPE = (24, 64, 64)  # z, y, x (numpy order)
SPACING_MM = 2.5
PHASES = ("arterial", "portal")
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Appearance:
    """A patient's phantom parameters, from the cohort row and the patient's generator."""

    radius_mm: float
    lobulated: bool
    necrosis: bool
    rim: bool
    dilated: bool
    latent: float


def appearance(row: pd.Series, rng: np.random.Generator) -> Appearance:
    """Phantom parameters of one cohort row (``response`` drives the latent texture variable)."""
    benefit = 1.0 if row["response"] == "DCB" else 0.0
    size = float(row["tumor_size_mm"])
    return Appearance(
        radius_mm=float(np.clip(0.16 * size, 6.0, 20.0)),
        lobulated=row["regular_margin"] == "No",
        necrosis=row["necrosis"] == "Yes",
        rim=row["peritumoral_enhancement"] == "Yes",
        dilated=row["dilated_vasculature"] == "Yes",
        latent=float(1.5 * benefit + rng.normal(0.0, 1.0)),
    )


def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z, y, x = np.meshgrid(*(np.arange(n, dtype=float) for n in SHAPE), indexing="ij")
    return z * SPACING_MM, y * SPACING_MM, x * SPACING_MM


def _smooth_noise(rng: np.random.Generator, sigma_vox: float) -> np.ndarray:
    noise = ndimage.gaussian_filter(rng.standard_normal(SHAPE), sigma_vox, mode="wrap")
    return noise / (noise.std() + 1e-12)


def _anatomy(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Body and liver masks and a portal-vessel mask (bool arrays)."""
    z, y, x = _grid()
    cz, cy, cx = (n * SPACING_MM / 2 for n in SHAPE)
    body = ((y - cy) / 78.0) ** 2 + ((x - cx) / 80.0) ** 2 < 1.0
    ry, rx, rz = rng.uniform(48, 56), rng.uniform(52, 60), rng.uniform(32, 38)
    wobble = 0.08 * _smooth_noise(rng, 4.0)
    liver = ((y - cy) / ry) ** 2 + ((x - cx + 6) / rx) ** 2 + ((z - cz) / rz) ** 2 < 1.0 + wobble
    liver &= body
    angle = rng.uniform(0, np.pi)
    dist = np.abs((y - cy) * np.cos(angle) - (x - cx) * np.sin(angle))
    vessels = liver & (dist < 3.0) & (np.abs(z - cz) < 20)
    return body, liver, vessels


def _tumour(
    look: Appearance, liver: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float]]:
    """Tumour mask, necrotic core mask and tumour centre (mm), placed inside the liver."""
    z, y, x = _grid()
    inner = ndimage.binary_erosion(liver, iterations=int(look.radius_mm / SPACING_MM) + 2)
    candidates = np.argwhere(inner if inner.any() else liver)
    centre_idx = candidates[rng.integers(len(candidates))]
    centre = (
        float(centre_idx[0]) * SPACING_MM,
        float(centre_idx[1]) * SPACING_MM,
        float(centre_idx[2]) * SPACING_MM,
    )
    r = np.sqrt((z - centre[0]) ** 2 + (y - centre[1]) ** 2 + (x - centre[2]) ** 2)
    theta = np.arctan2(y - centre[1], x - centre[2])
    phi = np.arctan2(z - centre[0], np.hypot(y - centre[1], x - centre[2]))
    bumps = 0.0
    if look.lobulated:
        k = rng.integers(3, 6)
        bumps = 0.22 * np.sin(k * theta + rng.uniform(0, 2 * np.pi)) * np.cos(2 * phi)
    tumour = (r < look.radius_mm * (1.0 + bumps)) & liver
    core = tumour & (r < 0.35 * look.radius_mm) if look.necrosis else np.zeros_like(tumour)
    return tumour, core, centre


def _feeders(
    look: Appearance, centre: tuple[float, float, float], rng: np.random.Generator
) -> np.ndarray:
    """Tortuous arteries running to the tumour: thick and several when dilated, else one thin."""
    z, y, x = _grid()
    out = np.zeros(SHAPE, dtype=bool)
    count, width = (3, 2.6) if look.dilated else (1, 1.2)
    for _ in range(count):
        angle = rng.uniform(0, 2 * np.pi)
        wiggle = rng.uniform(2.0, 4.0)
        u = (y - centre[1]) * np.cos(angle) + (x - centre[2]) * np.sin(angle)
        v = -(y - centre[1]) * np.sin(angle) + (x - centre[2]) * np.cos(angle)
        path = wiggle * np.sin(u / 6.0)
        near = (u > 0) & (u < look.radius_mm + 25.0) & (np.abs(z - centre[0]) < 2.0 * width + 2)
        out |= near & (np.abs(v - path) < width)
    return out


def make_phantom(
    look: Appearance, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Arterial and portal volumes (HU, int16), tumour mask and liver mask (uint8), z-y-x order."""
    body, liver, portal_vessels = _anatomy(rng)
    tumour, core, centre = _tumour(look, liver, rng)
    feeders = _feeders(look, centre, rng) & body
    grain = 0.6 + 1.4 / (1.0 + np.exp(-1.5 * look.latent))  # coarser texture with higher latent
    texture = _smooth_noise(rng, grain)
    hetero = 18.0 + 34.0 / (1.0 + np.exp(1.5 * look.latent))  # more heterogeneous when lower
    parenchyma = 4.0 * _smooth_noise(rng, 1.5)
    shell = tumour & ~ndimage.binary_erosion(tumour, iterations=1)
    ring = ndimage.binary_dilation(tumour, iterations=1) & ~tumour & liver
    volumes: dict[str, np.ndarray] = {}
    for phase in PHASES:
        arterial = phase == "arterial"
        hu = np.full(SHAPE, -180.0)  # fat around the body
        hu[body] = 45.0
        hu[liver] = (75.0 if arterial else 115.0) + parenchyma[liver]
        hu[portal_vessels] = 150.0 if arterial else 185.0
        base = (118.0 + 14.0 * look.latent) if arterial else (86.0 + 10.0 * look.latent)
        hu[tumour] = base + hetero * texture[tumour]
        hu[core] = 22.0 + 6.0 * texture[core]
        if arterial:
            if look.rim:
                hu[ring] += 45.0
            hu[feeders] = 230.0 + 15.0 * texture[feeders]
        else:
            hu[shell] += 28.0  # capsule-like delayed rim
        hu += rng.normal(0.0, 9.0, SHAPE)  # quantum noise
        volumes[phase] = np.round(hu).astype(np.int16)
    return volumes, tumour.astype(np.uint8), liver.astype(np.uint8)


def _write(array: np.ndarray, path: Path) -> None:
    image = sitk.GetImageFromArray(array)
    image.SetSpacing((SPACING_MM,) * 3)
    image.SetOrigin((-80.0, -80.0, -30.0))
    sitk.WriteImage(image, str(path), useCompression=True)


def write_phantoms(cohort: pd.DataFrame, folder: Path, *, seed: int) -> Path:
    """Write every patient's phantom files and ``manifest.csv`` into ``folder``; return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []
    for number, (_, row) in enumerate(cohort.iterrows()):
        rng = np.random.default_rng([seed, 7919, number])
        pid = str(row["patient_id"])
        volumes, tumour, liver = make_phantom(appearance(row, rng), rng)
        names = {"mask": f"{pid}_tumour.nii.gz", "liver_mask": f"{pid}_liver.nii.gz"}
        _write(tumour, folder / names["mask"])
        _write(liver, folder / names["liver_mask"])
        for phase in PHASES:
            image = f"{pid}_{phase}.nii.gz"
            _write(volumes[phase], folder / image)
            rows.append({"patient": pid, "phase": phase, "image": image, **names})
    manifest = folder / MANIFEST
    pd.DataFrame(rows).to_csv(manifest, index=False, lineterminator="\n")
    return manifest
