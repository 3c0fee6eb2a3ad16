"""Read tabular inputs (CSV, TSV, Parquet) as text, with the export's missing-value strings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from remarkit.errors import InputError

TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}


def read_table(path: Path, *, missing: Sequence[str] = ()) -> pd.DataFrame:
    """Read a CSV/TSV/Parquet file; every cell a string, the ``missing`` strings as NA.

    Raises :class:`InputError` naming the file when it is absent, empty or unreadable.
    """
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path).astype("string")
        elif suffix in TEXT_SUFFIXES:
            frame = pd.read_csv(
                path,
                sep=TEXT_SUFFIXES[suffix],
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding="utf-8",
            )
        else:
            raise InputError(
                f"unsupported table format '{suffix}' (use .csv, .tsv or .parquet)", file=str(path)
            )
    except InputError:
        raise
    except pd.errors.EmptyDataError as exc:
        raise InputError("the file is empty", file=str(path)) from exc
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the table: {message}", file=str(path)) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip())
    if missing:
        frame = frame.mask(frame.isin(list(missing)))
    return frame


def to_numeric(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Convert text to float; return the values and the positions of non-numeric entries."""
    numeric = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numeric.isna()
    return numeric.astype(float), [int(i) for i in bad.to_numpy().nonzero()[0]]
