"""A `remarkit run` killed mid-extraction (SIGTERM, SIGKILL): no staging folder or pool worker
outlives it, and the next run resumes from the cache with a byte-identical results.json apart
from the execution blocks (issue 16, finding 13)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.killing import children, cli, masked, staging, wait_gone

pytest.importorskip("radiomics")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean(radiomics_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted, uncached CLI run of a copy of the study (output at ``../clean``)."""
    root = tmp_path_factory.mktemp("kill-clean")
    shutil.copytree(radiomics_study.parent, root / "study")
    out = root / "clean"
    done = subprocess.run(
        cli("run", str(root / "study" / "study.toml"), "--out", str(out), "--no-cache"),
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
    command = cli(
        "run", str(tmp_path / "study" / "study.toml"), "--out", str(out), "--cache-dir",
        str(cache), "--jobs", "2",
    )  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cases = cache / "cases" / "radiomics"
    deadline = time.monotonic() + 300
    while len(list(cases.rglob("*.json"))) < 4:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended too soon"
        time.sleep(0.05)
    workers = children(proc.pid)
    assert workers, "the run extracts in a pool of workers"
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert wait_gone(workers) == [], "pool workers outlived the run"
    assert "Traceback" not in err
    left = staging(tmp_path, "killed")
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and err.strip().endswith("terminated")
        assert left == []
    else:
        assert proc.returncode == -signal.SIGKILL
        assert len(left) == 1 and str(proc.pid) in left[0].name
    assert not out.exists()
    extracted = len(list(cases.rglob("*.json")))
    assert 4 <= extracted < 60
    again = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr
    assert staging(tmp_path, "killed") == []
    assert masked(out) == masked(clean)
