"""Per-case work run through the engine's executor: check, extract and cache one patient's case.

``extract_case`` is a picklable top-level function. Each case is cached in the study's per-case
cache folder under a key made of the image's and the mask's sha256, the extraction settings
(with label and geometry tolerance), pyradiomics' version and remarkit's extraction version; a
cache file is written to a temporary name and renamed, so a reader never sees half a file. A
case found in the cache was checked when it was extracted (same files, same label and
tolerance), so it is not read again. A cache file stores the features as ``[name, value]``
pairs in pyradiomics' order, so a run resumed from the cache builds the same feature tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit import InputError, InputErrors, UnitContext
from remarkit.io import check_pair, image_sha256, load_image, read_manifest
from remarkit.plugins.radiomics.extraction import CaseError, extract_features
from remarkit.plugins.radiomics.settings import ExtractionSettings

CACHE_FOLDER = "radiomics"


@dataclass(frozen=True)
class CaseTask:
    """One patient's image and tumour mask in one phase, with the extraction settings."""

    patient: str
    phase: str
    image: Path
    mask: Path
    settings: ExtractionSettings
    settings_digest: str
    cache_dir: Path | None
    mask_kind: str = "tumour mask"  # how errors name the mask ('second tumour mask')


@dataclass(frozen=True)
class CaseOutcome:
    """Features of a case, or why it has none.

    ``problems`` are input errors (message, file): the manifest must be fixed. ``failure`` is a
    case pyradiomics could not extract: the run goes on without it.
    """

    patient: str
    features: dict[str, float] | None = None
    failure: str | None = None
    problems: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    cached: bool = False
    seconds: float = 0.0
    image_sha256: str = ""
    mask_sha256: str = ""
    timing: dict[str, float] = field(default_factory=dict)


def case_key(image_sha: str, mask_sha: str, settings_digest: str) -> str:
    """The cache key of a case."""
    return hashlib.sha256(f"{image_sha}|{mask_sha}|{settings_digest}".encode()).hexdigest()


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / CACHE_FOLDER / key[:2] / f"{key}.json"


def read_cached(cache_dir: Path | None, key: str) -> dict[str, float] | None:
    """Cached features of a case, or None (absent or unreadable entries count as absent)."""
    if cache_dir is None:
        return None
    path = _cache_file(cache_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pairs = data.get("features") if isinstance(data, dict) else None
    if not isinstance(pairs, list):
        return None  # absent, or a file of the earlier sorted-dict form (order lost): re-extract
    try:
        return {str(name): float(value) for name, value in pairs}
    except (TypeError, ValueError):
        return None


def write_cached(cache_dir: Path | None, key: str, features: dict[str, float]) -> None:
    """Store a case's features atomically (temporary file in the same folder, then rename)."""
    if cache_dir is None:
        return
    path = _cache_file(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"features": list(features.items())}, allow_nan=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{key[:8]}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_pair(
    task: CaseTask,
) -> tuple[sitk.Image | None, sitk.Image | None, list[tuple[str, str]]]:
    where = f"patient '{task.patient}', phase '{task.phase}'"
    problems: list[tuple[str, str]] = []
    loaded: list[sitk.Image | None] = []
    for kind, path in (("image", task.image), (task.mask_kind, task.mask)):
        try:
            loaded.append(load_image(path))
        except InputError as exc:
            loaded.append(None)
            problems.append((f"{where}: {kind}: {exc.message}", str(path)))
    image, mask = loaded
    if image is not None and mask is not None:
        found = check_pair(
            image, mask, label=task.settings.label, tolerance=task.settings.tolerance
        )
        problems.extend((f"{where}: {task.mask_kind}: {p}", str(task.mask)) for p in found)
    return image, mask, problems


def extract_case(task: CaseTask) -> CaseOutcome:
    """Hash, look up, else load, check, extract and cache one case."""
    started = time.perf_counter()
    timing: dict[str, float] = {}
    try:
        image_sha = image_sha256(task.image, memo_dir=task.cache_dir)
        mask_sha = image_sha256(task.mask, memo_dir=task.cache_dir)
    except InputError as exc:
        where = f"patient '{task.patient}', phase '{task.phase}'"
        return CaseOutcome(task.patient, problems=((f"{where}: {exc.message}", exc.file or ""),))
    timing["hash"] = time.perf_counter() - started
    key = case_key(image_sha, mask_sha, task.settings_digest)
    cached = read_cached(task.cache_dir, key)
    if cached is not None:
        return CaseOutcome(
            task.patient,
            features=cached,
            cached=True,
            seconds=time.perf_counter() - started,
            image_sha256=image_sha,
            mask_sha256=mask_sha,
        )
    mark = time.perf_counter()
    image, mask, problems = _load_pair(task)
    timing["load_check"] = time.perf_counter() - mark
    if problems or image is None or mask is None:
        return CaseOutcome(task.patient, problems=tuple(problems))
    mark = time.perf_counter()
    try:
        features, notes = extract_features(image, mask, task.settings)
    except CaseError as exc:
        return CaseOutcome(
            task.patient,
            failure=str(exc),
            seconds=time.perf_counter() - started,
            image_sha256=image_sha,
            mask_sha256=mask_sha,
        )
    timing["extract"] = time.perf_counter() - mark
    write_cached(task.cache_dir, key, features)
    return CaseOutcome(
        task.patient,
        features=features,
        notes=tuple(dict.fromkeys(notes)),
        seconds=time.perf_counter() - started,
        image_sha256=image_sha,
        mask_sha256=mask_sha,
        timing=timing,
    )


def case_tasks(
    ctx: UnitContext, phase: str, settings: ExtractionSettings, patients: list[str]
) -> list[CaseTask]:
    """One task per patient from the study's image manifest.

    Raises InputError when ``phase`` is not in the manifest and InputErrors naming every patient
    without a row for it.
    """
    images = ctx.study.images
    if images is None:
        raise InputError("radiomics_score needs the [images] section", field="images")
    manifest_path = ctx.study.resolve(images.manifest)
    manifest = read_manifest(manifest_path, columns=images.manifest_columns())
    records = manifest.for_phase(phase)
    if not records:
        raise InputError(
            f"phase '{phase}' is not in the image manifest "
            f"(phases: {', '.join(manifest.phases())})",
            file=str(manifest_path),
        )
    missing = [p for p in patients if p not in records]
    if missing:
        raise InputErrors(
            [
                InputError(
                    f"patient '{p}' has no '{phase}' row in the image manifest",
                    file=str(manifest_path),
                )
                for p in missing
            ]
        )
    digest = settings.digest()
    return [
        CaseTask(
            patient=p,
            phase=phase,
            image=records[p].image,
            mask=records[p].mask,
            settings=settings,
            settings_digest=digest,
            cache_dir=ctx.case_cache_dir,
        )
        for p in patients
    ]
