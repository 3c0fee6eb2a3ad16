"""PDF pages of the checklists' evidence, read back from report.pdf; `remarkit audit --checklist`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from remarkit.cli.main import main
from remarkit.report.filled import filled_checklists
from remarkit.report.pages import PAGES_FILE, anchor_pages, pages_text, read_pages
from tests.report.conftest import ReportRun


def _page_texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(pdf).pages]


def test_pages_file_matches_where_the_text_is(report_run: ReportRun) -> None:
    data = json.loads((report_run.out / PAGES_FILE).read_text(encoding="utf-8"))
    assert data["pdf"] == "report.pdf"
    anchors = read_pages(report_run.out)
    assert anchors is not None
    texts = _page_texts(report_run.out / "report.pdf")
    # REMARK 2 is evidenced by [study.narrative] patients: its page holds that text.
    (page,) = anchor_pages("f-study-narrative-patients", anchors)
    assert "Consecutive adults with the disease." in texts[page - 1]
    assert data["checklists"]["remark"]["2"] == [page]
    # A unit's block: its heading is on its first page, its last page is the page of its end.
    pages = anchor_pages("unit-groups", anchors)
    assert "groups: test_report_groups" in texts[pages[0] - 1]
    assert pages[-1] == anchors["unit-groups-end"]
    assert data["checklists"]["remark"]["13"] == list(pages)
    assert anchor_pages("f-study-title", anchors) == (1,)
    # The PDF's checklist table prints the same page beside the evidence.
    checklist_text = " ".join(texts[anchors["checklist-remark"] - 1 :])
    assert f"(Study and patients, p. {page})" in checklist_text


def test_pages_are_dropped_when_the_pdf_changed(report_run: ReportRun, tmp_path: Path) -> None:
    copy = tmp_path / "report"
    shutil.copytree(report_run.out, copy)
    assert read_pages(copy) is not None
    with (copy / "report.pdf").open("ab") as handle:
        handle.write(b"\n")
    assert read_pages(copy) is None
    (copy / PAGES_FILE).unlink()
    assert read_pages(copy) is None


def test_pages_text() -> None:
    assert pages_text(()) == ""
    assert pages_text((4,)) == "p. 4"
    assert pages_text((4, 5, 6)) == "pp. 4-6"
    assert pages_text((3, 7, 8)) == "pp. 3, 7-8"


def test_filled_checklists_for_export(report_run: ReportRun) -> None:
    (remark,) = filled_checklists(report_run.out)
    assert (remark.name, remark.title, remark.pages_known) == ("remark", "REMARK", True)
    item = remark.items[1]
    assert (item.number, item.title, item.status) == (
        "2",
        "Patient characteristics and selection",
        "reported",
    )
    assert item.pages and item.evidence == (
        f"study.narrative.patients (Study and patients, {item.pages_text})",
    )
    tripod = filled_checklists(report_run.out, ["tripod-ai"])[0]
    assert len(tripod.items) == 52
    funding = next(i for i in tripod.items if i.number == "18a")
    assert funding.status == "missing" and funding.pages == () and "funding" in funding.hint


@pytest.mark.parametrize(
    ("name", "title", "count"),
    [
        ("remark", "REMARK", 20),
        ("tripod-ai", "TRIPOD+AI", 52),
        ("clear", "CLEAR", 58),
        ("claim", "CLAIM 2024", 44),
    ],
)
def test_audit_each_checklist(
    report_run: ReportRun, capsys: pytest.CaptureFixture[str], name: str, title: str, count: int
) -> None:
    assert main(["audit", str(report_run.out), "--checklist", name]) == 0
    out = capsys.readouterr().out
    assert f"{title} checklist ({name}):" in out
    rows = re.findall(r"^ +(\d+[a-z]?) {2}(reported|partial|missing|not applicable) ", out, re.M)
    assert len(rows) == count
    assert main(["audit", str(report_run.out), "--checklist", name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in data["checklists"]] == [name]
    assert len(data["checklists"][0]["items"]) == count
    assert data["pdf_pages"] is True
    missing = [i for i in data["checklists"][0]["items"] if i["status"] == "missing"]
    assert missing and all(i["satisfy"] for i in missing)
    # an item without any evidence has no page; one that the content rules judge missing may
    # still point at the place that falls short
    assert all(i["pages"] == [] for i in missing if not i["evidence"])
    assert main(["audit", str(report_run.out), "--checklist", name, "--strict"]) == 1
    capsys.readouterr()


def test_audit_default_is_every_applicable_checklist_with_pages(
    report_run: ReportRun, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(report_run.out)]) == 0
    out = capsys.readouterr().out
    assert "REMARK checklist (remark):" in out and "TRIPOD+AI" not in out
    assert re.search(
        r"^ +2 {2}reported +Patient characteristics and selection {2}\[PDF p\. \d+\]$", out, re.M
    )
    assert re.search(
        r"study\.narrative\.patients -> report\.html#f-study-narrative-patients \(Study and patients; PDF p\. \d+\)",
        out,
    )


def test_audit_unknown_checklist_is_a_one_line_error(
    report_run: ReportRun, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(report_run.out), "--checklist", "stard"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: field '--checklist': unknown checklist 'stard' (available: claim, clear, remark, "
        "tripod-ai)\n"
    )
