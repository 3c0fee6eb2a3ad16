"""Compile a run's report: report.html and report.pdf in the run's (staging) output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remarkit.engine.plugin_manager import Plugins
from remarkit.engine.registry import Checklist
from remarkit.report.checklist import applicable_checklists, evaluate
from remarkit.report.html import REPORT_HTML, REPORT_PDF, render_html
from remarkit.report.pages import write_pages
from remarkit.report.pdf import write_pdf
from remarkit.report.templates import make_environment


@dataclass(frozen=True)
class CompiledReport:
    """The files written and anything the reader should know about them."""

    html: Path
    pdf: Path | None
    tables: int
    figures: int
    problems: list[str] = field(default_factory=list)
    checklists: list[str] = field(default_factory=list)


def compile_report(
    out_dir: Path,
    results: dict[str, Any],
    *,
    plugins: Plugins | None = None,
    templates_dir: Path | None = None,
    pdf: bool = True,
) -> CompiledReport:
    """Write report.html (and report.pdf) into ``out_dir`` from ``results`` (results.json).

    Templates are looked up in ``templates_dir``, then the plugins' folders, then the built-ins;
    the plugins' checklists are evaluated. Fragment failures become failure boxes and problems.
    """
    out_dir = Path(out_dir)
    plugin_dirs = plugins.template_dirs() if plugins is not None else []
    builtin_dirs = plugins.builtin_template_dirs() if plugins is not None else None
    checklists: list[Checklist] = []
    if plugins is not None:
        registry = plugins.checklists()
        checklists = applicable_checklists(registry.checklists, results)
    env = make_environment(templates_dir, plugin_dirs, builtin_dirs)
    html, state = render_html(results, out_dir, env, checklists)
    html_path = out_dir / REPORT_HTML
    html_path.write_text(html, encoding="utf-8")
    problems = list(state.problems)
    pdf_path: Path | None = None
    statuses = [evaluate(checklist, results) for checklist in checklists]
    if pdf:
        pdf_path = out_dir / REPORT_PDF
        anchors: dict[str, int] = {}
        refused = write_pdf(html, out_dir, pdf_path, anchors)
        problems += [f"PDF: refused to fetch {url}" for url in refused]
        write_pages(out_dir, pdf_path, anchors, statuses)
    summaries = []
    for status in statuses:
        counts = status.counts
        summaries.append(
            f"{status.checklist.title} checklist: {counts['reported']} reported, "
            f"{counts['partial']} partial, {counts['missing']} missing"
            + (f", {counts['not_applicable']} not applicable" if counts["not_applicable"] else "")
        )
    return CompiledReport(
        html_path, pdf_path, len(state.tables), len(state.figures), problems, summaries
    )
