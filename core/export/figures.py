"""Print-ready figures: the vector source (SVG and PDF) and 600 dpi TIFFs at journal widths.

A figure's source is the image the report embeds (so the export matches the report byte for
byte). An SVG is written as it is, rendered to a PDF at its own size by WeasyPrint (glyphs of
any text are embedded as font subsets), and rastered once from that PDF with poppler's
``pdftoppm`` at the double-column width, 174 mm at 600 dpi (height in proportion); the
single-column raster (85 mm) is resampled from it (Lanczos). Each is written by Pillow as an
LZW-compressed RGB TIFF. A raster source (PNG, for dense plots)
has no vector form: it is copied as it is and resampled to the same widths; the manifest
records the source's pixels so its effective resolution is visible.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remarkit.export.parse import ReportFigure

DPI = 600
#: Journal column widths in millimetres.
WIDTHS_MM: dict[str, float] = {"single": 85.0, "double": 174.0}
MM_PER_INCH = 25.4
_UNITS_PER_INCH = {"in": 1.0, "pt": 72.0, "px": 96.0, "": 96.0, "mm": 25.4, "cm": 2.54, "pc": 6.0}
_LENGTH = re.compile(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(in|pt|px|mm|cm|pc)?\s*$")
EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}


class FigureError(RuntimeError):
    """A figure could not be converted (missing tool or unreadable image)."""


@dataclass(frozen=True)
class Raster:
    """One raster file written: its column, physical width and pixels."""

    column: str
    path: str
    width_mm: float
    width_px: int
    height_px: int
    dpi: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "column": self.column,
            "path": self.path,
            "width_mm": self.width_mm,
            "height_mm": round(self.height_px / self.dpi * MM_PER_INCH, 3),
            "width_px": self.width_px,
            "height_px": self.height_px,
            "dpi": self.dpi,
        }


def pixels_for(width_mm: float, aspect: float) -> tuple[int, int]:
    """Pixel size at :data:`DPI` of a figure ``width_mm`` wide with height/width ``aspect``."""
    width = round(width_mm / MM_PER_INCH * DPI)
    return width, max(1, round(width * aspect))


def _length_inches(text: str | None) -> float | None:
    if not text:
        return None
    match = _LENGTH.match(text)
    if match is None:
        return None
    return float(match.group(1)) / _UNITS_PER_INCH[match.group(2) or ""]


def svg_size(data: bytes) -> tuple[float, float]:
    """The natural width and height of an SVG in inches (its width/height, else its viewBox)."""
    import lxml.etree

    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise FigureError(f"unreadable SVG: {exc}") from exc
    width, height = _length_inches(root.get("width")), _length_inches(root.get("height"))
    if width is None or height is None:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) != 4:
            raise FigureError("SVG without a width/height or viewBox")
        width, height = float(box[2]) / 96, float(box[3]) / 96
    if width <= 0 or height <= 0:
        raise FigureError("SVG with a zero size")
    return width, height


def svg_to_pdf(data: bytes, width_in: float, height_in: float, target: Path) -> None:
    """Render an SVG on a page of its own size to a vector PDF (WeasyPrint)."""
    import base64

    from weasyprint import HTML

    from remarkit.report.pdf import OutputFolderFetcher

    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
    w, h = f"{width_in * 72:.4f}pt", f"{height_in * 72:.4f}pt"
    html = (
        f"<!DOCTYPE html><html><head><style>@page{{size:{w} {h};margin:0}}"
        f"html,body{{margin:0;padding:0}}img{{display:block;width:{w};height:{h}}}"
        f'</style></head><body><img src="{uri}" alt=""></body></html>'
    )
    # the report's fetcher, confined to the figure's folder: the page fetches its data: URI only
    fetcher = OutputFolderFetcher(target.parent)
    HTML(string=html, url_fetcher=fetcher).write_pdf(target)
    if fetcher.refused:
        raise FigureError(f"the SVG references outside files: {', '.join(fetcher.refused)}")


def pdf_to_image(pdf: Path, width_px: int, height_px: int) -> Any:
    """Raster the first page of ``pdf`` to exactly ``width_px`` x ``height_px`` (pdftoppm)."""
    from PIL import Image

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise FigureError("pdftoppm not found (install poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        command = [tool, "-png", "-singlefile", "-scale-to-x", str(width_px)]
        command += ["-scale-to-y", str(height_px), str(pdf), str(stem)]
        done = subprocess.run(command, capture_output=True, timeout=300, check=False)
        if done.returncode != 0:
            raise FigureError(f"pdftoppm failed: {done.stderr.decode(errors='replace').strip()}")
        with Image.open(stem.with_suffix(".png")) as image:
            image.load()
            return image.copy()


def write_tiff(image: Any, target: Path) -> None:
    """An RGB, LZW-compressed TIFF at :data:`DPI` (transparency flattened onto white)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    image.convert("RGB").save(target, format="TIFF", compression="tiff_lzw", dpi=(DPI, DPI))


def export_figure(figure: ReportFigure, stem: str, folder: Path) -> dict[str, Any]:
    """Write one figure's files into ``folder``; return its manifest entry."""
    from PIL import Image

    ext = EXTENSIONS.get(figure.mime)
    if ext is None:
        raise FigureError(f"figure {figure.number}: unsupported image type {figure.mime}")
    source = folder / f"{stem}.{ext}"
    source.write_bytes(figure.data)
    entry: dict[str, Any] = {
        "number": figure.number,
        "caption": figure.caption,
        "section": figure.section,
        "unit": figure.unit,
        "source": source.name,
        "source_sha256": hashlib.sha256(figure.data).hexdigest(),
    }
    rasters: list[Raster] = []
    if ext == "svg":
        width_in, height_in = svg_size(figure.data)
        pdf = folder / f"{stem}.pdf"
        svg_to_pdf(figure.data, width_in, height_in, pdf)
        entry.update(vector=[source.name, pdf.name], width_in=width_in, height_in=height_in)
        aspect = height_in / width_in
        # rastered once, at the widest column; narrower columns are resampled from it
        widest = max(WIDTHS_MM.values())
        full = pdf_to_image(pdf, *pixels_for(widest, aspect))
        for column, mm in WIDTHS_MM.items():
            size = pixels_for(mm, aspect)
            image = full if size == full.size else full.resize(size, Image.Resampling.LANCZOS)
            rasters.append(_save(image, folder / f"{stem}_{column}.tiff", column, mm))
    else:
        with Image.open(io.BytesIO(figure.data)) as original:
            original.load()
            entry.update(vector=[], source_px=[original.width, original.height])
            for column, mm in WIDTHS_MM.items():
                size = pixels_for(mm, original.height / original.width)
                image = original.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
                rasters.append(_save(image, folder / f"{stem}_{column}.tiff", column, mm))
    entry["rasters"] = [r.as_dict() for r in rasters]
    return entry


def _save(image: Any, target: Path, column: str, mm: float) -> Raster:
    write_tiff(image, target)
    return Raster(column, target.name, mm, image.width, image.height, DPI)
