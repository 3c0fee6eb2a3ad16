"""The demo's export (slow: the whole demo run): every table, figure and form, and LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from remarkit.export.parse import parse_report
from remarkit.export.run import export_report
from remarkit.export.word_tables import layout
from remarkit.report.formatting import est_ci, pct
from tests.export.conftest import Exported
from tests.export.test_libreoffice import SOFFICE, convert


@pytest.fixture(scope="module")
def demo_export(
    demo_run: tuple[Path, int, str], tmp_path_factory: pytest.TempPathFactory
) -> Exported:
    out, code, _ = demo_run
    assert code == 0
    folder = tmp_path_factory.mktemp("demo-export") / "submission"
    export_report(out, folder)
    return Exported(out, folder)


def test_demo_tables_equal_the_report_cell_for_cell(demo_export: Exported) -> None:
    import docx

    tables, _ = parse_report((demo_export.report / "report.html").read_text(encoding="utf-8"))
    document = docx.Document(str(demo_export.folder / "tables.docx"))
    assert len(document.tables) == len(tables) == len(demo_export.manifest["tables"]) > 20
    for table, word in zip(tables, document.tables, strict=True):
        grid = [[c.text for c in row.cells] for row in word.rows]
        for r, c, cell in layout(table.rows)[0]:
            assert grid[r][c] == cell.text, (table.number, r, c)


def test_demo_marker_response_cells_are_the_results_through_the_filters(
    demo_export: Exported,
) -> None:
    import docx

    unit = next(u for u in demo_export.results["units"] if u["name"] == "marker_response")
    r = unit["result"]
    entry = next(t for t in demo_export.manifest["tables"] if t["unit"] == unit["id"])
    document = docx.Document(str(demo_export.folder / "tables.docx"))
    word = document.tables[demo_export.manifest["tables"].index(entry)]
    cells = {row.cells[0].text: row.cells[1].text for row in word.rows}
    auc = next(v for k, v in cells.items() if k.startswith("AUC of the decline"))
    assert auc == est_ci(r["auc"], r["auc_lower"], r["auc_upper"])
    applied = next(v for k, v in cells.items() if k.startswith("Sensitivity; specificity of"))
    assert applied == f"{pct(r['sensitivity'])}; {pct(r['specificity'])}"


def test_demo_figures_have_the_declared_sizes(demo_export: Exported) -> None:
    figures = demo_export.manifest["figures"]
    assert len(figures) > 10
    for figure in figures:
        assert figure["report_file"] is not None or figure["source"].endswith("_flow.svg")
        for raster in figure["rasters"]:
            with Image.open(demo_export.folder / raster["path"]) as image:
                assert image.size == (raster["width_px"], raster["height_px"])
                assert image.info["dpi"] == (600, 600)


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) not installed; CI installs libreoffice-writer-nogui",
)
def test_demo_word_files_open_in_libreoffice(demo_export: Exported, tmp_path: Path) -> None:
    files = sorted(demo_export.folder.glob("*.docx"))
    texts = convert(files, tmp_path)
    for entry in demo_export.manifest["tables"][:10]:
        assert f"Table {entry['number']}. {entry['caption']}" in texts["tables.docx"]
