"""Copies of a study for the conformance checks: its cohort table read as text, the columns
shuffled together, a linked copy in a work folder (never writing the user's folder), and the
study of a new cohort (without units and flow) that ``remarkit apply`` scores."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from remarkit.engine.spec import Study
from remarkit.engine.spec_toml import toml_tables


def read_table(spec: Path, study: Study) -> pd.DataFrame:
    path = (
        study.cohort.table if study.cohort.table.is_absolute() else spec.parent / study.cohort.table
    )
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def outcome_groups(study: Study) -> list[list[str]]:
    """Columns shuffled together: the binary outcome, each survival endpoint's (time, event)."""
    groups: list[list[str]] = []
    if study.cohort.outcome is not None:
        groups.append([study.cohort.outcome.column])
    endpoints = [study.cohort.survival, *study.cohort.endpoints.values()]
    groups += [[e.time, e.event] for e in endpoints if e is not None]
    return groups


def linked_study(
    spec: Path, study: Study, folder: Path, table: pd.DataFrame, *, drop_units: bool = False
) -> Path:
    """A copy of the study in ``folder``: links to every file beside the spec, ``table`` as its
    cohort table and (``drop_units``) the spec without its ``[[unit]]`` tables."""
    folder.mkdir(parents=True, exist_ok=True)
    table_path = study.cohort.table
    if table_path.is_absolute():
        raise ValueError(f"check_unit needs a cohort table relative to the spec, got {table_path}")
    for entry in spec.parent.iterdir():
        target = folder / entry.name
        if entry.name not in {spec.name, table_path.parts[0]} and not target.exists():
            target.symlink_to(entry)
    if len(table_path.parts) > 1:  # the table sits in a sub-folder: link its siblings
        source_dir, target_dir = spec.parent / table_path.parent, folder / table_path.parent
        target_dir.mkdir(parents=True, exist_ok=True)
        for entry in source_dir.iterdir():
            if entry.name != table_path.name and not (target_dir / entry.name).exists():
                (target_dir / entry.name).symlink_to(entry)
    table.to_csv(folder / table_path, index=False, lineterminator="\n")
    text = external_toml(study) if drop_units else spec.read_text(encoding="utf-8")
    (folder / spec.name).write_text(text, encoding="utf-8")
    return folder / spec.name


def external_spec_text(text: str) -> str:
    """study.toml text without its ``[[unit]]`` and ``[[cohort.flow]]`` tables: the study of a
    new cohort that ``remarkit apply`` scores."""
    return external_toml(Study.model_validate(tomllib.loads(text)))


def external_toml(study: Study) -> str:
    """``study`` as study.toml text, without its units and its patient flow."""
    kept = study.model_dump(
        mode="json", exclude_unset=True, exclude={"unit": True, "cohort": {"flow"}}
    )
    return toml_tables(kept)
