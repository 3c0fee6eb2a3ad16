"""The house style for every figure: one font, one palette, one size grid, deterministic output.

Units draw with ``fig, ax = new_figure()`` and hand the figure to ``ctx.save_figure``, which
writes it with :func:`save_svg`: line plots stay vector, while the marks of a dense panel (a
point or bar per patient, a filled band with thousands of vertices) are drawn as one embedded
raster at print resolution, so a figure's size does not grow with the cohort.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from cycler import cycler

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

#: Colour-blind-safe palette (Okabe-Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
TRAIN_COLOUR, TEST_COLOUR = PALETTE[0], PALETTE[1]
REFERENCE_GREY = "#888888"

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "legend.frameon": False,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "svg.fonttype": "path",
    "lines.linewidth": 1.5,
}


def new_figure(
    width: float = 5.0, height: float = 4.0, *, nrows: int = 1, ncols: int = 1, **kwargs: Any
) -> tuple[Figure, Any]:
    """A figure in the house style; returns (figure, axes) as ``plt.subplots`` does.

    The style is applied to matplotlib's settings (labels and legends drawn later follow it);
    the figure is a :class:`ReportFigure` (dense panels saved as raster).
    """
    for key, value in STYLE.items():
        matplotlib.rcParams[key] = value  # type: ignore[index]
    kwargs.setdefault("FigureClass", ReportFigure)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    return fig, axes


def diagonal(ax: Axes, **kwargs: Any) -> None:
    """Draw the chance / perfect-calibration diagonal."""
    ax.plot([0, 1], [0, 1], linestyle="--", color=REFERENCE_GREY, linewidth=1, **kwargs)


#: Marks (points, bars, markers, filled-path vertices / VERTICES_PER_MARK) above which a panel
#: is dense: its data marks are rasterised; axes, labels, text and thin lines stay vector.
DENSE_MARKS = 1000
#: Vertices of a path that cost about as much as one mark (one SVG element).
VERTICES_PER_MARK = 20
#: A line of a dense panel stays vector unless it draws more marks than this.
LINE_MARKS = 50
#: Resolution of rasterised marks (print resolution at the figure's printed size).
RASTER_DPI = 300


def _no_marker(line: Line2D) -> bool:
    marker = line.get_marker()
    return marker is None or (isinstance(marker, str) and marker.strip().lower() in ("", "none"))


def _rows(values: Any) -> int:
    shape = np.shape(values)
    return int(shape[0]) if shape else 0


def drawn_marks(artist: Artist) -> int:
    """About how many SVG elements ``artist`` draws: one per point, bar, marker or path, plus
    one per :data:`VERTICES_PER_MARK` vertices of its paths."""
    if isinstance(artist, Collection):
        paths = artist.get_paths()
        vertices = sum(_rows(path.vertices) for path in paths)
        return max(_rows(artist.get_offsets()), len(paths)) + vertices // VERTICES_PER_MARK
    if isinstance(artist, Line2D):
        points = _rows(artist.get_xydata())
        return (0 if _no_marker(artist) else points) + points // VERTICES_PER_MARK
    if isinstance(artist, Patch):
        return 1 + _rows(artist.get_path().vertices) // VERTICES_PER_MARK
    return 0


def rasterize_dense(figure: Figure, threshold: int | None = None) -> int:
    """Mark the data marks of every panel drawing more than ``threshold`` marks as rasterised
    (collections, patches and lines with more than :data:`LINE_MARKS` marks); return how many
    artists were marked. Panels at or under the threshold (default :data:`DENSE_MARKS`) are
    left vector."""
    limit = DENSE_MARKS if threshold is None else threshold
    marked = 0
    for ax in figure.axes:
        artists: list[Artist] = [*ax.collections, *ax.patches, *ax.lines]
        counts = [drawn_marks(artist) for artist in artists]
        if sum(counts) <= limit:
            continue
        for artist, count in zip(artists, counts, strict=True):
            if isinstance(artist, Line2D) and count <= LINE_MARKS:
                continue
            artist.set_rasterized(True)
            marked += 1
    return marked


#: Formats whose output mixes vector and raster (the dense panels are rasterised).
VECTOR_FORMATS = ("svg", "pdf", "eps", "ps")


def _raster_dpi(figure: Figure, fname: Any, kwargs: dict[str, Any]) -> None:
    """Rasterise the dense panels of a vector output; their raster is drawn at RASTER_DPI
    unless the caller chose a resolution."""
    fmt = kwargs.get("format") or Path(str(fname)).suffix.lstrip(".") or "png"
    dense = str(fmt).lower() in VECTOR_FORMATS and rasterize_dense(figure) > 0
    if dense and kwargs.get("dpi", "figure") == "figure":
        kwargs["dpi"] = RASTER_DPI


class ReportFigure(Figure):
    """The figure :func:`new_figure` makes: saved as SVG (or PDF), its dense panels are
    rasterised (:func:`rasterize_dense`) at :data:`RASTER_DPI`; other panels stay vector."""

    def savefig(self, fname: Any, *, transparent: bool | None = None, **kwargs: Any) -> None:
        """:meth:`matplotlib.figure.Figure.savefig`, with dense panels rasterised."""
        _raster_dpi(self, fname, kwargs)
        super().savefig(fname, transparent=transparent, **kwargs)


def save_svg(figure: Figure, path: Path, *, salt: str) -> Path:
    """Write ``figure`` to ``path`` as deterministic SVG (fixed id salt, no date) and close it.

    Dense panels are rasterised first (:func:`rasterize_dense`) at :data:`RASTER_DPI`, also for
    a figure not made by :func:`new_figure`; a figure with no dense panel is plain vector SVG.
    """
    kwargs: dict[str, Any] = {"format": "svg", "metadata": {"Date": None, "Creator": "remarkit"}}
    _raster_dpi(figure, path, kwargs)
    with plt.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        Figure.savefig(figure, path, **kwargs)
    plt.close(figure)
    return path
