"""The bugs the fuzz properties found, each as a plain regression test of its message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from remarkit.engine.load import load_study
from remarkit.errors import InputError, InputErrors, StatisticsError
from remarkit.io import read_table
from remarkit.stats import icc, t_test


def test_deeply_nested_toml_is_one_input_error(tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    path.write_text("a = " + "[" * 5000, encoding="utf-8")
    with pytest.raises(InputErrors, match="nested too deeply") as info:
        load_study(path)
    assert info.value.errors[0].file == str(path)


def test_key_with_line_break_is_escaped_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    path.write_text(
        '[study]\ntitle = "t"\n"a\\nb" = 1\n[cohort]\ntable = "c.csv"\nid = "p"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as info:
        load_study(path)
    assert str(info.value) == f"{path}: field 'study.a\\nb': unknown field"


def test_non_utf8_file_with_cr_in_first_line_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(b"\xff\xfe\r\x00\n\x00")
    with pytest.raises(InputError, match=r"row 1: byte 0xff is not UTF-8"):
        read_table(path)


def test_icc_with_equal_subject_means_is_a_statistics_error() -> None:
    with pytest.raises(StatisticsError, match="no between-subjects variance"):
        icc(np.array([[1.0, 0.0], [0.0, 1.0]]))


def test_icc_and_t_test_refuse_values_whose_squares_overflow() -> None:
    with pytest.raises(StatisticsError, match="beyond 1e\\+50"):
        icc(np.array([[0.0, 1e300], [1.0, -1.0]]))
    with pytest.raises(StatisticsError, match="beyond 1e\\+50"):
        t_test([0.0, 0.0, 0.0, 0.0, 2.3e77], ["a", "a", "a", "b", "b"])
