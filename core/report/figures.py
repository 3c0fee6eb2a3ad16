"""The house style for every figure: one font, one palette, one size grid, deterministic output.

Units draw with ``fig, ax = new_figure()`` and hand the figure to ``ctx.save_figure``.
"""

from __future__ import annotations

from typing import Any

import matplotlib
from cycler import cycler

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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

    The style is applied to matplotlib's settings (labels and legends drawn later follow it).
    """
    for key, value in STYLE.items():
        matplotlib.rcParams[key] = value  # type: ignore[index]
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    return fig, axes


def diagonal(ax: Axes, **kwargs: Any) -> None:
    """Draw the chance / perfect-calibration diagonal."""
    ax.plot([0, 1], [0, 1], linestyle="--", color=REFERENCE_GREY, linewidth=1, **kwargs)
