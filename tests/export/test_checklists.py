"""One filled Word form per checklist, with the report.pdf pages of every item's evidence."""

from __future__ import annotations

from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.export.checklists import filled_checklists, pdf_pages
from remarkit.report.checklist import evaluate
from tests.export.conftest import Exported


def test_every_registered_checklist_has_a_form(exported: Exported) -> None:
    registry = make_plugin_manager().checklists()
    names = sorted(registry.checklists)
    assert [c["name"] for c in exported.manifest["checklists"]] == names
    for entry in exported.manifest["checklists"]:
        assert (exported.folder / entry["file"]).is_file()


def test_form_rows_are_the_audit_statuses_with_pages(exported: Exported) -> None:
    import docx

    registry = make_plugin_manager().checklists()
    remark = evaluate(registry.checklists["remark"], exported.results)
    document = docx.Document(str(exported.folder / "checklist_remark.docx"))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Item", "Topic", "Status", "Evidence in the report", "Page"]
    assert [r[0] for r in rows[1:]] == [str(s.item.number) for s in remark.items]
    assert [r[2] for r in rows[1:]] == [s.status for s in remark.items]
    pages = pdf_pages(exported.report / "report.pdf")
    for row, status in zip(rows[1:], remark.items, strict=True):
        want = sorted({pages[e.anchor] for e in status.evidence})
        assert row[4] == (", ".join(map(str, want)) if want else "\u2013")
        if status.status == "missing":
            assert f"To satisfy: {status.item.satisfy}" in row[3]
    assert any(r[4] not in ("", "\u2013") for r in rows[1:])


def test_pages_are_read_from_the_pdf(exported: Exported) -> None:
    from pypdf import PdfReader

    pages = pdf_pages(exported.report / "report.pdf")
    reader = PdfReader(exported.report / "report.pdf")
    for anchor, title in (("sec-methods", "Methods"), ("sec-provenance", "Appendix: provenance")):
        text = " ".join(reader.pages[pages[anchor] - 1].extract_text().split())
        assert title in text, anchor
    (filled,) = [
        c for c in filled_checklists(exported.report, exported.results) if c.name == "remark"
    ]
    reported = [i for i in filled.items if i.status == "reported"]
    assert reported and all(i.pages for i in reported)
