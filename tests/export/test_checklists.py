"""One filled Word form per applicable checklist, with the report.pdf pages of every item's
evidence (remarkit.report.filled, as `remarkit audit` reads them)."""

from __future__ import annotations

from remarkit.report.filled import filled_checklists
from tests.export.conftest import Exported


def test_every_applicable_checklist_has_a_form(exported: Exported) -> None:
    names = [c.name for c in filled_checklists(exported.report)]
    assert names[0] == "remark"
    assert [c["name"] for c in exported.manifest["checklists"]] == names
    for entry in exported.manifest["checklists"]:
        assert (exported.folder / entry["file"]).is_file()


def test_form_rows_are_the_audit_statuses_with_pages(exported: Exported) -> None:
    import docx

    for checklist in filled_checklists(exported.report):
        document = docx.Document(str(exported.folder / f"checklist_{checklist.name}.docx"))
        rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
        assert rows[0] == ["Item", "Topic", "Status", "Evidence in the report", "Page"]
        assert [r[0] for r in rows[1:]] == [i.number for i in checklist.items]
        assert [r[2] for r in rows[1:]] == [i.status for i in checklist.items]
        for row, item in zip(rows[1:], checklist.items, strict=True):
            want = ", ".join(map(str, item.pages)) if item.pages else None
            assert row[4] == (want or ("not in report.pdf" if item.evidence else "\u2013"))
            if item.status == "missing":
                assert f"To satisfy: {item.hint}" in row[3]
        if checklist.name == "remark":
            assert checklist.pages_known
            assert any(r[4] not in ("", "\u2013") for r in rows[1:])


def test_pages_are_read_from_the_pdf(exported: Exported) -> None:
    from pypdf import PdfReader

    (remark,) = filled_checklists(exported.report, ["remark"])
    reader = PdfReader(exported.report / "report.pdf")
    reported = [i for i in remark.items if i.status == "reported"]
    assert reported and all(i.pages for i in reported)
    for item in reported[:3]:
        text = " ".join(reader.pages[item.pages[0] - 1].extract_text().split())
        assert text, item
