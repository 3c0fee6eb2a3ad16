"""Decision curves: net benefit of each model against treat-all and treat-none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import REFERENCE_GREY, new_figure
from remarkit.report.legends import place_legend, series_style


@dataclass(frozen=True)
class DecisionSeries:
    """Net benefit of one strategy at each threshold probability."""

    label: str
    net_benefit: Sequence[float]


def decision_figure(
    thresholds: Sequence[float],
    models: Sequence[DecisionSeries],
    treat_all: Sequence[float],
    *,
    prevalence: float,
    title: str = "",
    width: float = 5.5,
    height: float = 4.0,
) -> Figure:
    """Net benefit against threshold probability; the y axis runs from a little below 0 to just
    above the largest net benefit (at most the prevalence), so harmful stretches stay visible."""
    fig, ax = new_figure(width, height)
    pt = np.asarray(thresholds, dtype=float)
    ax.plot(pt, list(treat_all), color=REFERENCE_GREY, label="Treat all")
    ax.plot(pt, np.zeros(pt.size), color="#000000", linewidth=1, label="Treat none")
    for i, series in enumerate(models):
        colour, style = series_style(i, len(models))
        ax.plot(pt, list(series.net_benefit), color=colour, linestyle=style, label=series.label)
    highest = [prevalence] + [float(np.nanmax(s.net_benefit)) for s in models if len(s.net_benefit)]
    top = max(max(highest), 0.05) * 1.05
    ax.set_ylim(-0.15 * top, top)
    ax.set_xlim(float(pt.min()), float(pt.max()))
    ax.set_xlabel("Threshold probability")
    ax.set_ylabel("Net benefit")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    place_legend(ax, "upper right")
    return fig
