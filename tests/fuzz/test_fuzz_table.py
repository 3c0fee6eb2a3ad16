"""Fuzz the table reader: whatever a CSV/TSV file holds, only InputError escapes, and a table
that is read has every cell as text (no padded, missing cells)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from remarkit.errors import InputError
from remarkit.io import read_table
from tests.fuzz._settings import fuzz

_LITERALS = ["inf", "-inf", "Infinity", "nan", "NaN", "NA", "1e308", "1e309", "-1e400", "0x1p3"]
_cell = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=6),
    st.sampled_from([*_LITERALS, '"', '""', ",", ";", "\t", "\n", "\r", " ", "a b", "é"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
)
_ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, bytes) of a delimited file: random header, short/long rows, quotes, blank lines."""
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(0, 4))
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))  # a blank line
            continue
        n = max(0, width + draw(st.sampled_from([0, 0, 0, -1, 1])))
        cells = draw(st.lists(_cell, min_size=n, max_size=n))
        if draw(st.booleans()):
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        lines.append(sep.join(cells))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(_ENCODINGS))
    data = text.encode(encoding, errors="replace")
    return suffix, data


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("table")


def _read(folder: Path, suffix: str, data: bytes) -> None:
    path = folder / f"cohort{suffix}"
    path.write_bytes(data)
    notes: list[str] = []
    try:
        frame = read_table(path, notes=notes)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    assert isinstance(frame, pd.DataFrame)
    assert not frame.isna().any().any(), "a cell came back missing although no missing strings"
    assert len(set(frame.columns)) == frame.shape[1], "repeated column names"


@fuzz(400)
@given(file=csv_files())
@example(file=(".csv", b"a,b\n1\n"))  # a short row
@example(file=(".csv", b"a,b\n1,2,3\n"))  # a long row
@example(file=(".csv", b'a,b\n"1,2\n'))  # an unclosed quote
@example(file=(".csv", b"a,a\n1,2\n"))  # a repeated name
@example(file=(".csv", b"\xff\xfe\r\x00\n\x00"))  # UTF-16 with CR: was csv.Error
def test_generated_csv_only_input_errors(folder: Path, file: tuple[str, bytes]) -> None:
    _read(folder, *file)


@fuzz(200)
@given(suffix=st.sampled_from([".csv", ".tsv"]), data=st.binary(max_size=200))
@example(suffix=".csv", data=b"\x00")
@example(suffix=".csv", data=b"\xef\xbb\xbf")
def test_random_bytes_only_input_errors(folder: Path, suffix: str, data: bytes) -> None:
    _read(folder, suffix, data)
