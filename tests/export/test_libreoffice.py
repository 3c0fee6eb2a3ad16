"""The Word files open in LibreOffice: each converts to PDF showing captions and numbers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from remarkit.report.formatting import est_ci
from tests.export.conftest import Exported

SOFFICE = shutil.which("soffice")


def convert(files: list[Path], out: Path) -> dict[str, str]:
    """Convert .docx files to PDF with headless LibreOffice; return each PDF's text."""
    assert SOFFICE is not None
    profile = out / "profile"
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    texts = {}
    for path in files:
        pdf = out / f"{path.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {path.name}: {done.stdout}"
        texts[path.name] = " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(pdf).pages
        )
    return texts


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) not installed; CI installs libreoffice-writer-nogui",
)
def test_word_files_convert_in_libreoffice(exported: Exported, tmp_path: Path) -> None:
    files = [exported.folder / "tables.docx"]
    files += [exported.folder / c["file"] for c in exported.manifest["checklists"]]
    texts = convert(files, tmp_path)
    tables = texts["tables.docx"]
    for entry in exported.manifest["tables"]:
        assert f"Table {entry['number']}. {entry['caption']}" in tables
    row = next(u for u in exported.results["units"] if u["id"] == "groups")["result"]["rows"][0]
    assert est_ci(row["mean"], row["low"], row["high"]) in tables
    remark = texts["checklist_remark.docx"]
    assert "REMARK checklist" in remark and "To satisfy:" in remark
