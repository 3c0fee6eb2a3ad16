"""tools/typecheck.sh checks the package as installed: remarkit.* imports are followed, not Any."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tools" / "typecheck.sh"

# A plugin module passing an int where remarkit.errors.InputError takes the message (str): an
# error only a type check that follows remarkit.* imports across modules can see.
PLANTED = '''"""Planted by tests/test_typecheck.py."""

from remarkit.errors import InputError


def planted() -> InputError:
    """Wrong argument type for another remarkit module's class."""
    return InputError(42)
'''


def _copy_repo(dest: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__")
    for folder in ("core", "plugins", "report_templates"):
        shutil.copytree(REPO / folder, dest / folder, ignore=skip)
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    cache = REPO / ".mypy_cache" / "typecheck" / "mypy"
    if cache.is_dir():  # only a speed-up: mypy checks every cached file's hash
        shutil.copytree(cache, dest / ".mypy_cache" / "typecheck" / "mypy")


def _typecheck(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TYPECHECK_ROOT": str(root), "TYPECHECK_PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_config_ignores_no_first_party_module() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert "ignore_missing_imports" not in config
    assert config["disallow_untyped_defs"] is True
    for override in config.get("overrides", []):
        if override.get("ignore_missing_imports"):
            modules = override["module"]
            assert not [m for m in modules if m.split(".")[0] in {"remarkit", "core", "plugins"}]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="tools/typecheck.sh needs bash")
def test_typecheck_passes_and_catches_a_cross_module_error(tmp_path: Path) -> None:
    _copy_repo(tmp_path)
    clean = _typecheck(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no issues" in clean.stdout

    (tmp_path / "plugins" / "clinical" / "_planted.py").write_text(PLANTED, encoding="utf-8")
    planted = _typecheck(tmp_path)
    assert planted.returncode == 1, planted.stdout + planted.stderr
    errors = [line for line in planted.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, planted.stdout
    # reported at the repo path (not the temporary remarkit/ tree), naming the bad argument
    assert errors[0].startswith("plugins/clinical/_planted.py:8: error:"), errors[0]
    assert '"InputError" has incompatible type "int"; expected "str"' in errors[0]
    assert "typecheck: 1 errors in 1 files" in planted.stdout
