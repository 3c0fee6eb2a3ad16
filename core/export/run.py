"""``remarkit export``: write a journal submission folder from a finished report folder.

The folder holds ``tables.docx`` (every table of the report, cells as printed), ``tables/*.csv``
(the same numbers unrounded, from results.json), ``figures/`` (each figure as SVG and PDF and as
600 dpi TIFFs at single- and double-column width), ``checklist_NAME.docx`` per checklist,
``supplement.pdf`` and ``export.json``, the manifest tying every file to its source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remarkit._version import __version__
from remarkit.errors import InputError
from remarkit.export.csv_tables import CsvTable, results_tables, safe_name
from remarkit.export.folder import MANIFEST, MARK, check_target, staging
from remarkit.export.parse import ReportFigure, ReportTable, parse_report
from remarkit.export.word_tables import TABLES_DOCX, write_tables_docx
from remarkit.hashing import sha256_file
from remarkit.report.sections import STUDY

if TYPE_CHECKING:
    from remarkit.engine.plugin_manager import Plugins

FIGURES, TABLES = "figures", "tables"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote (for the command's summary line)."""

    folder: Path
    tables: int
    csv_files: int
    figures: int
    checklists: tuple[str, ...]
    supplement_tables: int


def read_report(report_dir: Path) -> tuple[dict[str, Any], str]:
    """results.json (checked) and report.html of a report folder; InputError otherwise."""
    from remarkit.engine.results import RESULTS_FILE
    from remarkit.report.audit import load_results
    from remarkit.report.html import REPORT_HTML

    if not report_dir.is_dir():
        raise InputError("report folder not found", file=str(report_dir))
    results_path = report_dir / RESULTS_FILE
    if not results_path.is_file():
        raise InputError(
            f"not a remarkit report folder: it holds no {RESULTS_FILE}", file=str(report_dir)
        )
    results = load_results(results_path)
    html_path = report_dir / REPORT_HTML
    if not html_path.is_file():
        raise InputError(
            f"the report folder holds no {REPORT_HTML} (compile the report first)",
            file=str(report_dir),
        )
    return results, html_path.read_text(encoding="utf-8")


def figure_stem(figure: ReportFigure, results: dict[str, Any]) -> str:
    """``figNN_UNIT_NAME`` (the unit's figure name when the image is one of its files)."""
    name = "flow" if figure.unit is None else figure.unit
    digest = hashlib.sha256(figure.data).hexdigest()
    for unit in results.get("units", []):
        if unit.get("id") != figure.unit:
            continue
        files = {f.get("path"): f.get("sha256") for f in unit.get("files", [])}
        for ref in (unit.get("result") or {}).get("figures", []):
            if files.get(ref.get("path")) == digest:
                name = f"{figure.unit}_{ref.get('name')}"
    return f"fig{figure.number:02d}_{safe_name(name)}"


def _figure_source(figure: ReportFigure, results: dict[str, Any]) -> str | None:
    """The unit's figure file (relative to the report folder) the report embedded, if any."""
    digest = hashlib.sha256(figure.data).hexdigest()
    for unit in results.get("units", []):
        for entry in unit.get("files", []):
            if entry.get("sha256") == digest:
                return str(entry.get("path"))
    return None


def _csv_of(table: ReportTable, csv: dict[str, list[CsvTable]]) -> list[str]:
    """The CSV files holding a report table's numbers: its unit's, or the cohort's (the
    tables of the study and patients section)."""
    key = table.unit if table.unit is not None else None
    if key is None and table.section_key == STUDY:
        key = "cohort"
    return [f"{TABLES}/{t.name}" for t in csv.get(key or "", [])]


def _write_tables(
    tables: list[ReportTable], results: dict[str, Any], stage: Path
) -> tuple[list[dict[str, Any]], int]:
    title = str(results["study"].get("title") or "remarkit report")
    write_tables_docx(tables, title, stage / TABLES_DOCX)
    csv = results_tables(results)
    (stage / TABLES).mkdir()
    count = 0
    for group in csv.values():
        for table in group:
            (stage / TABLES / table.name).write_text(table.text(), encoding="utf-8")
            count += 1
    entries = [
        {
            "number": t.number,
            "caption": t.caption,
            "section": t.section,
            "unit": t.unit,
            "rows": len(t.rows),
            "csv": _csv_of(t, csv),
        }
        for t in tables
    ]
    return entries, count


def _write_figures(
    figures: list[ReportFigure], results: dict[str, Any], stage: Path
) -> list[dict[str, Any]]:
    from remarkit.export.figures import FigureError, export_figure

    folder = stage / FIGURES
    folder.mkdir()
    entries = []
    for figure in figures:
        try:
            entry = export_figure(figure, figure_stem(figure, results), folder)
        except FigureError as exc:
            raise InputError(f"figure {figure.number}: {exc}") from exc
        entry["report_file"] = _figure_source(figure, results)
        for key in ("source", "vector"):
            value = entry[key]
            entry[key] = (
                [f"{FIGURES}/{v}" for v in value]
                if isinstance(value, list)
                else f"{FIGURES}/{value}"
            )
        for raster in entry["rasters"]:
            raster["path"] = f"{FIGURES}/{raster['path']}"
        entries.append(entry)
    return entries


def export_report(report_dir: Path, target: Path, plugins: Plugins | None = None) -> ExportSummary:
    """Write the submission folder of ``report_dir`` into ``target`` (atomically); checklists
    and templates come from ``plugins`` (default: the installed plugins)."""
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.export.supplement import SUPPLEMENT_PDF, write_supplement
    from remarkit.export.word_checklists import checklist_file, write_checklist_docx
    from remarkit.report.filled import filled_checklists

    report_dir, target = Path(report_dir), Path(target)
    results, html = read_report(report_dir)
    check_target(target, report_dir)
    tables, figures = parse_report(html, str(report_dir / "report.html"))
    title = str(results["study"].get("title") or "remarkit report")
    plugins = plugins or make_plugin_manager()
    with staging(target) as stage:
        table_entries, csv_count = _write_tables(tables, results, stage)
        figure_entries = _write_figures(figures, results, stage)
        checklist_entries = []
        for checklist in filled_checklists(report_dir, plugins=plugins):
            name = checklist_file(checklist)
            write_checklist_docx(checklist, title, stage / name)
            checklist_entries.append(
                {"name": checklist.name, "title": checklist.title, "file": name}
            )
        supplement_tables = write_supplement(results, report_dir, stage / SUPPLEMENT_PDF, plugins)
        manifest = {
            MARK: MANIFEST_VERSION,
            "remarkit_version": __version__,
            "report": {
                "results_sha256": sha256_file(report_dir / "results.json"),
                "report_html_sha256": sha256_file(report_dir / "report.html"),
            },
            "tables_docx": TABLES_DOCX,
            "tables": table_entries,
            "csv": sorted(str(p.relative_to(stage)) for p in (stage / TABLES).iterdir()),
            "figures": figure_entries,
            "checklists": checklist_entries,
            "supplement": {"file": SUPPLEMENT_PDF, "tables": supplement_tables},
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return ExportSummary(
        target,
        len(tables),
        csv_count,
        len(figures),
        tuple(e["file"] for e in checklist_entries),
        supplement_tables,
    )
