"""A small synthetic study for plugin tests, drawn from the demo's generators.

The cohort is a stratified sample (by split and outcome) of the demo cohort: patients with AFP at
baseline and one month, platelets, semantic CT features, a binary outcome (``response``,
positive ``DCB``), overall survival and a train/test split; every demo variable is declared, the
CT semantic features as ``[cohort.semantic]`` tables (two readers and an adjudicator each).
``images=True`` adds the demo's CT phantoms (arterial and portal phase, tumour and liver masks)
and ``genomics=True`` the demo's expression matrix, gene sets, MAF and neoantigen table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from remarkit.demo import DEFAULT_SEED, make_cohort
from remarkit.demo.cohort import N_TEST, N_TRAIN
from remarkit.demo.readers import semantic_specs
from remarkit.demo.spec import VARIABLES, unit_specs
from remarkit.engine.spec import (
    CohortSpec,
    FlowStep,
    GenomicsSpec,
    ImagesSpec,
    Narrative,
    Study,
    StudyInfo,
    VariableSpec,
)
from remarkit.engine.spec_toml import study_toml
from remarkit.testing.toml import unit_tables

DEFAULT_PATIENTS = 80
MIN_PATIENTS = 30

#: The test study's [study] table (its seed is the caller's).
STUDY: dict[str, Any] = {
    "title": "Synthetic test study (remarkit.testing)",
    "markers": ["AFP", "CT semantic features"],
    "objective": "To test a remarkit analytic unit on synthetic patients.",
    "hypotheses": "None: the data are synthetic.",
    "design": "Synthetic retrospective cohort with a train/test split",
    "period": "Synthetic enrolment 2019 to 2023",
    "endpoints": ["Durable clinical benefit (DCB)", "Overall survival"],
}
NARRATIVE: dict[str, str] = {
    "patients": "Synthetic patients drawn from remarkit's demo generator.",
    "treatment": "Synthetic ICIs-based conversion therapy.",
    "specimens": "Synthetic serum AFP at baseline and one month; synthetic CT.",
    "assay": "None (synthetic values).",
    "sample_size": "A stratified sample of the demo cohort, sized for fast tests.",
    "interpretation": "Synthetic data: nothing here is a clinical finding.",
    "implications": "None.",
}
#: [cohort]: the table, its id, missing-value codes, split, outcome and survival.
COHORT: dict[str, Any] = {
    "table": "cohort.csv",
    "id": "patient_id",
    "missing": ["NA", ""],
    "split": {"column": "set", "train": "train", "test": "test"},
    "outcome": {"column": "response", "positive": "DCB", "label": "Durable clinical benefit"},
    "survival": {"time": "os_months", "event": "death", "unit": "months"},
}


def synthetic_cohort(patients: int = DEFAULT_PATIENTS, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The demo cohort, or a sample of it stratified by split and outcome (deterministic)."""
    full = make_cohort(seed)
    if patients == len(full):
        return full
    if not MIN_PATIENTS <= patients <= len(full):
        raise ValueError(f"patients must be between {MIN_PATIENTS} and {len(full)}, got {patients}")
    groups = {
        key: idx  # (set, response) tuples: two grouping columns
        for key, idx in full.groupby(["set", "response"], sort=True).indices.items()
        if isinstance(key, tuple)
    }
    quotas = {key: patients * len(idx) / len(full) for key, idx in groups.items()}
    sizes = {key: int(q) for key, q in quotas.items()}
    by_remainder = sorted(quotas, key=lambda k: (-(quotas[k] - sizes[k]), k))
    for key in by_remainder[: patients - sum(sizes.values())]:
        sizes[key] += 1
    rng = np.random.default_rng([seed, 4242])
    chosen = np.concatenate(
        [rng.choice(groups[key], sizes[key], replace=False) for key in sorted(groups)]
    )
    return full.iloc[np.sort(chosen)].reset_index(drop=True)


def synthetic_study(
    cohort: pd.DataFrame,
    *,
    seed: int,
    total: int,
    units: Sequence[Mapping[str, Any]] | str = (),
    images: bool = False,
    genomics: GenomicsSpec | None = None,
) -> Study:
    """The test study of ``cohort`` (drawn from ``total`` patients) as the :class:`Study` model."""
    n = len(cohort)
    n_train = int((cohort["set"] == "train").sum())
    flow = [FlowStep(label="Synthetic patients generated", n=total)]
    if n < total:
        flow.append(FlowStep(label="Not drawn into this test study", excluded=total - n))
    flow.append(FlowStep(label=f"Analysed ({n_train} train, {n - n_train} test)", n=n))
    variables = {
        name: VariableSpec.model_validate(
            {"type": kind, "label": label}
            | ({"unit": unit} if unit else {})
            | ({"levels": levels, "reference": levels[0]} if levels else {})
        )
        for name, (kind, label, unit, levels) in VARIABLES.items()
    }
    extra: dict[str, Any] = {}
    if images:
        from remarkit.demo.phantoms import MANIFEST

        extra["images"] = ImagesSpec(manifest=Path("images") / MANIFEST)
    if genomics is not None:
        extra["genomics"] = genomics
    return Study(
        study=StudyInfo(**STUDY, seed=seed, narrative=Narrative(**NARRATIVE)),
        cohort=CohortSpec.model_validate(
            {**COHORT, "variables": variables, "semantic": semantic_specs(), "flow": flow}
        ),
        unit=unit_specs(units),
        **extra,
    )


def write_synthetic_study(
    folder: Path,
    *,
    units: Sequence[Mapping[str, Any]] | str = (),
    patients: int = DEFAULT_PATIENTS,
    images: bool = False,
    genomics: bool = False,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Write cohort.csv (and images/, genomics/ when asked) and study.toml; return its path.

    ``units`` are ``[[unit]]`` tables (mappings with ``id``, ``use`` and parameters) or TOML text.
    """
    from remarkit.demo.genomics import GENOMICS, N_PATIENTS, write_genomics

    if genomics and patients < N_PATIENTS:
        raise ValueError(f"genomics=True needs at least {N_PATIENTS} patients, got {patients}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cohort = synthetic_cohort(patients, seed=seed)
    cohort.to_csv(folder / "cohort.csv", index=False, lineterminator="\n")
    if images:
        from remarkit.demo.phantoms import write_phantoms

        write_phantoms(cohort, folder / "images", seed=seed)
    if genomics:
        write_genomics(folder, cohort, seed)
    study = synthetic_study(
        cohort,
        seed=seed,
        total=N_TRAIN + N_TEST,
        units=units,
        images=images,
        genomics=GENOMICS if genomics else None,
    )
    spec = folder / "study.toml"
    spec.write_text(study_toml(study), encoding="utf-8")
    return spec


def add_units(spec: Path, units: Sequence[Mapping[str, Any]] | str, *, name: str) -> Path:
    """A copy of ``spec`` with more ``[[unit]]`` tables, beside it (relative paths still resolve)."""
    spec = Path(spec)
    target = spec.with_name(f"{spec.stem}-{name}.toml")
    base = spec.read_text(encoding="utf-8").rstrip("\n")
    target.write_text(base + "\n\n" + unit_tables(units), encoding="utf-8")
    return target
