"""``remarkit audit``: print a run's checklist statuses with evidence, and re-hash its inputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.report.audit import Audit, audit, choose_checklists
from remarkit.report.checklist import ChecklistStatus
from remarkit.report.html import REPORT_HTML
from remarkit.report.pages import pages_text

INDENT = " " * 16


def _checklist_lines(status: ChecklistStatus, page: str) -> list[str]:
    counts = status.counts
    lines = [
        f"{status.checklist.title} checklist ({status.checklist.name}): "
        f"{counts['reported']} reported, {counts['partial']} partial, {counts['missing']} missing"
        + (f", {counts['not_applicable']} not applicable" if counts["not_applicable"] else "")
    ]
    for st in status.items:
        where = pages_text(st.pages)
        lines.append(
            f"  {st.item.label:>3}  {st.status.replace('_', ' '):<14}  {st.item.topic}"
            + (f"  [PDF {where}]" if where else "")
        )
        if st.decided_by:
            lines.append(f"{INDENT}decided by: {', '.join(st.decided_by)}")
        for e in st.evidence:
            at = f"; PDF {pages_text(e.pages)}" if e.pages else ""
            lines.append(f"{INDENT}{e.label} -> {page}#{e.anchor} ({e.section}{at})")
        lines.extend(f"{INDENT}lacking: {text}" for text in st.lacking)
        if st.hint:
            lines.append(f"{INDENT}to satisfy: {st.hint}")
    return lines


def format_audit(result: Audit) -> str:
    """The human-readable audit."""
    page = REPORT_HTML if result.report_html else "(no report.html)"
    lines = [f"results: {result.results_path}"]
    lines.append(f"report: {result.report_html or 'report.html not found beside results.json'}")
    if not result.pages:
        lines.append("PDF pages: unknown (no checklist_pages.json matching report.pdf)")
    for status in result.checklists:
        lines += _checklist_lines(status, page)
    where = result.study_dir or "not found (give --study-dir)"
    lines.append(f"inputs (study folder: {where}):")
    width = max((len(i.role) for i in result.inputs), default=0)
    for check in result.inputs:
        lines.append(f"  {check.status:<8}  {check.role:<{width}}  {check.path}")
    lines.append(f"units ({result.unit_mismatches} of {len(result.units)} changed since the run):")
    width = max((len(u.id) for u in result.units), default=0)
    for unit in result.units:
        detail = "; ".join(unit.problems())
        lines.append(f"  {unit.status:<8}  {unit.id:<{width}}  {detail}".rstrip())
    return "\n".join(lines)


def run_audit(args: argparse.Namespace) -> int:
    """``remarkit audit REPORT_DIR|results.json``; ``--strict`` exits 1 on gaps or changes
    (a missing item, a changed input, a unit whose result or files no longer match its hash)."""
    registry = make_plugin_manager().checklists()
    names = getattr(args, "checklist", None)
    checklists = choose_checklists(Path(args.target), registry.checklists, names)
    study_dir = Path(args.study_dir) if args.study_dir else None
    result = audit(Path(args.target), checklists, study_dir=study_dir)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(format_audit(result))
    if args.strict and (result.missing_items or result.mismatches or result.unit_mismatches):
        return 1
    return 0
