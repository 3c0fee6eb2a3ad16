"""``tables.docx``: every table of the report as an editable Word table.

Cells are the report's own text (read from report.html), so numbers print exactly as in the
report; spans become merged cells, header cells are bold, numeric columns right-aligned. Each
table is preceded by its caption (``Table N.`` in bold) and followed by its notes; a heading
marks each report section.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from remarkit.export.docx_io import new_document, save_deterministic
from remarkit.export.parse import Cell, ReportTable

TABLES_DOCX = "tables.docx"


def layout(rows: Sequence[Sequence[Cell]]) -> tuple[list[tuple[int, int, Cell]], int]:
    """Grid positions (row, column, cell) of the cells, honouring row and column spans."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, Cell]] = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
            width = max(width, c)
    width = max([width] + [c + 1 for _, c in taken])
    return placed, width


def _write_cell(target: Any, cell: Cell, size: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = cell.text.split("\n") if cell.text else [""]
    paragraph = target.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = target.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = cell.header
        run.font.size = size
        if cell.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_table(document: Any, table: ReportTable) -> None:
    """Append one report table (caption, cells, notes) to ``document``."""
    from docx.shared import Pt

    caption = document.add_paragraph()
    if table.number is not None:
        caption.add_run(f"Table {table.number}. ").bold = True
    caption.add_run(table.caption)
    placed, width = layout(table.rows)
    n_rows = max(len(table.rows), 1)
    grid = document.add_table(rows=n_rows, cols=max(width, 1))
    grid.style = "Table Grid"
    # every cell looked up once before any merge: Table.cell() re-reads the whole grid on each
    # call (quadratic in a table's size); placed cells never overlap, so a merge only removes
    # cells of its own span and the other entries stay valid
    cells = [list(row.cells) for row in grid.rows]
    for r, c, cell in placed:
        target = cells[r][c]
        last_r = min(r + cell.rowspan, n_rows) - 1
        last_c = c + cell.colspan - 1
        if (last_r, last_c) != (r, c):
            target = target.merge(cells[last_r][last_c])
        _write_cell(target, cell, Pt(8))
    for r in range(min(table.header_rows, n_rows)):
        _repeat_header(grid.rows[r])
    for note in table.notes:
        paragraph = document.add_paragraph()
        paragraph.add_run(note).font.size = Pt(8)
    document.add_paragraph()


def _repeat_header(row: Any) -> None:
    """Mark a row as a header row Word repeats on every page."""
    from docx.oxml import OxmlElement

    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)


def write_tables_docx(tables: Sequence[ReportTable], title: str, target: Path) -> None:
    """Write ``tables`` into a Word document at ``target``."""
    document = new_document(f"Tables: {title}")
    document.add_heading(f"Tables: {title}", level=1)
    section = None
    for table in tables:
        if table.section and table.section != section:
            section = table.section
            document.add_heading(section, level=2)
        add_table(document, table)
    save_deterministic(document, target)
