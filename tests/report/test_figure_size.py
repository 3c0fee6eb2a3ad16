"""Figures whose size does not grow with the cohort: dense panels are saved as embedded raster
(print resolution), line plots stay vector, and the bytes are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from remarkit.report import figures
from remarkit.report.figures import (
    RASTER_DPI,
    ReportFigure,
    drawn_marks,
    new_figure,
    rasterize_dense,
    save_svg,
)
from remarkit.report.plots.agreement import BlandAltmanLines, agreement_figure
from remarkit.report.plots.marker import WaterfallPanel, decline_waterfall
from remarkit.report.plots.violin import ViolinGroup, ViolinPanel, violin_panels

BOUND = 300 * 1024  # bytes: a figure of 50,000 patients stays below this
LARGE, SMALL = 50_000, 200


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _waterfall(n: int) -> ReportFigure:
    rng = np.random.default_rng(1)
    panel = WaterfallPanel("Training set", rng.normal(20, 40, n), rng.integers(0, 2, n))
    return decline_waterfall(
        [panel], threshold=30.0, threshold_label="cut-off", outcome_labels=("no", "yes"), ylabel="%"
    )


def _violins(n: int) -> ReportFigure:
    rng = np.random.default_rng(2)
    groups = [ViolinGroup(f"g{i}", list(rng.normal(i, 1.0, n // 3))) for i in range(3)]
    return violin_panels([ViolinPanel("Score", "score", groups)], ncols=1)


def _scatter(n: int) -> ReportFigure:
    rng = np.random.default_rng(3)
    x = rng.lognormal(3.0, 1.0, n)
    y = x * rng.lognormal(0.0, 0.1, n)
    lines = BlandAltmanLines(0.0, (-0.1, 0.1), -2.0, (-2.2, -1.8), 2.0, (1.8, 2.2))
    return agreement_figure(x, y, lines, labels=("first", "second"))


def _save(fig: object, path: Path) -> bytes:
    assert isinstance(fig, ReportFigure)
    return save_svg(fig, path, salt="test").read_bytes()


@pytest.mark.parametrize("draw", [_waterfall, _violins, _scatter], ids=lambda d: d.__name__)
def test_size_bounded_for_a_large_cohort_and_small_one_vector(draw, tmp_path: Path) -> None:
    large = _save(draw(LARGE), tmp_path / "large.svg")
    small = _save(draw(SMALL), tmp_path / "small.svg")
    assert len(large) < BOUND, f"{draw.__name__}: {len(large)} bytes for {LARGE} patients"
    assert b"<image" in large  # the dense marks are one raster
    assert len(small) < BOUND
    assert b"<image" not in small  # 200 patients: every mark still vector
    assert b"<text" not in large and b"<text" not in small  # text stays paths (house style)


def test_raster_resolution_and_deterministic_bytes(tmp_path: Path) -> None:
    first = _save(_waterfall(5_000), tmp_path / "a.svg")
    again = _save(_waterfall(5_000), tmp_path / "b.svg")
    assert first == again
    assert b"<dc:date" not in first
    # the raster is drawn at RASTER_DPI: its pixel size over its printed size (1/72 inch units)
    from base64 import b64decode
    from io import BytesIO

    from lxml import etree
    from PIL import Image

    image = etree.fromstring(first).find(".//{http://www.w3.org/2000/svg}image")
    assert image is not None
    href = image.get("{http://www.w3.org/1999/xlink}href")
    pixels = Image.open(BytesIO(b64decode(href.split(",", 1)[1]))).size
    assert pixels[0] / (float(image.get("width")) / 72.0) == pytest.approx(RASTER_DPI, rel=0.01)


def test_line_plot_stays_vector_and_only_dense_panels_rasterise() -> None:
    fig, (curve, dots) = new_figure(8.0, 4.0, ncols=2)
    x = np.linspace(0, 1, 400)
    curve.plot(x, x**2)
    curve.plot([0.2], [0.04], marker="o")
    dots.scatter(np.arange(2_000), np.arange(2_000), s=4)
    dots.axhline(10.0)
    assert 2_000 <= drawn_marks(dots.collections[0]) <= 2_002  # points (+ the marker path)
    assert rasterize_dense(fig) == 1  # the scatter only: its reference line stays vector
    assert not any(line.get_rasterized() for line in [*curve.lines, *dots.lines])
    assert dots.collections[0].get_rasterized()


def test_threshold_and_figures_not_made_by_new_figure(tmp_path: Path, monkeypatch) -> None:
    plain = plt.figure(figsize=(4, 3))
    plain.add_subplot().scatter(np.arange(1_500), np.arange(1_500))
    assert not isinstance(plain, ReportFigure)
    assert b"<image" in save_svg(plain, tmp_path / "plain.svg", salt="s").read_bytes()
    monkeypatch.setattr(figures, "DENSE_MARKS", 10**9)
    fig = _waterfall(2_000)
    assert b"<image" not in _save(fig, tmp_path / "vector.svg")


def test_png_output_keeps_the_callers_resolution(tmp_path: Path) -> None:
    from PIL import Image

    fig = _waterfall(2_000)
    fig.savefig(tmp_path / "w.png", dpi=50)
    plt.Figure.savefig(fig, tmp_path / "plain.png", dpi=50)
    size = Image.open(tmp_path / "plain.png").size
    assert Image.open(tmp_path / "w.png").size == size
    assert size[0] < 3.6 * 50 + 1  # 50 dpi, not RASTER_DPI
