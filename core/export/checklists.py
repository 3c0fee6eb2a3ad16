"""The filled checklists of a report, in the form the Word forms need.

:func:`filled_checklists` is the one adapter between the export and the checklist audit: it
evaluates every checklist the plugins register (as ``remarkit audit`` does) against results.json
and gives, for every item, its status, evidence, what it lacks and the report.pdf page(s) of its
evidence, read back from the PDF's named destinations (WeasyPrint writes one per HTML id).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remarkit.engine.plugin_manager import Plugins


@dataclass(frozen=True)
class FilledItem:
    """One checklist item as a journal's form asks for it."""

    number: str
    topic: str
    text: str
    section: str
    status: str
    evidence: tuple[str, ...]
    lacking: tuple[str, ...]
    satisfy: str
    pages: tuple[int, ...]


@dataclass(frozen=True)
class FilledChecklist:
    """A checklist evaluated against one report."""

    name: str
    title: str
    citation: str
    counts: dict[str, int]
    items: tuple[FilledItem, ...]


def pdf_pages(pdf: Path) -> dict[str, int]:
    """The 1-based page of every named destination (HTML id) of a PDF; empty when absent."""
    if not pdf.is_file():
        return {}
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages: dict[str, int] = {}
    for name, destination in reader.named_destinations.items():
        index = reader.get_destination_page_number(destination)
        if index is not None and index >= 0:
            pages[str(name).lstrip("/")] = index + 1
    return pages


def filled_checklists(
    report_dir: Path, results: dict[str, Any], plugins: Plugins | None = None
) -> list[FilledChecklist]:
    """Every checklist ``plugins`` (default: the installed plugins) register, filled from
    ``results`` with the report.pdf pages."""
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.report.checklist import evaluate
    from remarkit.report.html import REPORT_PDF

    registry = (plugins or make_plugin_manager()).checklists()
    pages = pdf_pages(Path(report_dir) / REPORT_PDF)
    filled = []
    for name in sorted(registry.checklists):
        status = evaluate(registry.checklists[name], results)
        items = []
        for st in status.items:
            found = sorted({pages[e.anchor] for e in st.evidence if e.anchor in pages})
            items.append(
                FilledItem(
                    number=str(st.item.number),
                    topic=st.item.topic,
                    text=st.item.text,
                    section=st.item.section,
                    status=st.status,
                    evidence=tuple(f"{e.label} ({e.section})" for e in st.evidence),
                    lacking=st.lacking,
                    satisfy=st.item.satisfy if st.status != "reported" else "",
                    pages=tuple(found),
                )
            )
        checklist = status.checklist
        filled.append(
            FilledChecklist(
                checklist.name, checklist.title, checklist.citation, status.counts, tuple(items)
            )
        )
    return filled
