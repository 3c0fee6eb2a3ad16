"""A `remarkit run` killed mid-extraction (SIGTERM, SIGKILL): no staging folder or pool worker
outlives it, and the next run resumes from the cache with a byte-identical results.json apart
from the execution blocks (issue 16, finding 13)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("radiomics")

pytestmark = pytest.mark.slow


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "remarkit.cli.main", *args]


def _masked(out: Path) -> str:
    text = (out / "results.json").read_text(encoding="utf-8")
    return re.sub(r'"execution": \{[^}]*\}', '"execution": {}', text)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text(encoding="ascii")
        found += [int(c) for c in text.split()]
    return found


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"  # a zombie is dead, awaiting its reaper


def _wait_gone(pids: list[int], seconds: float = 20.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if not _gone(p)]
        if not alive:
            return []
        time.sleep(0.1)
    return alive


@pytest.fixture(scope="module")
def clean(radiomics_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted, uncached CLI run of a copy of the study (output at ``../clean``)."""
    root = tmp_path_factory.mktemp("kill-clean")
    shutil.copytree(radiomics_study.parent, root / "study")
    out = root / "clean"
    done = subprocess.run(
        _cli("run", str(root / "study" / "study.toml"), "--out", str(out), "--no-cache"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_nothing_and_resumes_identically(
    radiomics_study: Path, clean: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    shutil.copytree(radiomics_study.parent, tmp_path / "study")
    out, cache = tmp_path / "killed", tmp_path / "cache"
    command = _cli(
        "run", str(tmp_path / "study" / "study.toml"), "--out", str(out), "--cache-dir",
        str(cache), "--jobs", "2",
    )  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cases = cache / "cases" / "radiomics"
    deadline = time.monotonic() + 300
    while len(list(cases.rglob("*.json"))) < 4:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended too soon"
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "the run extracts in a pool of workers"
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert _wait_gone(workers) == [], "pool workers outlived the run"
    assert "Traceback" not in err
    staging = [p for p in tmp_path.iterdir() if p.name.startswith(".killed.tmp-")]
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and err.strip().endswith("terminated")
        assert staging == []
    else:
        assert proc.returncode == -signal.SIGKILL
        assert len(staging) == 1 and str(proc.pid) in staging[0].name
    assert not out.exists()
    extracted = len(list(cases.rglob("*.json")))
    assert 4 <= extracted < 60
    again = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".killed.tmp-")] == []
    assert _masked(out) == _masked(clean)
