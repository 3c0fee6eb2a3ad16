"""Read a neoantigen table: per-sample counts, or per-peptide binding predictions (pVACseq).

Two layouts (CSV, TSV or Parquet), told apart by their columns:

- **counts**: one row per sample, a sample column and a count column (a non-negative integer);
- **predictions**: one row per predicted peptide (and HLA allele), as pVACseq's
  ``all_epitopes.tsv``: a sample column and an IC50 column in nM. A sample's neoantigen count is
  the number of distinct mutant peptides (``MT Epitope Seq`` when present, else rows) predicted
  to bind at least one HLA allele with IC50 < ``ic50_cutoff`` (500 nM by default). A sample listed
  with no binder counts 0.

Columns are found by name (the first of the candidates present) unless given. Errors name the
file, row (line number, header = line 1) and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from remarkit.errors import InputError
from remarkit.io.table import read_table

SAMPLE_COLUMNS = ("Sample Name", "sample", "Sample", "sample_id", "Tumor_Sample_Barcode")
COUNT_COLUMNS = ("neoantigens", "neoantigen_count", "Neoantigens", "count")
IC50_COLUMNS = (
    "Median MT IC50 Score",
    "Median MT Score",
    "Best MT IC50 Score",
    "Best MT Score",
    "ic50",
    "IC50",
)
PEPTIDE_COLUMNS = ("MT Epitope Seq", "peptide", "Peptide")


@dataclass(frozen=True)
class NeoantigenCounts:
    """Neoantigen count per sample and how it was obtained."""

    counts: pd.Series  # int64, indexed by sample id (file order of first appearance)
    layout: str  # "counts" or "predictions"
    sample_column: str
    value_column: str  # the count column, or the IC50 column
    peptide_column: str | None  # predictions: distinct peptides counted by this column
    ic50_cutoff: float | None  # predictions: binders have IC50 < this (nM)
    n_rows: int
    file: str


def read_neoantigens(
    path: Path,
    *,
    sample_column: str | None = None,
    count_column: str | None = None,
    ic50_column: str | None = None,
    ic50_cutoff: float = 500.0,
) -> NeoantigenCounts:
    """Read the table and return per-sample neoantigen counts (see the module docstring)."""
    path = Path(path)
    file = str(path)
    if not (np.isfinite(ic50_cutoff) and ic50_cutoff > 0):
        raise InputError(f"the IC50 cutoff must be a positive number of nM, got {ic50_cutoff}")
    table = read_table(path, missing=("", "NA"))
    if table.empty:
        raise InputError("the neoantigen table has no rows", file=file)
    columns = list(table.columns)
    sample = _column(columns, sample_column, SAMPLE_COLUMNS, "sample", file)
    if sample is None:
        raise InputError(
            f"the neoantigen table has no sample column (expected one of: "
            f"{', '.join(SAMPLE_COLUMNS)}; or set neoantigen_sample_column)",
            file=file,
        )
    ids = _sample_ids(table[sample], file, sample)
    ic50 = _column(columns, ic50_column, IC50_COLUMNS, "IC50", file)
    count = (
        None if ic50 is not None else _column(columns, count_column, COUNT_COLUMNS, "count", file)
    )
    if ic50 is not None and count_column is None:
        peptide = next((c for c in PEPTIDE_COLUMNS if c in columns), None)
        values = _numbers(table[ic50], file, ic50)
        if peptide is not None:
            blank = np.flatnonzero(table[peptide].isna().to_numpy())
            if blank.size:
                raise InputError("empty peptide", file=file, row=int(blank[0]) + 2, column=peptide)
        counts = _binder_counts(ids, values, table[peptide] if peptide else None, ic50_cutoff)
        return NeoantigenCounts(
            counts, "predictions", sample, ic50, peptide, float(ic50_cutoff), len(table), file
        )
    if count is None:
        raise InputError(
            "the neoantigen table needs a per-sample count column (one of: "
            f"{', '.join(COUNT_COLUMNS)}) or per-peptide predictions with an IC50 column (one "
            f"of: {', '.join(IC50_COLUMNS)})",
            file=file,
        )
    values = _numbers(table[count], file, count)
    bad = np.flatnonzero((values < 0) | (values != np.round(values)))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"'{table[count].iloc[i]}' is not a count (a non-negative integer)",
            file=file,
            row=i + 2,
            column=count,
        )
    repeated = ids[ids.duplicated()]
    if len(repeated):
        i = int(np.flatnonzero(ids.duplicated().to_numpy())[0])
        raise InputError(
            f"sample '{repeated.iloc[0]}' has more than one count row", file=file, row=i + 2
        )
    counts = pd.Series(values.astype(np.int64), index=pd.Index(ids, name="sample"))
    return NeoantigenCounts(counts, "counts", sample, count, None, None, len(table), file)


def _column(
    columns: Sequence[str], given: str | None, candidates: Sequence[str], what: str, file: str
) -> str | None:
    """The given column (which must exist) or the first candidate present."""
    if given is not None:
        if given not in columns:
            raise InputError(f"{what} column '{given}' is not in the neoantigen table", file=file)
        return given
    return next((c for c in candidates if c in columns), None)


def _sample_ids(column: pd.Series, file: str, name: str) -> pd.Series:
    blank = np.flatnonzero(column.isna().to_numpy())
    if blank.size:
        raise InputError("empty sample id", file=file, row=int(blank[0]) + 2, column=name)
    return column.astype(str).reset_index(drop=True)


def _numbers(column: pd.Series, file: str, name: str) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        i = int(bad[0])
        cell = column.iloc[i]
        what = "missing value" if pd.isna(cell) else f"non-numeric value '{cell}'"
        raise InputError(what, file=file, row=i + 2, column=name)
    return values


def _binder_counts(
    ids: pd.Series, ic50: np.ndarray, peptides: pd.Series | None, cutoff: float
) -> pd.Series:
    """Distinct binding peptides (IC50 < cutoff) per sample; 0 for a sample without binders."""
    order = pd.Index(pd.unique(ids), name="sample")
    binder = ic50 < cutoff
    if peptides is None:
        counted = ids[binder].value_counts()
    else:
        frame = pd.DataFrame({"sample": ids, "peptide": peptides.reset_index(drop=True)})[binder]
        counted = frame.drop_duplicates().groupby("sample")["peptide"].size()
    return counted.reindex(order, fill_value=0).astype(np.int64).rename(None)
