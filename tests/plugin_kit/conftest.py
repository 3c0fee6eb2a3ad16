"""Shared helpers of the plugin-kit tests: pip in the test environment, fake distributions."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from remarkit.cli.main import main
from tests.conftest import install_fake_distribution

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "remarkit-marker-kinetics"
DOCS = ROOT / "docs" / "plugins.md"


def pip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run pip of the test environment, offline-fast (no build isolation); fail on error."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def cli_json(*argv: str, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run a CLI verb with ``--json`` in-process and parse its output."""
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def write_plugin_module(site: Path, module: str, source: str) -> None:
    """Write ``module``.py into the fake site folder."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(source, encoding="utf-8")


@pytest.fixture
def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for fake distributions; their modules are forgotten afterwards."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    before = set(sys.modules)
    yield site
    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        if module is not None and str(getattr(module, "__file__", "") or "").startswith(str(site)):
            del sys.modules[name]


__all__ = ["DOCS", "EXAMPLE", "ROOT", "cli_json", "install_fake_distribution", "pip"]
