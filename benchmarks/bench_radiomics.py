"""Benchmark of radiomics_score's per-case extraction against pyradiomics' own batch extraction.

Run: python benchmarks/bench_radiomics.py [--repeats 3] [--cases 4] [--demo-cases 24]

Case sets (written to a temporary folder):
- demo: arterial-phase demo phantoms (64 x 64 x 24, 2.5 mm) with the demo's parameter file;
- clinical 20 mm / 60 mm: a synthetic 512 x 512 x 100 abdominal CT (0.75 x 0.75 x 2.5 mm, int16,
  uncompressed NRRD) with one spherical textured lesion of 20 or 60 mm, extracted with remarkit's
  default parameter file (1 mm B-spline resampling, original + LoG 1-5 mm + wavelet, every 3-D
  feature class).

For each set, in the same run: pyradiomics (``RadiomicsFeatureExtractor(params).execute`` over
the case list, its defaults, as its batch command does) in one worker; remarkit's
``extract_case`` (hash, cache lookup, load, check, crop, extract, cache write) in one and in two
workers; and remarkit again on the warm per-case cache. Workers are fresh ``spawn`` processes,
warmed up on a small case before timing; each figure is the median over ``--repeats`` runs.
Peak resident memory is read in each worker (VmHWM). A cProfile of remarkit on the two clinical
cases shows where the remaining time goes. The machine's core count and load are printed, and
the 2-worker speed-up of a pure-CPU task measured at the same time: other jobs sharing the
cores slow both sides alike but blur the 2-worker figure.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.plugins.radiomics.cases import CaseTask, extract_case
from remarkit.plugins.radiomics.settings import DEFAULT_PARAMS, load_settings

SHAPE = (100, 512, 512)  # z, y, x
SPACING = (0.75, 0.75, 2.5)  # x, y, z (mm)


def clinical_ct(folder: Path, seed: int) -> Path:
    """A synthetic abdominal CT volume (HU) written as uncompressed NRRD."""
    rng = np.random.default_rng(seed)
    _, y, x = np.ogrid[: SHAPE[0], : SHAPE[1], : SHAPE[2]]
    yy, xx = (y - 256) * SPACING[1], (x - 256) * SPACING[0]
    hu = np.full(SHAPE, -1000.0, dtype=np.float32)
    body = ((yy / 160.0) ** 2 + (xx / 185.0) ** 2 < 1.0)[0]
    hu[:, body] = 35.0
    liver = (((yy + 20) / 95.0) ** 2 + ((xx + 60) / 110.0) ** 2 < 1.0)[0]
    hu[:, liver] = 95.0
    spine = (((yy - 110) / 18.0) ** 2 + (xx / 18.0) ** 2 < 1.0)[0]
    hu[:, spine] = 650.0
    hu += rng.normal(0.0, 12.0, SHAPE).astype(np.float32)
    path = folder / f"ct_{seed}.nrrd"
    _write(np.round(hu).astype(np.int16), path)
    return path


def lesion(folder: Path, image: Path, diameter_mm: float, seed: int) -> Path:
    """Insert a textured spherical lesion into ``image`` (in place) and write its mask."""
    rng = np.random.default_rng(seed)
    ct = sitk.ReadImage(str(image))
    hu = sitk.GetArrayFromImage(ct).astype(np.float32)
    z, y, x = np.ogrid[: SHAPE[0], : SHAPE[1], : SHAPE[2]]
    r = np.sqrt(
        ((z - 50) * SPACING[2]) ** 2 + ((y - 236) * SPACING[1]) ** 2 + ((x - 196) * SPACING[0]) ** 2
    )
    inside = r < diameter_mm / 2
    texture = rng.normal(0.0, 1.0, SHAPE).astype(np.float32)[inside]
    hu[inside] = 60.0 + 25.0 * np.sin(r[inside] / 3.0) + 20.0 * texture
    _write(np.round(hu).astype(np.int16), image)
    mask = folder / f"{image.stem}_mask.nrrd"
    _write(inside.astype(np.uint8), mask)
    return mask


def _write(array: np.ndarray, path: Path) -> None:
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(SPACING)
    image.SetOrigin((-192.0, -192.0, -125.0))
    sitk.WriteImage(image, str(path), useCompression=False)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _warm(params: str) -> float:
    """Bring a worker to its steady state; return its resident memory afterwards (MB).

    A small case is extracted by pyradiomics and by remarkit with the same parameters, so that
    lazy imports and remarkit's per-process extractor are in place before timing starts. The
    pause keeps this worker busy so that every worker of the pool takes one warm-up task.
    """
    import logging

    import radiomics
    from radiomics import featureextractor

    from remarkit.plugins.radiomics.extraction import extract_features

    radiomics.setVerbosity(logging.ERROR)
    z, y, x = np.indices((24, 32, 32))
    blob = ((z - 12) ** 2 + (y - 16) ** 2 + (x - 16) ** 2 < 36).astype(np.uint8)
    values = (40 + 60 * blob + 10 * np.sin(x + y * z)).astype(np.int16)
    image, mask = sitk.GetImageFromArray(values), sitk.GetImageFromArray(blob)
    featureextractor.RadiomicsFeatureExtractor(params).execute(image, mask)
    extract_features(image, mask, load_settings(Path(params), label=1, tolerance=1e-3))
    time.sleep(3.0)
    return _peak_mb()


def pyradiomics_case(job: tuple[str, str, str]) -> tuple[float, float]:
    """pyradiomics' batch step for one case: its defaults (diagnostics on), the same params."""
    import logging

    import radiomics
    from radiomics import featureextractor

    radiomics.setVerbosity(logging.ERROR)
    image, mask, params = job
    started = time.perf_counter()
    featureextractor.RadiomicsFeatureExtractor(params).execute(image, mask)
    return time.perf_counter() - started, _peak_mb()


