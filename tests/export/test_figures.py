"""Figures: the report's own image as SVG and PDF, and TIFFs of the declared size and dpi."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from remarkit.export.figures import DPI, WIDTHS_MM, export_figure, pixels_for, svg_size
from remarkit.export.parse import ReportFigure, parse_report
from tests.export.conftest import Exported


def test_declared_sizes_and_resolution_are_those_of_the_files(exported: Exported) -> None:
    figures = exported.manifest["figures"]
    assert [f["number"] for f in figures] == [1, 2]
    for figure in figures:
        assert [r["column"] for r in figure["rasters"]] == ["single", "double"]
        for raster in figure["rasters"]:
            with Image.open(exported.folder / raster["path"]) as image:
                assert image.format == "TIFF" and image.mode == "RGB"
                assert image.size == (raster["width_px"], raster["height_px"])
                assert image.info["dpi"] == (DPI, DPI) == (raster["dpi"], raster["dpi"])
                assert image.info["compression"] == "tiff_lzw"
            aspect = figure["height_in"] / figure["width_in"]
            assert (raster["width_px"], raster["height_px"]) == pixels_for(
                WIDTHS_MM[raster["column"]], aspect
            )
    assert figures[0]["rasters"][0]["width_px"] == 2008  # 85 mm at 600 dpi
    assert figures[0]["rasters"][1]["width_px"] == 4110  # 174 mm at 600 dpi


def test_each_figure_is_the_image_the_report_embeds(exported: Exported) -> None:
    from pypdf import PdfReader

    html = (exported.report / "report.html").read_text(encoding="utf-8")
    _, embedded = parse_report(html)
    for figure, entry in zip(embedded, exported.manifest["figures"], strict=True):
        source = (exported.folder / entry["source"]).read_bytes()
        assert source == figure.data
        assert hashlib.sha256(source).hexdigest() == entry["source_sha256"]
        width_in, height_in = svg_size(source)
        page = PdfReader(exported.folder / entry["vector"][1]).pages[0]
        assert float(page.mediabox.width) == pytest.approx(width_in * 72, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height_in * 72, abs=0.01)
    hist = exported.manifest["figures"][1]
    assert hist["source"] == "figures/fig02_groups_hist.svg"
    assert hist["report_file"] == "units/groups/hist.svg"
    unit_file = (exported.report / hist["report_file"]).read_bytes()
    assert hashlib.sha256(unit_file).hexdigest() == hist["source_sha256"]


def test_vector_pdfs_embed_their_fonts(exported: Exported) -> None:
    from pypdf import PdfReader

    flow = exported.folder / exported.manifest["figures"][0]["vector"][1]
    fonts = []
    for page in PdfReader(flow).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                fonts.append(descendant.get_object()["/FontDescriptor"].get_object())
    assert fonts  # the flow diagram has text
    assert all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fonts)


def test_the_raster_shows_the_figure(exported: Exported) -> None:
    with Image.open(exported.folder / "figures" / "fig02_groups_hist_single.tiff") as image:
        extrema = image.convert("L").getextrema()
    assert extrema[0] < 100 and extrema[1] == 255  # dark ink on a white ground


def test_a_png_figure_is_copied_and_resampled(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (10, 20, 30, 255)).save(buffer, format="PNG")
    figure = ReportFigure(4, "Dense plot", "image/png", buffer.getvalue(), "Results", "u")
    entry = export_figure(figure, "fig04_u_dense", tmp_path)
    assert entry["vector"] == [] and entry["source_px"] == [400, 300]
    assert (tmp_path / "fig04_u_dense.png").read_bytes() == buffer.getvalue()
    for raster in entry["rasters"]:
        with Image.open(tmp_path / raster["path"]) as image:
            assert image.size == pixels_for(WIDTHS_MM[raster["column"]], 0.75)
            assert image.info["dpi"] == (DPI, DPI)
            assert image.getpixel((5, 5)) == (10, 20, 30)
