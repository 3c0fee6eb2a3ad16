"""``remarkit export REPORT_DIR --to DIR``: a journal submission folder from a report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeVar

_P = TypeVar("_P", bound=argparse.ArgumentParser)


def add_parser(sub: argparse._SubParsersAction[_P]) -> None:
    """Add the ``export`` verb to the CLI's subparsers."""
    parser = sub.add_parser(
        "export",
        help="write a journal submission folder: Word tables, CSV, print-ready figures, "
        "filled checklists, supplement.pdf",
    )
    parser.add_argument("report_dir", metavar="REPORT_DIR", help="a report folder (remarkit run)")
    parser.add_argument(
        "--to",
        required=True,
        metavar="DIR",
        help="the submission folder: new, empty, or an earlier export (replaced)",
    )
    parser.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Export ``REPORT_DIR`` into ``--to``; print what was written."""
    from remarkit.export.run import export_report

    summary = export_report(Path(args.report_dir), Path(args.to))
    print(
        f"export: {summary.folder}: tables.docx ({summary.tables} tables), "
        f"{summary.csv_files} CSV files in tables/, {summary.figures} figures in figures/ "
        f"(SVG, PDF, 600 dpi TIFF at 85 and 174 mm)"
    )
    checklists = ", ".join(summary.checklists) or "none"
    print(
        f"checklists: {checklists}; supplement.pdf ({summary.supplement_tables} tables); "
        "manifest: export.json"
    )
    return 0
