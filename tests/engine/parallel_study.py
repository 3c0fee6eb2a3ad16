"""A study with independent branches for the concurrency tests (serial, local pool, Dask)."""

from __future__ import annotations

import re
from pathlib import Path

from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from tests.plugins import engine_units, parallel_units

UNITS = """
[[unit]]
id = "std"
use = "test_standardise"
column = "marker"

[[unit]]
id = "count"
use = "test_count"
column = "std.z"
threshold = 0.5

[[unit]]
id = "a"
use = "test_slow_cases"
sleep = 1.0  # long enough to outlast std's start in a fresh (spawned) worker, so b overlaps it

[[unit]]
id = "b"
use = "test_slow_cases"
column = "std.z"
sleep = 0.15

[[unit]]
id = "warns"
use = "test_warns"

[[unit]]
id = "fail"
use = "test_fail"

[[unit]]
id = "after"
use = "test_depends"
upstream = ["fail", "a"]
"""


def parallel_plugins() -> Plugins:
    """Built-ins plus the engine and concurrency test units."""
    return make_plugin_manager(
        entry_points=[],
        extra_plugins=[("engine_units", engine_units), ("parallel_units", parallel_units)],
    )


def masked(out: Path) -> str:
    """results.json with every execution block (timings, cache hits) blanked."""
    text = (out / "results.json").read_text(encoding="utf-8")
    return re.sub(r'"execution": \{[^}]*\}', '"execution": {}', text)


def cache_entries(root: Path) -> dict[str, bytes]:
    """Every file of a cache folder (relative path -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def intervals(markers: Path, unit_id: str) -> list[tuple[float, float]]:
    """(start, end) of every finished case of ``unit_id`` recorded in the marker folder."""
    found: list[tuple[float, float]] = []
    for path in markers.glob(f"{unit_id}-*"):
        parts = path.read_text(encoding="utf-8").split()
        if len(parts) == 2:
            found.append((float(parts[0]), float(parts[1])))
    return found
