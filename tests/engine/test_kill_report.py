"""A `remarkit run` killed while it writes the report PDF (SIGTERM, SIGKILL): nothing is moved
into --out, no staging folder outlives the next run, and the next run takes the units from the
cache and gives a results.json byte-identical to a clean run's apart from the execution blocks
(issue 16, finding 13).

The PDF phase is found from outside, as a user's kill would hit it: the run stages its outputs in
``.killed.tmp-<pid>-*``; report.html is written there just before WeasyPrint lays out the PDF, and
checklist_pages.json just after the PDF is written. The kill lands between the two.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from remarkit.engine.outdir import MARKER, output_names
from tests.bad_inputs.base import write_clinical
from tests.killing import cli, masked, staging

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bad-input corpus's clinical study (40 patients, one unit)."""
    return write_clinical(tmp_path_factory.mktemp("kill-report") / "study").parent


@pytest.fixture(scope="module")
def clean(study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted, uncached CLI run of a copy of the study (output at ``../clean``)."""
    root = tmp_path_factory.mktemp("kill-report-clean")
    shutil.copytree(study, root / "study")
    out = root / "clean"
    done = subprocess.run(
        cli("run", str(root / "study" / "study.toml"), "--out", str(out), "--no-cache"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    names = {p.name for p in out.iterdir()} - {MARKER}
    assert names <= output_names(applied=False, report=True), names
    return out


def _in_pdf_phase(proc: subprocess.Popen[str], parent: Path) -> Path:
    """Wait until the run's staging folder holds report.html but not yet checklist_pages.json
    (WeasyPrint is writing report.pdf); return the staging folder."""
    deadline = time.monotonic() + 300
    while True:
        assert proc.poll() is None, "the run ended before its PDF phase"
        assert time.monotonic() < deadline, "no PDF phase within 300 s"
        for folder in staging(parent, "killed"):
            if (folder / "report.html").is_file():
                assert (folder / "results.json").is_file()
                assert not (folder / "checklist_pages.json").exists(), "the PDF was done"
                return folder
        time.sleep(0.01)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_run_killed_while_writing_the_pdf_resumes_identically(
    study: Path, clean: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    shutil.copytree(study, tmp_path / "study")
    out, cache = tmp_path / "killed", tmp_path / "cache"
    command = cli(
        "run", str(tmp_path / "study" / "study.toml"), "--out", str(out), "--cache-dir",
        str(cache),
    )  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    folder = _in_pdf_phase(proc, tmp_path)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    left = staging(tmp_path, "killed")
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, err
        assert err.strip().endswith("terminated"), err
        assert left == []
    else:
        assert proc.returncode == -signal.SIGKILL
        assert left == [folder] and str(proc.pid) in folder.name
        assert (folder / "report.html").is_file()
        assert not (folder / "checklist_pages.json").exists()
    assert not out.exists()
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "1/1 units ok (1 from cache)" in again.stdout, again.stdout
    assert staging(tmp_path, "killed") == []
    assert masked(out) == masked(clean)
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
