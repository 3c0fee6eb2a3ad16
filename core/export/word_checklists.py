"""One Word form per checklist: item, topic, status, evidence and the report.pdf page(s)."""

from __future__ import annotations

from pathlib import Path

from remarkit.export.csv_tables import safe_name
from remarkit.export.docx_io import new_document, save_deterministic
from remarkit.report.filled import FilledChecklist, FilledItem

COLUMNS = ("Item", "Topic", "Status", "Evidence in the report", "Page")
NO_PAGE = "not in report.pdf"


def checklist_file(checklist: FilledChecklist) -> str:
    """The file name of a checklist's form: ``checklist_NAME.docx``."""
    return f"checklist_{safe_name(checklist.name)}.docx"


def evidence_text(item: FilledItem) -> str:
    """The evidence cell: evidence, what is lacking and what would satisfy the item."""
    lines = list(item.evidence)
    lines += [f"Lacking: {text}" for text in item.lacking]
    if item.hint:
        lines.append(f"To satisfy: {item.hint}")
    return "\n".join(lines)


def pages_text(item: FilledItem) -> str:
    """The page cell: ``3``, ``3, 7``, or why there is none."""
    if item.pages:
        return ", ".join(str(p) for p in item.pages)
    return NO_PAGE if item.evidence else "\u2013"


def status_counts(checklist: FilledChecklist) -> dict[str, int]:
    """How many items have each status."""
    counts: dict[str, int] = {}
    for item in checklist.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts


def write_checklist_docx(checklist: FilledChecklist, study_title: str, target: Path) -> None:
    """Write the filled form of one checklist."""
    from docx.shared import Pt

    document = new_document(f"{checklist.title} checklist: {study_title}")
    document.add_heading(f"{checklist.title} checklist", level=1)
    document.add_paragraph(study_title)
    counts = status_counts(checklist)
    document.add_paragraph(
        f"{counts.get('reported', 0)} of {len(checklist.items)} items reported, "
        f"{counts.get('partial', 0)} partly reported, {counts.get('missing', 0)} missing, "
        f"{counts.get('not_applicable', 0)} not applicable. Pages are those of report.pdf."
    )
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    for item in checklist.items:
        values = (
            item.number,
            item.title,
            item.status,
            evidence_text(item),
            pages_text(item),
        )
        row = table.add_row().cells
        for cell, value in zip(row, values, strict=True):
            lines = value.split("\n")
            cell.paragraphs[0].add_run(lines[0]).font.size = Pt(8)
            for line in lines[1:]:
                cell.add_paragraph().add_run(line).font.size = Pt(8)
    note = document.add_paragraph()
    note.add_run(
        f"{checklist.citation} Item texts are paraphrased. An item is reported when an analysis "
        "that ran or a filled study-file field evidences it; partial when a field it needs is "
        "empty."
    ).font.size = Pt(8)
    save_deterministic(document, target)