def remarkit_case(task: CaseTask) -> tuple[float, float]:
    """remarkit's per-case work; fails loudly if the case does not extract."""
    started = time.perf_counter()
    outcome = extract_case(task)
    if outcome.features is None:
        raise RuntimeError(f"{task.patient}: {outcome.failure or outcome.problems}")
    return time.perf_counter() - started, _peak_mb()


def timed_map(
    fn: Callable[[Any], tuple[float, float]], items: list[Any], workers: int, params: str
) -> tuple[float, float, float]:
    """Wall seconds of ``map`` over warmed spawn workers, peak and idle worker memory (MB)."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        idle = max(pool.map(_warm, [params] * workers))
        started = time.perf_counter()
        results = list(pool.map(fn, items))
        wall = time.perf_counter() - started
    return wall, max(m for _, m in results), idle


def burn(n: int) -> tuple[float, float]:
    """A pure-CPU task (no I/O, no threads): what the machine's cores give right now."""
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started, float(total % 7)


def machine_speedup(params: str) -> float:
    """Speed-up of 2 workers over 1 on a pure-CPU task, measured now (other jobs share the cores)."""
    one, _, _ = timed_map(burn, [2_000_000] * 8, 1, params)
    two, _, _ = timed_map(burn, [2_000_000] * 8, 2, params)
    return one / two


def tasks(cases: list[tuple[Path, Path]], params: Path, cache: Path | None) -> list[CaseTask]:
    """remarkit tasks for the case list."""
    settings = load_settings(params, label=1, tolerance=1e-3)
    digest = settings.digest()
    return [
        CaseTask(f"case{i}", "ct", image, mask, settings, digest, cache)
        for i, (image, mask) in enumerate(cases)
    ]


def measure(name: str, cases: list[tuple[Path, Path]], params: Path, repeats: int) -> None:
    """Print medians and ratios for one case set."""
    n = len(cases)
    jobs = [(str(i), str(m), str(params)) for i, m in cases]
    times: dict[str, list[float]] = {k: [] for k in ("pyradiomics", "one", "two", "warm")}
    machine: list[float] = []
    memory: dict[str, float] = {}
    for r in range(repeats):
        wall, peak, idle = timed_map(pyradiomics_case, jobs, 1, str(params))
        times["pyradiomics"].append(wall)
        memory["pyradiomics"] = max(memory.get("pyradiomics", 0.0), peak)
        with tempfile.TemporaryDirectory(prefix="rk-bench-cache-") as cache:
            work = tasks(cases, params, Path(cache) / f"run{r}")
            wall, peak, idle = timed_map(remarkit_case, work, 1, str(params))
            times["one"].append(wall)
            memory["remarkit"] = max(memory.get("remarkit", 0.0), peak)
            memory["idle"] = idle
            wall, _, _ = timed_map(remarkit_case, work, 1, str(params))
            times["warm"].append(wall)
        machine.append(machine_speedup(str(params)))
        with tempfile.TemporaryDirectory(prefix="rk-bench-cache-") as cache:
            work = tasks(cases, params, Path(cache))
            wall, peak, _ = timed_map(remarkit_case, work, 2, str(params))
            times["two"].append(wall)
            memory["remarkit2"] = max(memory.get("remarkit2", 0.0), peak)
    med = {k: statistics.median(v) for k, v in times.items()}
    per = {k: v / n for k, v in med.items()}
    print(f"\n== {name}: {n} cases, median of {repeats} run(s) ==")
    print(
        f"  pyradiomics batch, 1 worker : {per['pyradiomics']:8.3f} s/case {60 / per['pyradiomics']:8.1f} cases/min"
    )
    print(
        f"  remarkit, 1 worker          : {per['one']:8.3f} s/case {60 / per['one']:8.1f} cases/min"
    )
    print(
        f"  remarkit, 2 workers         : {per['two']:8.3f} s/case {60 / per['two']:8.1f} cases/min"
    )
    print(f"  remarkit, warm cache        : {per['warm']:8.4f} s/case")
    print(f"  speed-up over pyradiomics (1 worker each) : {med['pyradiomics'] / med['one']:.2f}x")
    print(
        f"  2 workers over 1 worker                   : {med['one'] / med['two']:.2f}x (a pure-CPU "
        f"task got {statistics.median(machine):.2f}x from 2 workers at the same time)"
    )
    print(f"  warm-cache re-run / first run              : {100 * med['warm'] / med['one']:.2f}%")
    print(
        f"  peak memory per worker: pyradiomics {memory['pyradiomics']:.0f} MB, remarkit "
        f"{memory['remarkit']:.0f} MB (1 worker) / {memory['remarkit2']:.0f} MB (2 workers); "
        f"a warmed idle worker holds {memory['idle']:.0f} MB"
    )


