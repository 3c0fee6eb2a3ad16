"""Every R reference script records R's and its packages' versions one way: tests/reference/versions.R.

Each script sources versions.R and calls ``write_versions("NAME", packages)`` once, which writes
``NAME_versions.csv`` (header ``item,version``, the row ``R,<R.version.string>``, then a row per
package). These checks read the scripts and the committed files; they need no R.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parent / "reference"
SCRIPTS = sorted(p for p in REFERENCE.glob("*.R") if p.name != "versions.R")
SOURCE = 'source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))'
CALL = re.compile(
    r'^write_versions\("(?P<name>\w+)"(?:, (?P<packages>c\([^)]*\)|"[\w.]+"))?\)$', re.M
)
LIBRARY = re.compile(r"\blibrary\((\w+)\)")
#: Packages that come with R itself: loaded by some scripts, not recorded.
BASE = {"splines", "stats", "utils", "methods"}


def _packages(spec: str | None) -> list[str]:
    return re.findall(r'"([\w.]+)"', spec or "")


def _call(script: Path) -> re.Match[str]:
    calls = list(CALL.finditer(script.read_text(encoding="utf-8")))
    assert len(calls) == 1, f"{script.name}: {len(calls)} write_versions(...) calls, want one"
    return calls[0]


def test_every_script_is_checked() -> None:
    assert len(SCRIPTS) >= 17


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_sources_the_helper_and_records_its_packages(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    assert SOURCE in text, f"{script.name} does not source versions.R"
    assert "packageVersion(" not in text and "R.version" not in text, (
        f"{script.name} records versions itself; call write_versions()"
    )
    loaded = set(LIBRARY.findall(text)) - BASE
    recorded = _packages(_call(script).group("packages"))
    assert loaded <= set(recorded), f"{script.name} loads {sorted(loaded - set(recorded))}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_values_carry_the_version_record(script: Path) -> None:
    call = _call(script)
    path = REFERENCE / f"{call.group('name')}_versions.csv"
    assert path.is_file(), f"{script.name} wrote no {path.name}: run it (Rscript)"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["item", "version"] and '"' not in text, path.name
    assert rows[1][0] == "R" and re.fullmatch(r"R version \d+\.\d+\.\d+.*", rows[1][1]), rows[1]
    assert [r[0] for r in rows[2:]] == _packages(call.group("packages")), path.name
    for item, version in rows[2:]:
        assert re.fullmatch(r"\d+(\.\d+)+", version), f"{path.name}: {item} {version!r}"


def test_no_version_record_without_its_script() -> None:
    names = {_call(script).group("name") for script in SCRIPTS}
    orphans = [p.name for p in REFERENCE.glob("*_versions.csv") if p.name[:-13] not in names]
    assert not orphans
