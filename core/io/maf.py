"""Read a Mutation Annotation Format (MAF) file: tab-separated, TCGA/GDC columns.

Lines starting with ``#`` before the header (``#version 2.4``) are skipped; a file may be
gzip-compressed. Cells ``""`` and ``"NA"`` are missing, as R's ``data.table::fread`` reads them
for maftools. The columns maftools needs (:data:`MAF_REQUIRED_COLUMNS`) must be present (names
matched ignoring case and returned in the canonical spelling, as maftools' ``validateMaf``);
``Start_Position`` must be an integer and ``Tumor_Sample_Barcode`` non-empty in every row. A
missing or empty ``Hugo_Symbol`` is allowed (maftools calls it "UnknownGene"). By default only the
required columns and the common optional ones (:data:`MAF_OPTIONAL_COLUMNS`) are read, which keeps
a million-row MAF with a hundred columns small in memory; ``columns="statistics"`` reads only the
seven columns the mutation statistics use (:data:`MAF_STATISTICS_COLUMNS`) and ``columns="all"``
(or ``all_columns=True``) every column.

The file is parsed by pyarrow's multi-threaded CSV reader with the text columns dictionary-encoded,
so they arrive as pandas categoricals (integer codes into the distinct values) instead of a
million Python strings. When pyarrow cannot convert a cell (a position that is not an integer, a
byte that is not UTF-8, a row of the wrong length), the file is read again by pandas so that the
error names the row and column.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from remarkit.errors import InputError
from remarkit.io._table_checks import check_header

#: Columns every MAF must have (what maftools' ``read.maf`` uses).
MAF_REQUIRED_COLUMNS: tuple[str, ...] = (
    "Hugo_Symbol",
    "Chromosome",
    "Start_Position",
    "End_Position",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
    "Variant_Classification",
    "Variant_Type",
    "Tumor_Sample_Barcode",
)
#: Columns read when present (besides the required ones) unless ``all_columns``.
MAF_OPTIONAL_COLUMNS: tuple[str, ...] = (
    "Entrez_Gene_Id",
    "NCBI_Build",
    "Strand",
    "Tumor_Seq_Allele1",
    "Matched_Norm_Sample_Barcode",
    "HGVSc",
    "HGVSp",
    "HGVSp_Short",
    "Protein_Change",
    "Transcript_ID",
    "t_depth",
    "t_ref_count",
    "t_alt_count",
    "FILTER",
)
#: The columns the mutation statistics use (what ``columns="statistics"`` reads).
MAF_STATISTICS_COLUMNS: tuple[str, ...] = (
    "Hugo_Symbol",
    "Chromosome",
    "Start_Position",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
    "Variant_Classification",
    "Tumor_Sample_Barcode",
)
MISSING = ("", "NA")
POSITIONS = ("Start_Position", "End_Position")
Columns = Literal["default", "statistics", "all"]


def read_maf(
    path: Path, *, all_columns: bool = False, columns: Columns = "default"
) -> pd.DataFrame:
    """Read and validate a MAF; return one row per variant.

    ``Start_Position`` and ``End_Position`` are int64; every other column is text as a pandas
    categorical, with missing cells as NaN. ``columns`` picks what is read: ``"default"`` (the
    required and common optional columns), ``"statistics"`` (only :data:`MAF_STATISTICS_COLUMNS`)
    or ``"all"``. Errors name the file, row (line number in the file) and column.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError("file not found", file=file)
    skipped, header = _header(path)
    check_header(header, file=file)
    rename = _canonical_names(header, file)
    missing = [c for c in MAF_REQUIRED_COLUMNS if c not in rename.values()]
    if missing:
        raise InputError(
            f"required MAF column(s) missing: {', '.join(missing)}", file=file, column=missing[0]
        )
    if all_columns:
        columns = "all"
    if columns not in ("default", "statistics", "all"):
        raise ValueError(f"columns must be 'default', 'statistics' or 'all', got {columns!r}")
    if columns == "statistics":
        wanted = {name for name, canonical in rename.items() if canonical in MAF_STATISTICS_COLUMNS}
    else:
        wanted = set(header) if columns == "all" else set(rename)
    fast = _read_arrow(path, skipped, header, [c for c in header if c in wanted], rename)
    if fast is not None:
        return _checked(fast.rename(columns=rename), file, skipped + 2)
    try:
        frame = pd.read_csv(
            path,
            sep="\t",
            skiprows=skipped,
            dtype=str,
            keep_default_na=False,
            na_values=list(MISSING),
            usecols=lambda c: c.strip() in wanted,
            quoting=3,  # csv.QUOTE_NONE: MAF cells are never quoted
            encoding="utf-8",
            low_memory=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError, EOFError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the MAF: {message}", file=file) from exc
    if frame.empty:
        raise InputError("the MAF has no variant rows", file=file)
    frame = frame.rename(columns=lambda c: rename.get(c.strip(), c.strip()))
    first_line = skipped + 2
    for column in frame.columns:
        if column in POSITIONS:
            frame[column] = _integers(frame[column], file, column, first_line)
        else:
            frame[column] = frame[column].astype("category")
    return _checked(frame, file, first_line)


def _checked(frame: pd.DataFrame, file: str, first_line: int) -> pd.DataFrame:
    """Sample barcodes stripped of spaces; an empty or missing barcode is an InputError."""
    column = frame["Tumor_Sample_Barcode"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        stripped = pd.Index(column.cat.categories.astype(str)).str.strip()
        blank_category = np.append(np.asarray(stripped == ""), True)  # code -1 is missing
        blank = np.flatnonzero(blank_category[np.where(codes < 0, len(stripped), codes)])
        if not blank.size and stripped.has_duplicates:
            merged, unique = pd.factorize(stripped)
            column = pd.Series(
                pd.Categorical.from_codes(merged[codes], categories=unique),
                index=frame.index,
                name=column.name,
            )
        elif not blank.size:
            column = column.cat.rename_categories(stripped)
    else:
        column = column.str.strip()
        blank = np.flatnonzero((column.isna() | (column == "")).to_numpy())
    if blank.size:
        raise InputError(
            "empty sample barcode",
            file=file,
            row=int(blank[0]) + first_line,
            column="Tumor_Sample_Barcode",
        )
    frame["Tumor_Sample_Barcode"] = column
    return frame


def _read_arrow(
    path: Path, skipped: int, header: list[str], wanted: list[str], rename: dict[str, str]
) -> pd.DataFrame | None:
    """The wanted columns read by pyarrow (text dictionary-encoded, positions int64).

    None when pyarrow cannot read or convert the file, or a position is missing or negative:
    the pandas reader then names the offending cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    text = pa.dictionary(pa.int32(), pa.string())
    types = {c: pa.int64() if rename.get(c) in POSITIONS else text for c in wanted}
    gz = path.name.lower().endswith(".gz")
    try:
        with pa.input_stream(str(path), compression="gzip" if gz else None) as stream:
            table = pacsv.read_csv(
                stream,
                read_options=pacsv.ReadOptions(column_names=header, skip_rows=skipped + 1),
                parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
                convert_options=pacsv.ConvertOptions(
                    include_columns=wanted,
                    column_types=types,
                    null_values=list(MISSING),
                    strings_can_be_null=True,
                ),
            )
    except (pa.ArrowException, OSError, ValueError):
        return None
    for name in wanted:
        if rename.get(name) in POSITIONS:
            values = table.column(name)
            if values.null_count or (len(values) and pc.min(values).as_py() < 0):
                return None
    if table.num_rows == 0:
        return None
    return table.to_pandas()


def _canonical_names(header: list[str], file: str) -> dict[str, str]:
    """Header names of the known MAF columns -> canonical spelling (matched ignoring case, as
    maftools' ``validateMaf`` does, e.g. ``End_position``); other names map to themselves.

    A known column spelt twice (ignoring case) is an InputError naming both columns.
    """
    known = {c.lower(): c for c in (*MAF_REQUIRED_COLUMNS, *MAF_OPTIONAL_COLUMNS)}
    out: dict[str, str] = {}
    taken: dict[str, int] = {}
    for i, name in enumerate(header):
        canonical = known.get(name.lower())
        if canonical is None:
            continue
        if canonical in taken:
            j = taken[canonical]
            raise InputError(
                f"columns '{header[j]}' (column {j + 1}) and '{name}' (column {i + 1}) are both "
                f"the MAF column {canonical}: remove one of them",
                file=file,
                column=name,
            )
        out[name] = canonical
        taken[canonical] = i
    return out


def _header(path: Path) -> tuple[int, list[str]]:
    """Number of ``#`` lines before the header, and the header's column names."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    skipped = 0
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    skipped += 1
                    continue
                return skipped, [c.strip() for c in line.rstrip("\r\n").split("\t")]
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the MAF: {message}", file=str(path)) from exc
    raise InputError("the MAF has no header line", file=str(path))


def _integers(column: pd.Series, file: str, name: str, first_line: int) -> pd.Series:
    """A column of genomic positions as int64; a missing or non-integer cell is an error."""
    numbers = pd.to_numeric(column, errors="coerce")
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(values) | (values != np.round(values)) | (values < 0))
    if bad.size:
        i = int(bad[0])
        cell = column.iloc[i]
        what = "missing position" if pd.isna(cell) else f"'{cell}' is not a position"
        raise InputError(what, file=file, row=i + first_line, column=name)
    return pd.Series(values.astype(np.int64), index=column.index, name=name)
