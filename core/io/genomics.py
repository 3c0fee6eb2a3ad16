"""Read an expression matrix (genes x samples) from CSV, TSV or Parquet.

The file has one row per gene and one column per sample; the gene identifiers are in
``gene_column`` (default: the first column) and every other column is a sample. Every cell must
be a number: a non-numeric or missing cell raises :class:`InputError` naming the row (the line
number in a text file, header = line 1; the 1-based row in a Parquet file) and the sample column.

Duplicated gene identifiers (several probes or transcripts of one gene) are resolved by one
documented rule, ``duplicates``:

- ``"highest_mean"`` (default): keep the row with the highest mean expression over all samples
  (WGCNA ``collapseRows``' "MaxMean"); on a tie, the row that comes first in the file;
- ``"first"``: keep the first row in file order;
- ``"mean"``: replace the rows by their element-wise mean;
- ``"error"``: raise :class:`InputError` naming the gene and its rows.

Kept rows stay in file order (for ``"mean"``, at the gene's first row).
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from remarkit.errors import InputError
from remarkit.io.table import MAX_MAGNITUDE

DuplicateRule = Literal["highest_mean", "first", "mean", "error"]
DUPLICATE_RULES: tuple[str, ...] = ("highest_mean", "first", "mean", "error")
SEPARATORS = {".csv": ",", ".tsv": "\t", ".txt": "\t"}


@dataclass(frozen=True)
class ExpressionMatrix:
    """A validated expression matrix and what the duplicate rule did."""

    values: pd.DataFrame  # genes x samples, float64; index "gene", columns the sample ids
    duplicate_rule: str
    duplicated_genes: tuple[str, ...]  # genes that had more than one row, in file order
    rows_removed: int  # rows dropped or merged by the duplicate rule
    file: str

    @property
    def samples(self) -> list[str]:
        """Sample ids (columns)."""
        return [str(c) for c in self.values.columns]


def read_expression(
    path: Path, *, gene_column: str | None = None, duplicates: DuplicateRule = "highest_mean"
) -> ExpressionMatrix:
    """Read and validate a genes x samples expression matrix (see the module docstring)."""
    path = Path(path)
    file = str(path)
    if duplicates not in DUPLICATE_RULES:
        raise InputError(
            f"unknown duplicate-gene rule '{duplicates}' (use {', '.join(DUPLICATE_RULES)})",
            file=file,
        )
    if not path.is_file():
        raise InputError("file not found", file=file)
    frame, first_row, gene = _read_frame(path, gene_column)
    header = [str(c) for c in frame.columns]
    samples = [c for c in header if c != gene]
    if not samples:
        raise InputError("the expression matrix has no sample column", file=file)
    genes = _gene_ids(frame[gene], file, gene, first_row)
    values = _numeric_values(frame[samples], file, first_row)
    matrix = pd.DataFrame(values, index=pd.Index(genes, name="gene"), columns=samples)
    matrix.columns.name = None
    return _collapse(matrix, duplicates, file, first_row)


def _read_frame(path: Path, gene_column: str | None) -> tuple[pd.DataFrame, int, str]:
    """The raw table, the row number of its first data row (for messages), the gene column."""
    file = str(path)
    name = path.name.lower()
    suffix = Path(name[:-3]).suffix if name.endswith(".gz") else path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            frame.columns = [str(c) for c in frame.columns]
            return frame, 1, _check_header(list(frame.columns), gene_column, file)
        if suffix not in SEPARATORS:
            raise InputError(
                f"unsupported expression format '{suffix}' (use .csv, .tsv, .txt or .parquet, "
                "optionally gzipped)",
                file=file,
            )
        sep = SEPARATORS[suffix]
        header = _header(path, sep)
        gene = _check_header(header, gene_column, file)
        frame = pd.read_csv(
            path,
            sep=sep,
            header=None,
            skiprows=1,
            names=header,
            dtype={gene: str},
            skip_blank_lines=False,
            encoding="utf-8",
            low_memory=False,
        )
    except InputError:
        raise
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError, EOFError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the expression matrix: {message}", file=file) from exc
    return frame, 2, gene


def _check_header(header: list[str], gene_column: str | None, file: str) -> str:
    """The gene column's name; a missing gene column or a repeated column is an error."""
    gene = header[0] if gene_column is None else gene_column
    if gene not in header:
        raise InputError(f"gene column '{gene}' is not in the expression matrix", file=file)
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(f"column(s) repeated in the header: {', '.join(repeated)}", file=file)
    return gene


