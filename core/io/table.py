"""Read tabular inputs (CSV, TSV, Parquet) as text, with the export's missing-value strings."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from remarkit.errors import InputError
from remarkit.io._table_checks import check_header, check_rows, decode_text

TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}

#: Largest magnitude accepted as a measured value. Larger finite values (e.g. 1e308) are typos or
#: sentinels; they overflow downstream (exp of a linear predictor, products, squared sums).
MAX_MAGNITUDE = 1e300


def read_table(
    path: Path, *, missing: Sequence[str] = (), notes: list[str] | None = None
) -> pd.DataFrame:
    """Read a CSV/TSV/Parquet file; every cell a string, the ``missing`` strings as NA.

    Raises :class:`InputError` naming the file (and row and column where there is one) when it
    is absent, a folder, empty or unreadable, not UTF-8, has a repeated column name or a row
    with more or fewer fields than the header. Column names differing only in case are
    appended to ``notes`` (warnings) when it is given.
    """
    path = Path(path)
    file = str(path)
    if path.is_dir():
        raise InputError(
            "is a folder, not a table file (give a .csv, .tsv or .parquet file)", file=file
        )
    if not path.is_file():
        raise InputError("file not found", file=file)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = _read_parquet(path, notes)
        elif suffix in TEXT_SUFFIXES:
            sep = TEXT_SUFFIXES[suffix]
            text = decode_text(path.read_bytes(), file=file, sep=sep)
            check_header(check_rows(text, file=file, sep=sep), file=file, notes=notes)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
            )
        else:
            raise InputError(
                f"unsupported table format '{suffix}' (use .csv, .tsv or .parquet)", file=file
            )
    except InputError:
        raise
    except pd.errors.EmptyDataError as exc:
        raise InputError("the file is empty", file=file) from exc
    except (pd.errors.ParserError, OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the table: {message}", file=file) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip())
    if missing:
        frame = frame.mask(frame.isin(list(missing)))
    return frame


def _read_parquet(path: Path, notes: list[str] | None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    names = [str(n) for n in pq.read_schema(path).names]
    names = [n for n in names if n != "__index_level_0__"]
    check_header(names, file=str(path), notes=notes)
    return pd.read_parquet(path).astype("string")


def to_numeric(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Convert text to float; return the values and the positions of non-numeric entries."""
    numeric = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numeric.isna()
    return numeric.astype(float), [int(i) for i in bad.to_numpy().nonzero()[0]]


def not_finite(numeric: pd.Series) -> list[int]:
    """Positions of values that are infinite ('inf', '1e309') or beyond ``MAX_MAGNITUDE``."""
    values = numeric.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_MAGNITUDE)
    return [int(i) for i in np.flatnonzero(bad)]
