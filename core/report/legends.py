"""Series styles and legend placement shared by every figure.

- :func:`series_style` gives series ``i`` of ``n`` a colour and a line style that no other series
  of the figure shares: Okabe-Ito's colour-blind-safe palette (:data:`PALETTE`) up to 8 series,
  Paul Tol's "muted" qualitative scheme (9 colour-blind-safe colours) for more, and from the
  10th series on the colours repeat with a dashed, dotted or dash-dot line.
- :func:`place_legend` puts a legend inside the panel only where it covers no data (no point of a
  line or of a scatter) and, when every inside place would, or there are more than
  :data:`MAX_INSIDE` entries, to the right outside the panel (the saved figure grows to hold it).
  Call it after the panel's data are drawn; it lays a grid of panels out (``tight_layout``)
  first, so the check is made at the panel's final size.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.transforms import Bbox

from remarkit.report.figures import PALETTE

#: Paul Tol's "muted" scheme, colour-blind safe, for figures with more than 8 series.
MUTED = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
LINE_STYLES = ("-", "--", ":", "-.")
#: Legends with more entries than this go outside the panel.
MAX_INSIDE = 6
Place = Literal[
    "best", "upper left", "upper right", "lower right", "lower left", "center right", "center left"
]
_INSIDE: tuple[Place, ...] = (
    "upper left",
    "upper right",
    "lower right",
    "lower left",
    "center right",
    "center left",
)


def series_style(i: int, n: int) -> tuple[str, str]:
    """(colour, line style) of series ``i`` among ``n`` series of one figure."""
    colours = PALETTE if n <= len(PALETTE) else MUTED
    return colours[i % len(colours)], LINE_STYLES[(i // len(colours)) % len(LINE_STYLES)]


def _data_points(ax: Axes) -> np.ndarray:
    """Display coordinates of every drawn point of the panel's lines and scatter collections."""
    chunks = []
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        if xy.size:
            chunks.append(line.get_transform().transform(_densify(xy)))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.size:
            chunks.append(collection.get_offset_transform().transform(offsets))
    if not chunks:
        return np.empty((0, 2))
    points = np.concatenate(chunks)
    return points[np.isfinite(points).all(axis=1)]


def _densify(xy: np.ndarray, steps: int = 8) -> np.ndarray:
    """The vertices of a polyline with ``steps`` points between each pair (a segment crossing a
    legend between two vertices counts as covered)."""
    if len(xy) < 2:
        return xy
    t = np.linspace(0.0, 1.0, steps, endpoint=False)[:, None, None]
    between = xy[:-1][None] + t * (xy[1:] - xy[:-1])[None]
    return np.concatenate([between.reshape(-1, 2), xy[-1:]])


def _covers(legend: Legend, points: np.ndarray, renderer: Any) -> bool:
    box: Bbox = legend.get_window_extent(renderer)
    inside = (
        (points[:, 0] >= box.x0)
        & (points[:, 0] <= box.x1)
        & (points[:, 1] >= box.y0)
        & (points[:, 1] <= box.y1)
    )
    return bool(inside.any())


def place_legend(ax: Axes, preferred: Place = "best", **kwargs: Any) -> Legend | None:
    """Draw the panel's legend where it hides no data; None when nothing is labelled."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if len(handles) <= MAX_INSIDE:
        figure = ax.get_figure(root=True)
        if isinstance(figure, Figure) and all(a.get_subplotspec() for a in figure.axes):
            figure.tight_layout()  # measure at the panel's final size (the figure lays out last)
        renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        points = _data_points(ax)
        order: list[Place] = [preferred] + [loc for loc in _INSIDE if loc != preferred]
        for loc in order:
            legend = ax.legend(handles, labels, loc=loc, **kwargs)
            if not _covers(legend, points, renderer):
                return legend
            legend.remove()
    return ax.legend(
        handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs
    )
