"""Minimal valid studies the bad-input cases break, and the helpers the cases share."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.engine.conftest import SPEC as ENGINE_SPEC
from tests.engine.conftest import cohort_frame

#: The engine tests' study (tests/engine/conftest.py) with a closing flow step and one built-in unit.
SPEC = (
    ENGINE_SPEC.replace("Engine test study", "Bad-input corpus study")
    + """
[[cohort.flow]]
label = "analysed"
n = 40

[[unit]]
id = "uni"
use = "univariable_logistic"
variables = ["stage", "age"]
"""
)


def write_clinical(root: Path) -> Path:
    """A valid 40-patient study (cohort.csv, study.toml with one built-in unit) in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    cohort_frame().to_csv(root / "cohort.csv", index=False, lineterminator="\n")
    spec = root / "study.toml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


@dataclass(frozen=True)
class Broken:
    """What a case broke: the study to run, the file the error must name and a location text
    (row, column or field) the error line must contain; ``model``: the model folder
    `remarkit apply` is given (model cases)."""

    spec: Path
    file: Path | None
    where: str
    args: tuple[str, ...] = ()
    model: Path | None = None


@dataclass(frozen=True)
class Case:
    """A bad-input case: its area ('spec', 'cohort', 'images', 'genomics', 'cli', 'models'),
    the base it starts from ('clinical', 'images', 'genomics', 'model') and the function
    breaking it."""

    name: str
    area: str
    base: str
    build: Callable[[Path], Broken]


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` (which must occur) by ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def read_rows(path: Path, sep: str = ",") -> list[list[str]]:
    """A delimited text file's rows (header first)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter=sep) if row]


def write_rows(path: Path, rows: list[list[str]], sep: str = ",") -> None:
    """Write rows back as delimited text ('\\n' line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str, sep: str = ",") -> None:
    """Set one cell; ``row`` numbered as a spreadsheet shows it (the header is row 1)."""
    rows = read_rows(path, sep)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows, sep)
