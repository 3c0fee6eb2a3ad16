"""Violin plots of scores across patient groups, with the individual patients jittered on top."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from remarkit.report.legends import series_style
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class ViolinGroup:
    """One group's label and values."""

    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class ViolinPanel:
    """One score across the groups; ``annotation`` (e.g. the test's p-value) goes under the title."""

    title: str
    ylabel: str
    groups: Sequence[ViolinGroup]
    annotation: str = ""


def _draw(ax: Axes, panel: ViolinPanel, rng: np.random.Generator) -> None:
    for i, group in enumerate(panel.groups):
        values = np.asarray(group.values, dtype=float)
        colour = series_style(i, len(panel.groups))[0]
        if np.unique(values).size >= 2:
            parts = ax.violinplot([values], positions=[i], widths=0.8, showextrema=False)
            bodies: list[Any] = list(cast("Iterable[Any]", parts["bodies"]))
            for body in bodies:
                body.set_facecolor(colour)
                body.set_edgecolor(colour)
                body.set_alpha(0.35)
        if values.size:
            q1, med, q3 = np.quantile(values, [0.25, 0.5, 0.75])
            ax.vlines(i, q1, q3, color="#333333", linewidth=4)
            ax.plot([i], [med], marker="o", color="white", markersize=4, zorder=4)
        x = i + rng.uniform(-0.12, 0.12, values.size)
        ax.scatter(x, values, s=9, color=colour, alpha=0.8, zorder=3, linewidths=0)
    ax.set_xticks(range(len(panel.groups)))
    ax.set_xticklabels([f"{g.label}\n(n = {len(g.values)})" for g in panel.groups])
    ax.set_xlim(-0.6, len(panel.groups) - 0.4)
    ax.set_ylabel(panel.ylabel)
    ax.set_title("\n".join(part for part in (panel.title, panel.annotation) if part))


def violin_panels(
    panels: Sequence[ViolinPanel], *, ncols: int = 3, jitter_seed: int = 0, height: float = 3.8
) -> Figure:
    """One panel per score: violins (a group with fewer than two distinct values shows its
    points only), medians as white dots on interquartile bars, and the patients as points
    jittered by a generator seeded with ``jitter_seed`` (same seed, same figure)."""
    widest = max((len(p.groups) for p in panels), default=2)
    width = max(2.8, 1.1 * widest + 1.4)
    fig, axes = panel_grid(len(panels), ncols=ncols, width=width, height=height)
    rng = np.random.default_rng(jitter_seed)
    for ax, panel in zip(axes, panels, strict=True):
        _draw(ax, panel, rng)
    fig.tight_layout()
    return fig


def violin_figure(
    groups: Sequence[ViolinGroup],
    *,
    ylabel: str,
    title: str = "",
    annotation: str = "",
    jitter_seed: int = 0,
    width: float | None = None,
    height: float = 3.8,
) -> Figure:
    """A single violin panel of one value across ``groups`` (see :func:`violin_panels`)."""
    fig = violin_panels(
        [ViolinPanel(title, ylabel, groups, annotation)],
        ncols=1,
        jitter_seed=jitter_seed,
        height=height,
    )
    if width is not None:
        fig.set_figwidth(width)
    return fig
