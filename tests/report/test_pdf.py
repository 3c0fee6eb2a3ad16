"""The PDF: captions and checklist in the text, pages render, the fetcher stays in the folder."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from remarkit.report.pdf import OutputFolderFetcher, RefusedURLError, write_pdf
from tests.report.conftest import ReportRun

PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5e1f6aa0000000049454e44ae426082"
)


def _text(pdf: Path) -> str:
    reader = PdfReader(pdf)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_pdf_text_has_every_table_caption_and_the_checklist(report_run: ReportRun) -> None:
    pdf = report_run.out / "report.pdf"
    text = _text(pdf)
    captions = re.findall(
        r'<caption id="table-(\d+)"><span class="label">Table \d+\.</span> ([^<]*)</caption>',
        report_run.html,
    )
    assert len(captions) == report_run.compiled.tables
    for number, caption in captions:
        assert f"Table {number}. {caption}" in text
    assert "REMARK checklist" in text
    assert "Marker, objectives and hypotheses" in text and "Implications" in text
    assert "REMARK profile" in text
    assert re.search(r"Page 1 of (\d+)", text)
    assert "Engine test study" in text  # running header / title
    assert "Analysis boom (test_fail) failed." in text


def test_pdf_pages_render_with_pdftoppm(report_run: ReportRun, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian package 'poppler-utils')")
    done = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(report_run.out / "report.pdf"), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(PdfReader(report_run.out / "report.pdf").pages)
    assert all(p.stat().st_size > 0 for p in pages)


def test_fetcher_allows_data_and_files_inside_the_folder_only(tmp_path: Path) -> None:
    (tmp_path / "inside.png").write_bytes(PIXEL_PNG)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(PIXEL_PNG)
    fetcher = OutputFolderFetcher(tmp_path)
    assert fetcher.allows("data:text/plain;base64,aGk=")
    assert fetcher.allows((tmp_path / "inside.png").as_uri())
    for url in (
        "file:///etc/passwd",
        outside.as_uri(),
        (tmp_path / ".." / outside.name).as_uri(),
        "http://example.org/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "file://remote-host/share/x.png",
    ):
        assert not fetcher.allows(url), url
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)
    assert "file:///etc/passwd" in fetcher.refused
    response = fetcher.fetch((tmp_path / "inside.png").as_uri())
    assert response.read() == PIXEL_PNG


def test_pdf_refuses_external_references_in_html(tmp_path: Path) -> None:
    (tmp_path / "inside.png").write_bytes(PIXEL_PNG)
    html = (
        "<html><head><link rel=stylesheet href='https://example.org/x.css'>"
        "<style>@import url('http://example.org/y.css');</style></head><body>"
        "<img src='file:///etc/passwd'><img src='http://127.0.0.1:9/x.png'>"
        "<img src='inside.png'><img src='../escape.png'>"
        f"<img src='data:image/png;base64,{__import__('base64').b64encode(PIXEL_PNG).decode()}'>"
        "</body></html>"
    )
    refused = write_pdf(html, tmp_path, tmp_path / "t.pdf")
    assert sorted(refused) == sorted(
        [
            "https://example.org/x.css",
            "http://example.org/y.css",
            "file:///etc/passwd",
            "http://127.0.0.1:9/x.png",
            (tmp_path.parent / "escape.png").as_uri(),
        ]
    )
    assert (tmp_path / "t.pdf").stat().st_size > 0


def test_pages_have_numbers_running_header_and_repeated_table_headers(
    report_run: ReportRun,
) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(report_run.out / "report.pdf").pages]
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert "Engine test study" in text and "remarkit report" in text
    checklist_pages = [t for t in pages if "Evidence in this report" in t]
    assert len(checklist_pages) >= 2  # the 20-item table breaks, its header repeats
