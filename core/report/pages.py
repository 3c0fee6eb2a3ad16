"""PDF page numbers of the checklists' evidence, read back from the rendered report.pdf.

When the PDF is written, WeasyPrint's layout gives the page of every element id (each unit's
block has a start id and an ``-end`` id, so a block that spans pages gives every page it covers).
:func:`write_pages` stores them in ``checklist_pages.json`` beside report.pdf, with the PDF's
sha256; :func:`read_pages` returns them only while report.pdf still has that hash.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from remarkit.hashing import sha256_file
from remarkit.report.checklist import ChecklistStatus, ItemStatus

PAGES_FILE = "checklist_pages.json"
END_SUFFIX = "-end"


def anchor_pages(anchor: str, anchors: dict[str, int]) -> tuple[int, ...]:
    """The pages an element covers: from its id's page to its ``-end`` id's page, if any."""
    start = anchors.get(anchor)
    if start is None:
        return ()
    end = max(anchors.get(anchor + END_SUFFIX, start), start)
    return tuple(range(start, end + 1))


def pages_text(pages: tuple[int, ...]) -> str:
    """``p. 4``, ``pp. 4-6`` or ``pp. 3, 7-8``; empty when no page is known."""
    if not pages:
        return ""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
    return ("p. " if len(pages) == 1 else "pp. ") + text


def with_pages(status: ChecklistStatus, anchors: dict[str, int]) -> ChecklistStatus:
    """``status`` with every evidence's PDF pages filled in from ``anchors``."""
    items: list[ItemStatus] = []
    for item in status.items:
        evidence = tuple(replace(e, pages=anchor_pages(e.anchor, anchors)) for e in item.evidence)
        items.append(replace(item, evidence=evidence))
    return replace(status, items=tuple(items))


def write_pages(
    out_dir: Path, pdf: Path, anchors: dict[str, int], statuses: list[ChecklistStatus]
) -> Path:
    """Write ``checklist_pages.json``: every anchor's page and each checklist item's pages."""
    checklists = {
        s.checklist.name: {i.item.label: list(i.pages) for i in with_pages(s, anchors).items}
        for s in statuses
    }
    data = {
        "pdf": pdf.name,
        "pdf_sha256": sha256_file(pdf),
        "anchors": dict(sorted(anchors.items())),
        "checklists": checklists,
    }
    path = Path(out_dir) / PAGES_FILE
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def read_pages(report_dir: Path) -> dict[str, int] | None:
    """The anchors' pages of a report folder, or None (no pages file, or the PDF changed)."""
    path = Path(report_dir) / PAGES_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        pdf = Path(report_dir) / str(data["pdf"])
        if not pdf.is_file() or sha256_file(pdf) != data["pdf_sha256"]:
            return None
        return {str(k): int(v) for k, v in data["anchors"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
