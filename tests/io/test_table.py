"""read_table: headers read as written, every row as long as the header, located decode errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from remarkit.errors import InputError
from remarkit.io import not_finite, read_table, to_numeric


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_column_names_are_an_error_naming_both(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,platelets,age,platelets\nP1,1,50,210\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    text = str(info.value)
    assert str(path) in text
    assert "column 'platelets' (column 2) is repeated as column 4" in text


def test_duplicate_names_in_a_tsv(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid\tx\tx\nP1\t1\t2\n", "t.tsv")
    with pytest.raises(InputError, match="column 'x' \\(column 2\\) is repeated as column 3"):
        read_table(path)


def test_duplicate_names_in_a_parquet(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = pa.table([pa.array(["P1"]), pa.array(["1"]), pa.array(["2"])], names=["pid", "x", "x"])
    pq.write_table(table, path)
    with pytest.raises(InputError, match="column 'x' \\(column 2\\) is repeated as column 3"):
        read_table(path)


def test_near_duplicate_names_are_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,Platelets,age,platelets \nP1,1,50,210\n")
    notes: list[str] = []
    frame = read_table(path, notes=notes)
    assert list(frame.columns) == ["pid", "Platelets", "age", "platelets"]
    assert len(notes) == 1
    assert "'Platelets' (column 2) and 'platelets ' (column 4)" in notes[0]
    assert str(path) in notes[0]


def test_short_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,age,stage\nP1,50,I\nP2,60\nP3,70,II\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(info.value) == f"{path}: row 3: the row has 2 fields but the header has 3"


def test_long_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,age\nP1,50\nP2,60,x\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(info.value) == f"{path}: row 3: the row has 3 fields but the header has 2"


def test_blank_lines_do_not_count_as_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,age\n\nP1,50\n\nP2,60\n\n")
    frame = read_table(path)
    assert frame["pid"].tolist() == ["P1", "P2"]


def test_quoted_fields_with_separators_and_newlines(tmp_path: Path) -> None:
    path = _write(tmp_path, 'pid,note\nP1,"a, b"\nP2,"two\nlines"\n')
    frame = read_table(path)
    assert frame["note"].tolist() == ["a, b", "two\nlines"]


def test_unclosed_quote_cannot_be_read(tmp_path: Path) -> None:
    path = _write(tmp_path, 'pid,set\n"P1,train\nP2,test\n')
    with pytest.raises(InputError, match="cannot read the table"):
        read_table(path)


def test_latin1_byte_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("pid,city,age\nP1,Paris,50\nP2,Orl\xe9ans,60\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_table(path)
    text = str(info.value)
    assert text.startswith(f"{path}: row 3, column 'city': byte 0xe9 is not UTF-8 text")
    assert "position" not in text


def test_utf8_bom_is_not_part_of_the_first_name(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffpid,age\nP1,50\n".encode())
    assert list(read_table(path).columns) == ["pid", "age"]


def test_a_folder_is_not_a_table(tmp_path: Path) -> None:
    folder = tmp_path / "cohort.csv"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_table(folder)
    assert "is a folder, not a table file" in str(info.value)
    assert "not found" not in str(info.value)


def test_not_finite_finds_infinite_and_overflowing_values() -> None:
    raw = pd.Series(["1", "inf", "-inf", "Infinity", "1e309", "1e308", "1e300", "-1e301", None])
    numeric, bad = to_numeric(raw)
    assert bad == []
    assert not_finite(numeric) == [1, 2, 3, 4, 5, 7]


def test_names_equal_after_trimming_are_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "pid,age, age\nP1,1,2\n")
    with pytest.raises(InputError, match="column 'age' \\(column 2\\) is repeated as column 3"):
        read_table(path)
