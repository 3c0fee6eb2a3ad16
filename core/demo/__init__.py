"""The built-in demo: a synthetic study shaped like the reference paper, written to a folder."""

from __future__ import annotations

from pathlib import Path

from remarkit.demo.cohort import make_cohort
from remarkit.demo.spec import study_toml
from remarkit.demo.units import DEMO_UNITS

DEFAULT_SEED = 2025


def write_demo_study(folder: Path, *, seed: int | None = None) -> Path:
    """Write cohort.csv and study.toml into ``folder``; return the study.toml path."""
    seed = DEFAULT_SEED if seed is None else seed
    folder.mkdir(parents=True, exist_ok=True)
    make_cohort(seed).to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    spec = folder / "study.toml"
    spec.write_text(study_toml(seed, DEMO_UNITS), encoding="utf-8")
    return spec


__all__ = ["DEFAULT_SEED", "make_cohort", "write_demo_study"]
