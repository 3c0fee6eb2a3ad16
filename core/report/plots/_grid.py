"""Lay panels out on a grid of axes in the house style."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from remarkit.report.figures import new_figure


def panel_grid(
    count: int, *, ncols: int, width: float, height: float, **kwargs: Any
) -> tuple[Figure, list[Axes]]:
    """A figure with ``count`` panels of ``width`` x ``height`` inches, ``ncols`` per row.

    Unused grid cells are hidden; the panels are returned in reading order.
    """
    if count < 1:
        raise ValueError("a figure needs at least one panel")
    cols = max(1, min(ncols, count))
    rows = math.ceil(count / cols)
    fig, axes = new_figure(width * cols, height * rows, nrows=rows, ncols=cols, squeeze=False)
    flat: list[Axes] = [ax for row in axes for ax in row]
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat[:count]