PROFILE_GROUPS = (
    ("hash files (sha256)", "image_sha256"),
    ("read image + mask", "load_image"),
    ("check image/mask pair", "check_pair"),
    ("bounding box + crop + resample", "prepare"),
    ("LoG filter", "getLoGImage"),
    ("wavelet filter", "_swt3"),
    ("shape features", "/shape.py:"),
    ("first-order features", "firstorder.py:"),
    ("GLCM", "glcm.py:"),
    ("GLRLM", "glrlm.py:"),
    ("GLSZM", "glszm.py:"),
    ("GLDM", "gldm.py:"),
    ("NGTDM", "ngtdm.py:"),
)


def profile(name: str, case: tuple[Path, Path], params: Path) -> None:
    """Where one remarkit case spends its time (cProfile, cumulative, serial, cold cache)."""
    (task,) = tasks([case], params, None)
    extract_case(task)  # imports and caches of the process, not of the case
    from remarkit.io import _hashing

    _hashing._file.cache_clear()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    extract_case(task)
    profiler.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    print(f"\n== profile of remarkit on the {name} case: {total:.2f} s (cold cache, 1 worker) ==")
    shown = 0.0
    for label, key in PROFILE_GROUPS:
        seconds = _file_seconds(stats, key[:-1]) if key.endswith(".py:") else _function(stats, key)
        shown += seconds
        print(f"  {label:32s} {seconds:7.3f} s  {100 * seconds / total:5.1f}%")
    rest = total - shown
    print(f"  {'other (binning, bookkeeping)':32s} {rest:7.3f} s  {100 * rest / total:5.1f}%")


def _function(stats: dict[Any, Any], name: str) -> float:
    """Cumulative time of the function ``name`` (its largest entry)."""
    return max((v[3] for (_, _, func), v in stats.items() if func == name), default=0.0)


def _file_seconds(stats: dict[Any, Any], suffix: str) -> float:
    """Time of a feature-class module: its own time plus its calls out of pyradiomics (numpy, C)."""
    total = 0.0
    for (file, _, _), (_, _, tt, _, callers) in stats.items():
        if file.endswith(suffix):
            total += tt
        elif "radiomics" not in file:
            total += sum(edge[3] for (c, _, _), edge in callers.items() if c.endswith(suffix))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", type=int, default=4, help="clinical cases per lesion size")
    parser.add_argument("--demo-cases", type=int, default=24)
    args = parser.parse_args()
    load = os.getloadavg()
    print(
        f"radiomics extraction benchmark: {os.cpu_count()} cores, load average "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} (other jobs share the machine)"
    )
    from remarkit.demo import make_cohort
    from remarkit.demo.phantoms import write_phantoms
    from remarkit.demo.units_imaging import RADIOMICS_PARAMS_YAML

    with tempfile.TemporaryDirectory(prefix="rk-bench-") as tmp:
        root = Path(tmp)
        cohort = make_cohort(2025).head(args.demo_cases)
        write_phantoms(cohort, root / "demo", seed=2025)
        demo_params = root / "demo_params.yaml"
        demo_params.write_text(RADIOMICS_PARAMS_YAML, encoding="utf-8")
        demo = [
            (root / "demo" / f"{p}_arterial.nii.gz", root / "demo" / f"{p}_tumour.nii.gz")
            for p in cohort["patient_id"]
        ]
        measure("demo phantoms", demo, demo_params, args.repeats)
        for diameter in (20.0, 60.0):
            cases = []
            for i in range(args.cases):
                image = clinical_ct(root, seed=int(diameter) * 100 + i)
                cases.append((image, lesion(root, image, diameter, seed=i)))
            label = f"clinical CT 512x512x100, {diameter:.0f} mm lesion"
            measure(label, cases, DEFAULT_PARAMS, args.repeats)
            profile(label, cases[0], DEFAULT_PARAMS)
            for image, mask in cases:
                image.unlink()
                mask.unlink()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
