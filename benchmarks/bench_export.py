"""Benchmark of ``remarkit export``'s two slow steps against their former implementations.

Run: python benchmarks/bench_export.py
1. Word tables: 20 tables of 60 rows x 9 columns (a header row, one row-spanning label column)
   written by :func:`write_tables_docx`, against the former cell lookup through python-docx's
   ``Table.cell`` (which re-reads the whole grid on every call).
2. Figures: a 9-curve matplotlib SVG (text as paths, as the report draws it) exported by
   :func:`export_figure` (one ``pdftoppm`` raster at the double-column width, the single column
   resampled from it), against the former two ``pdftoppm`` rasters.
Each pair runs interleaved, 3 rounds; prints medians, the ratio baseline / current and the load.
The outputs of both are checked to hold the same cells and the same raster sizes.
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from remarkit.export import figures, word_tables
from remarkit.export.parse import Cell, ReportFigure, ReportTable

ROUNDS = 3


def synthetic_tables(n_tables: int = 20, n_rows: int = 60, n_cols: int = 9) -> list[ReportTable]:
    """Tables shaped like the report's: a header row and a label column spanning 3 rows."""
    tables = []
    for t in range(n_tables):
        rows: list[tuple[Cell, ...]] = [
            tuple(Cell(f"column {c}", header=True) for c in range(n_cols))
        ]
        for r in range(n_rows):
            label = (Cell(f"group {r // 3}", rowspan=3),) if r % 3 == 0 else ()
            values = tuple(
                Cell(f"{(t + r * c) % 97 / 7:.2f}", numeric=True) for c in range(1, n_cols)
            )
            rows.append(label + values)
        tables.append(ReportTable(t + 1, f"Table {t + 1}", tuple(rows), 1, ("a note",), "S", None))
    return tables


def baseline_add_table(document: Any, table: ReportTable) -> None:
    """The former ``add_table``: every cell looked up through ``Table.cell``."""
    from docx.shared import Pt

    placed, width = word_tables.layout(table.rows)
    n_rows = max(len(table.rows), 1)
    grid = document.add_table(rows=n_rows, cols=max(width, 1))
    for r, c, cell in placed:
        target = grid.cell(r, c)
        last_r, last_c = min(r + cell.rowspan, n_rows) - 1, c + cell.colspan - 1
        if (last_r, last_c) != (r, c):
            target = target.merge(grid.cell(last_r, last_c))
        word_tables._write_cell(target, cell, Pt(8))


def docx_texts(path: Path) -> list[list[str]]:
    """Every table's cell texts, row by row."""
    import docx

    document = docx.Document(str(path))
    return [[cell.text for row in t.rows for cell in row.cells] for t in document.tables]


def synthetic_figure() -> ReportFigure:
    """A 9-curve line plot as the report draws it (SVG, text as paths)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "bench"}):
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
        for k in range(9):
            xs = [i / 200 for i in range(201)]
            ax.plot(xs, [x ** (1 + k / 3) for x in xs], label=f"model {k}")
        ax.legend()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    return ReportFigure(1, "curves", "image/svg+xml", buffer.getvalue(), "S", None)


real_pdf_to_image = figures.pdf_to_image


def export_twice_rastered(figure: ReportFigure, folder: Path) -> dict[str, Any]:
    """The former figure export: one ``pdftoppm`` run per journal column."""
    from PIL import Image

    source = folder / "fig.svg"
    source.write_bytes(figure.data)
    width_in, height_in = figures.svg_size(figure.data)
    pdf = folder / "fig.pdf"
    figures.svg_to_pdf(figure.data, width_in, height_in, pdf)
    sizes = []
    for column, mm in figures.WIDTHS_MM.items():
        image: Image.Image = real_pdf_to_image(pdf, *figures.pixels_for(mm, height_in / width_in))
        figures.write_tiff(image, folder / f"fig_{column}.tiff")
        sizes.append(image.size)
    return {"sizes": sizes}


def median_pair(current: Callable[[], Any], baseline: Callable[[], Any]) -> tuple[float, float]:
    """Interleaved medians (seconds) of ``current`` and ``baseline``."""
    times: dict[str, list[float]] = {"current": [], "baseline": []}
    for _ in range(ROUNDS):
        for name, run in (("current", current), ("baseline", baseline)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["current"]), statistics.median(times["baseline"])


def main() -> None:
    tables = synthetic_tables()
    figure = synthetic_figure()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        current_docx, baseline_docx = root / "current.docx", root / "baseline.docx"

        def write_current() -> None:
            word_tables.write_tables_docx(tables, "bench", current_docx)

        def write_baseline() -> None:
            with mock.patch.object(word_tables, "add_table", baseline_add_table):
                word_tables.write_tables_docx(tables, "bench", baseline_docx)

        docx_now, docx_before = median_pair(write_current, write_baseline)
        if docx_texts(current_docx) != docx_texts(baseline_docx):
            raise SystemExit("the two Word documents hold different cells")

        (root / "a").mkdir()
        (root / "b").mkdir()
        entries: list[dict[str, Any]] = []
        fig_now, fig_before = median_pair(
            lambda: entries.append(figures.export_figure(figure, "fig", root / "a")),
            lambda: export_twice_rastered(figure, root / "b"),
        )
        sizes_now = [(r["width_px"], r["height_px"]) for r in entries[-1]["rasters"]]
        if sizes_now != export_twice_rastered(figure, root / "b")["sizes"]:
            raise SystemExit("the raster sizes differ")

    load = os.getloadavg()[0]
    print(f"load average (1 min): {load:.2f}; medians of {ROUNDS} interleaved rounds")
    print(
        f"word tables (20 x 61 x 9): {docx_now:.2f} s, before {docx_before:.2f} s, "
        f"x{docx_before / docx_now:.1f} faster"
    )
    print(
        f"one figure (SVG -> PDF -> 2 TIFF): {fig_now:.2f} s, before {fig_before:.2f} s, "
        f"x{fig_before / fig_now:.2f} faster"
    )


if __name__ == "__main__":
    main()
