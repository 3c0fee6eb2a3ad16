"""Several samples (rows) of one patient in the cohort table: the ``[cohort] samples`` rule.

With ``sample = "<column>"`` the rows of the cohort table are samples and the patient id may
repeat. ``samples = "error"`` (the default) stops with the duplicate ids listed; ``samples =
"first"`` keeps each patient's first row in file order. The patient-level columns (split, outcome,
every endpoint's time and event) must agree across a patient's rows, so that the rule cannot move
a patient between splits or change an outcome; sample-level variables (a marker measured on each
sample) come from the first row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from remarkit.engine.spec import CohortSpec
from remarkit.errors import InputError
from remarkit.text import name_ids

MAX_SHOWN = 5


@dataclass(frozen=True)
class SampleChoice:
    """Rows kept (one per patient) and the sample ids of the rows left out."""

    keep: np.ndarray
    dropped: tuple[str, ...]


def patient_level_columns(spec: CohortSpec, *, external: bool) -> list[str]:
    """Columns that describe the patient, not the sample: split, outcome, endpoints."""
    columns: list[str] = []
    if spec.split is not None and not external:
        columns.append(spec.split.column)
    if spec.outcome is not None:
        columns.append(spec.outcome.column)
    for surv in spec.all_endpoints().values():
        columns += [surv.time, surv.event]
    return list(dict.fromkeys(columns))


def first_samples(
    table: pd.DataFrame, spec: CohortSpec, file: str, *, external: bool = False
) -> tuple[SampleChoice | None, list[InputError]]:
    """Apply ``samples = "first"``: the first row of each patient, or the problems found.

    The sample id column must be present, complete and unique; patient-level columns must agree
    across a patient's rows.
    """
    assert spec.sample is not None
    errors: list[InputError] = []
    if spec.sample not in table.columns:
        error = InputError(
            f"column '{spec.sample}' named in the spec is not in the table",
            file=file,
            field="cohort.sample",
        )
        return None, [error]
    samples = table[spec.sample]
    missing = [int(i) + 2 for i in samples.isna().to_numpy().nonzero()[0]]
    if missing:
        rows = name_ids(missing, MAX_SHOWN)
        errors.append(
            InputError(f"sample id is missing in row(s) {rows}", file=file, column=spec.sample)
        )
    repeated = sorted({str(v) for v in samples[samples.duplicated() & samples.notna()]})
    if repeated:
        errors.append(
            InputError(
                f"duplicate sample ids {name_ids(repeated, MAX_SHOWN)}: each row must be one sample",
                file=file,
                column=spec.sample,
            )
        )
    ids = table[spec.id].astype(str)
    for column in patient_level_columns(spec, external=external):
        if column not in table.columns:
            continue  # reported by the cohort checks
        values = table[column].astype(str).where(table[column].notna(), "<missing>")
        differ = values.groupby(ids, sort=True).nunique() > 1
        if differ.any():
            patients = [str(p) for p in differ.index[differ.to_numpy()]]
            errors.append(
                InputError(
                    f"the samples of patient(s) {name_ids(patients, MAX_SHOWN)} disagree on this "
                    "patient-level column; samples = 'first' needs one value per patient",
                    file=file,
                    column=column,
                )
            )
    if errors:
        return None, errors
    keep = ~table[spec.id].duplicated(keep="first").to_numpy()
    dropped = tuple(str(s) for s in samples[~keep])
    return SampleChoice(keep=keep, dropped=dropped), []
