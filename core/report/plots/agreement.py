"""Agreement figures for two measurements of one quantity: a scatter with the identity line and
a Bland-Altman plot (difference, or ratio on a log scale, against the mean) with the bias, the
limits of agreement and their confidence bands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
from numpy.typing import ArrayLike

from remarkit.report.figures import PALETTE, REFERENCE_GREY, new_figure
from remarkit.report.legends import place_legend


@dataclass(frozen=True)
class BlandAltmanLines:
    """Bias and limits of agreement (each with its CI) as drawn, on the plotted scale."""

    bias: float
    bias_ci: tuple[float, float]
    lower: float
    lower_ci: tuple[float, float]
    upper: float
    upper_ci: tuple[float, float]


def _log_axis(axis: Any) -> None:
    """Plain-number ticks at 1, 2 and 5 times the powers of ten on a log axis."""
    axis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _ratio_axis(axis: Any) -> None:
    """A log axis of ratios close to 1: plain ticks every 0.1 of the log-spaced minor grid."""
    axis.set_major_locator(LogLocator(base=10.0, subs=tuple(np.arange(1.0, 10.0, 0.5))))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _identity_panel(
    ax: Axes, x: np.ndarray, y: np.ndarray, log: bool, labels: tuple[str, str]
) -> None:
    lo = float(min(x.min(), y.min()))
    hi = float(max(x.max(), y.max()))
    pad = (hi / lo) ** 0.05 if log and lo > 0 else None
    if pad is not None:
        lo, hi = lo / pad, hi * pad
    else:
        span = (hi - lo) or 1.0
        lo, hi = lo - 0.05 * span, hi + 0.05 * span
    ax.plot([lo, hi], [lo, hi], linestyle="--", color=REFERENCE_GREY, linewidth=1, label="Identity")
    ax.scatter(x, y, s=14, color=PALETTE[0], alpha=0.75, edgecolors="none")
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
        _log_axis(ax.xaxis)
        _log_axis(ax.yaxis)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    place_legend(ax, "upper left")


def _ba_panel(
    ax: Axes, mean: np.ndarray, diff: np.ndarray, lines: BlandAltmanLines, log: bool, ylabel: str
) -> None:
    ax.scatter(mean, diff, s=14, color=PALETTE[0], alpha=0.75, edgecolors="none")
    ax.axhline(1.0 if log else 0.0, color=REFERENCE_GREY, linewidth=0.8, linestyle=":")
    spec = (
        ("Bias", lines.bias, lines.bias_ci, PALETTE[1], "-"),
        ("Limits of agreement", lines.lower, lines.lower_ci, PALETTE[2], "--"),
        (None, lines.upper, lines.upper_ci, PALETTE[2], "--"),
    )
    for label, value, (ci_lo, ci_hi), colour, style in spec:
        ax.axhspan(ci_lo, ci_hi, color=colour, alpha=0.15, linewidth=0)
        ax.axhline(value, color=colour, linestyle=style, linewidth=1.3, label=label)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
        _log_axis(ax.xaxis)
        _ratio_axis(ax.yaxis)
    ax.set_xlabel("Geometric mean of the two" if log else "Mean of the two")
    ax.set_ylabel(ylabel)
    place_legend(ax, "best")


def agreement_figure(
    first: ArrayLike,
    second: ArrayLike,
    lines: BlandAltmanLines,
    *,
    labels: tuple[str, str],
    log: bool = False,
    title: str = "",
) -> Figure:
    """Two panels: ``second`` against ``first`` with the identity line, and the Bland-Altman plot.

    ``log``: both panels on log axes and the Bland-Altman plot shows the ratio first / second
    against the geometric mean (``lines`` then hold ratios); else the difference first - second
    against the arithmetic mean. Shaded bands are the CIs of the bias and of each limit.
    """
    x = np.asarray(first, dtype=float)
    y = np.asarray(second, dtype=float)
    fig, (left, right) = new_figure(9.0, 4.0, ncols=2)
    _identity_panel(left, x, y, log, labels)
    if log:
        mean, diff = np.sqrt(x * y), x / y
        ylabel = f"Ratio {labels[0]} / {labels[1]}"
    else:
        mean, diff = (x + y) / 2.0, x - y
        ylabel = f"Difference {labels[0]} - {labels[1]}"
    _ba_panel(right, mean, diff, lines, log, ylabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
