"""Packaging: every package folder is mapped, and a wheel carries the registry and templates."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "core": "remarkit",
    "plugins": "remarkit.plugins",
    "report_templates": "remarkit.report_templates",
}


def _declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_declared() -> None:
    found = set()
    for folder, package in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *rel.parts]))
    assert found <= _declared_packages(), sorted(found - _declared_packages())


@pytest.mark.slow
def test_wheel_contains_registry_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("remarkit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "remarkit/registry.toml" in names
    assert "remarkit/report_templates/macros.html" in names
    assert "remarkit/engine/hookspecs.py" in names
    assert "remarkit/export/templates/report/body.html" in names  # the supplement's templates
    assert "remarkit/export/templates/macros.html" in names
    assert not any(n.startswith(("core/", "plugins/")) for n in names)
    templates = sorted(
        f"remarkit/{f.relative_to(ROOT).as_posix()}"  # report_templates/, plugins/*/templates/
        for f in [*(ROOT / "report_templates").rglob("*.html"), *(ROOT / "plugins").rglob("*.html")]
    )
    assert len(templates) > 30
    assert [t for t in templates if t not in names] == []  # every fragment ships in the wheel
