"""The filled checklists of a report folder: each applicable checklist's items with status,
evidence, hint and PDF pages, ready for a journal's form (``remarkit export`` writes them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.report.audit import load_results, locate_results
from remarkit.report.checklist import (
    ChecklistStatus,
    applicable_checklists,
    evaluate,
    select_checklists,
)
from remarkit.report.pages import pages_text, read_pages, with_pages


@dataclass(frozen=True)
class FilledItem:
    """One item as a form row."""

    number: str  #: as printed: "12", "3a"
    section: str  #: the checklist's section heading
    title: str  #: short paraphrased title
    status: str  #: reported, partial, missing or not_applicable
    evidence: tuple[str, ...]  #: "label (report section, p. N)" per piece of evidence
    hint: str  #: what would satisfy a partial or missing item, else ""
    pages: tuple[int, ...]  #: every PDF page of the evidence (empty when unknown)
    lacking: tuple[str, ...]  #: why evidence falls short (empty fields, failed units)
    decided_by: tuple[str, ...] = ()  #: ids of the evidence rules that decided the status

    @property
    def pages_text(self) -> str:
        """``p. 4`` / ``pp. 4-6``; empty when no page is known."""
        return pages_text(self.pages)


@dataclass(frozen=True)
class FilledChecklist:
    """A whole checklist filled for one report."""

    name: str  #: registry name: remark, tripod-ai, clear, claim
    title: str  #: display title: REMARK, TRIPOD+AI, CLEAR, CLAIM 2024
    citation: str
    items: tuple[FilledItem, ...]
    pages_known: bool  #: whether PDF pages were read back from report.pdf


def fill(status: ChecklistStatus, pages_known: bool) -> FilledChecklist:
    """A :class:`ChecklistStatus` (with pages, when known) as a :class:`FilledChecklist`."""
    items = []
    for st in status.items:
        evidence = []
        for e in st.evidence:
            where = f", {pages_text(e.pages)}" if e.pages else ""
            evidence.append(f"{e.label} ({e.section}{where})")
        items.append(
            FilledItem(
                number=st.item.label,
                section=st.item.section,
                title=st.item.topic,
                status=st.status,
                evidence=tuple(evidence),
                hint=st.hint,
                pages=st.pages,
                lacking=st.lacking,
                decided_by=st.decided_by,
            )
        )
    c = status.checklist
    return FilledChecklist(c.name, c.title, c.citation, tuple(items), pages_known)


def filled_checklists(
    report_dir: Path, names: Sequence[str] | None = None, *, plugins: Plugins | None = None
) -> list[FilledChecklist]:
    """Every applicable checklist of a report folder (or those ``names``), filled, REMARK first.

    Pages come from ``checklist_pages.json`` when it matches report.pdf. Raises InputError for a
    folder without a valid results.json or an unknown checklist name.
    """
    results = load_results(locate_results(Path(report_dir)))
    available = (plugins or make_plugin_manager()).checklists().checklists
    chosen = (
        select_checklists(available, list(names))
        if names
        else applicable_checklists(available, results)
    )
    anchors = read_pages(locate_results(Path(report_dir)).parent)
    statuses = [evaluate(c, results) for c in chosen]
    if anchors is not None:
        statuses = [with_pages(s, anchors) for s in statuses]
    return [fill(s, anchors is not None) for s in statuses]
