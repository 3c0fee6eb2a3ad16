"""Forest plots of odds (or hazard) ratios with confidence intervals, on a log axis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from remarkit.report.figures import PALETTE, REFERENCE_GREY, new_figure


@dataclass(frozen=True)
class ForestRow:
    """One line of a forest plot.

    A ``heading`` row (a categorical variable, its reference level in ``text``) is drawn bold
    without a point; a row without an estimate (not estimable) shows only its ``text``, which is
    printed at the right (e.g. ``"2.35 (1.20-4.65)  p = 0.013"``).
    """

    label: str
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None
    text: str = ""
    indent: bool = False
    heading: bool = False


def _finite_positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def _limits(rows: Sequence[ForestRow]) -> tuple[float, float]:
    values = [
        v
        for r in rows
        for v in (r.estimate, r.lower, r.upper)
        if v is not None and _finite_positive(v)
    ]
    lo = min([*values, 1.0])
    hi = max([*values, 1.0])
    # clamp extreme intervals (separation) so ordinary ones stay readable; arrows mark clipping
    lo, hi = max(lo, 1e-3), min(hi, 1e3)
    pad = 1.25
    return lo / pad, hi * pad


def forest_plot(
    rows: Sequence[ForestRow],
    *,
    xlabel: str = "Odds ratio (95% CI, log scale)",
    title: str = "",
    colour: str = PALETTE[0],
) -> Figure:
    """Draw ``rows`` top to bottom: point estimates, interval whiskers, a line at 1."""
    if not rows:
        raise ValueError("a forest plot needs at least one row")
    height = 0.9 + 0.28 * len(rows)
    fig, ax = new_figure(6.4, height)
    lo, hi = _limits(rows)
    y = np.arange(len(rows))[::-1]
    for yi, row in zip(y, rows, strict=True):
        _draw_row(ax, float(yi), row, lo, hi, colour)
    ax.axvline(1.0, color=REFERENCE_GREY, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks(y)
    ax.set_yticklabels([("    " if r.indent else "") + r.label for r in rows])
    for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
        if row.heading:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return fig


def _draw_row(ax: Axes, y: float, row: ForestRow, lo: float, hi: float, colour: str) -> None:
    transform = ax.get_yaxis_transform()
    if row.text:
        ax.text(1.02, y, row.text, transform=transform, va="center", ha="left", fontsize=8)
    if row.estimate is None or not _finite_positive(row.estimate):
        return
    est = min(max(row.estimate, lo), hi)
    left_clipped = not _finite_positive(row.lower) or float(row.lower or 0.0) < lo
    right_clipped = not _finite_positive(row.upper) or float(row.upper or 0.0) > hi
    left = lo if left_clipped else float(row.lower or lo)
    right = hi if right_clipped else float(row.upper or hi)
    ax.plot([left, right], [y, y], color=colour, linewidth=1.2, solid_capstyle="butt")
    ax.plot([est], [y], marker="s", color=colour, markersize=5, linestyle="none")
    if left_clipped:
        ax.plot([left], [y], marker="<", color=colour, markersize=5, linestyle="none")
    if right_clipped:
        ax.plot([right], [y], marker=">", color=colour, markersize=5, linestyle="none")
