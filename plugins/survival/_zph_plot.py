"""Schoenfeld residual plots: scaled residuals against transformed time, one panel per term."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from remarkit.report.figures import PALETTE, REFERENCE_GREY, new_figure
from remarkit.report.formatting import p_phrase

Array = npt.NDArray[np.float64]
VIOLATION = "#D55E00"


@dataclass(frozen=True)
class ResidualPanel:
    """One term: its residuals, smooth (None when singular) and the time-constant estimate."""

    title: str
    x: Array
    y: Array
    smooth_x: Sequence[float] | None
    fit: Sequence[float] | None
    lower: Sequence[float] | None
    upper: Sequence[float] | None
    constant: float
    p_value: float
    violates: bool


def time_ticks(x: Array, time: Array, transform: str) -> tuple[list[float], list[str]]:
    """plot.cox.zph's axis: 8 transformed-time positions labelled with times (2 digits).

    The figure shows every other one (4), which the panel width fits.
    """
    if transform == "identity":
        return [], []
    order = np.argsort(x, kind="stable")
    xs, ts = x[order], time[order]
    xs, first = np.unique(xs, return_index=True)
    ts = ts[first]
    if xs.size < 2:
        return [], []
    targets = np.linspace(xs[0], xs[-1], 17)[1::2]
    raw = np.interp(targets, xs, ts)
    labels = [float(f"{v:.2g}") for v in raw]
    positions = np.interp(labels, ts, xs)
    return [float(p) for p in positions], [f"{v:g}" for v in labels]


def _panel(ax: Axes, p: ResidualPanel, ticks: tuple[list[float], list[str]]) -> None:
    colour = VIOLATION if p.violates else PALETTE[0]
    keep = ~np.isnan(p.y)
    ax.scatter(p.x[keep], p.y[keep], s=6, color=REFERENCE_GREY, alpha=0.6, linewidths=0)
    ax.axhline(p.constant, color=REFERENCE_GREY, linestyle=":", linewidth=1.0)
    if p.smooth_x is not None and p.fit is not None:
        ax.plot(p.smooth_x, p.fit, color=colour, linewidth=1.6)
        if p.lower is not None and p.upper is not None:
            ax.fill_between(p.smooth_x, p.lower, p.upper, color=colour, alpha=0.15, linewidth=0)
    if ticks[0]:
        ax.set_xticks(ticks[0][::2], ticks[1][::2])
    ax.set_title(f"{p.title} ({p_phrase(p.p_value)})", fontsize=9, color=colour)
    ax.set_ylabel("Beta(t)")


def residual_figure(
    panels: Sequence[ResidualPanel],
    ticks: tuple[list[float], list[str]],
    *,
    xlabel: str,
    ncols: int = 3,
) -> Figure:
    """A grid of residual panels; unused cells hidden."""
    cols = max(1, min(ncols, len(panels)))
    rows = math.ceil(len(panels) / cols)
    fig, axes = new_figure(3.4 * cols, 2.8 * rows, nrows=rows, ncols=cols, squeeze=False)
    flat: list[Axes] = [ax for row in axes for ax in row]
    for ax in flat[len(panels) :]:
        ax.set_visible(False)
    for ax, panel in zip(flat, panels, strict=False):
        _panel(ax, panel, ticks)
        ax.set_xlabel(xlabel, fontsize=8)
    fig.tight_layout()
    return fig