def _header(path: Path, sep: str) -> list[str]:
    """The header line's fields, unaltered (pandas would rename repeated names)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        row = next(csv.reader(handle, delimiter=sep), None)
    if not row:
        raise InputError("the expression matrix is empty", file=str(path))
    return [c.strip() for c in row]


def _gene_ids(column: pd.Series, file: str, name: str, first_row: int) -> list[str]:
    """Gene identifiers as stripped strings; an empty one is an error."""
    text = column.astype("string").str.strip()
    blank = np.flatnonzero((text.isna() | (text == "")).to_numpy())
    if blank.size:
        raise InputError(
            "empty gene identifier", file=file, row=int(blank[0]) + first_row, column=name
        )
    return [str(g) for g in text]


def _numeric_values(frame: pd.DataFrame, file: str, first_row: int) -> np.ndarray:
    """The sample columns as a float matrix; the first bad cell raises an InputError."""
    out = np.empty(frame.shape, dtype=np.float64)
    for j, column in enumerate(frame.columns):
        series = frame[column]
        numeric = series if pd.api.types.is_numeric_dtype(series) else None
        if numeric is None or pd.api.types.is_bool_dtype(series):
            numeric = pd.to_numeric(series.astype("string").str.strip(), errors="coerce")
            bad = np.flatnonzero((numeric.isna() & series.notna()).to_numpy())
            if bad.size:
                i = int(bad[0])
                raise InputError(
                    f"non-numeric value '{series.iloc[i]}'",
                    file=file,
                    row=i + first_row,
                    column=str(column),
                )
        values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            missing = np.flatnonzero(~(np.abs(values) <= MAX_MAGNITUDE))
        if missing.size:
            i = int(missing[0])
            what = (
                "missing value"
                if np.isnan(values[i])
                else "infinite value"
                if np.isinf(values[i])
                else f"value {values[i]:g} beyond the plausible magnitude {MAX_MAGNITUDE:g}"
            )
            raise InputError(
                f"{what} (impute it or drop the gene first)",
                file=file,
                row=i + first_row,
                column=str(column),
            )
        out[:, j] = values
    return out


def _collapse(matrix: pd.DataFrame, rule: str, file: str, first_row: int) -> ExpressionMatrix:
    """Apply the duplicate-gene rule."""
    dup_mask = matrix.index.duplicated(keep=False)
    duplicated = tuple(dict.fromkeys(str(g) for g in matrix.index[dup_mask]))
    if not duplicated:
        return ExpressionMatrix(matrix, rule, (), 0, file)
    if rule == "error":
        gene = duplicated[0]
        rows = [int(i) + first_row for i in np.flatnonzero(matrix.index == gene)]
        raise InputError(
            f"gene '{gene}' has {len(rows)} rows ({', '.join(map(str, rows))}); "
            f"{len(duplicated)} gene(s) are duplicated - choose another duplicate_genes rule",
            file=file,
        )
    n_rows = len(matrix)
    if rule == "mean":
        out = matrix.groupby(level=0, sort=False).mean()
    else:
        keep = ~matrix.index.duplicated(keep="first")
        if rule == "highest_mean":
            means = matrix.to_numpy().mean(axis=1)
            order = np.argsort(-means, kind="stable")  # ties keep file order
            first_by_mean = ~matrix.index[order].duplicated(keep="first")
            keep = np.zeros(n_rows, dtype=bool)
            keep[order[first_by_mean]] = True
        out = matrix[keep]
    out.index.name = "gene"
    return ExpressionMatrix(out, rule, duplicated, n_rows - len(out), file)
