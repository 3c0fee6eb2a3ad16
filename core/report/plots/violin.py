"""Violin plots of a score across patient groups, with the individual patients jittered on top."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import PALETTE, new_figure


@dataclass(frozen=True)
class ViolinGroup:
    """One group's label and values."""

    label: str
    values: Sequence[float]


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
    """Violins (a group with fewer than two distinct values shows its points only), medians
    as white bars, patients as points jittered by a seeded generator (same seed, same figure)."""
    fig, ax = new_figure(width or max(2.6, 1.3 * len(groups) + 1.2), height)
    rng = np.random.default_rng(jitter_seed)
    for i, group in enumerate(groups):
        values = np.asarray(group.values, dtype=float)
        colour = PALETTE[i % len(PALETTE)]
        if np.unique(values).size >= 2:
            parts = ax.violinplot([values], positions=[i], widths=0.8, showextrema=False)
            for body in parts["bodies"]:
                body.set_facecolor(colour)
                body.set_edgecolor(colour)
                body.set_alpha(0.35)
        if values.size:
            q1, med, q3 = np.quantile(values, [0.25, 0.5, 0.75])
            ax.vlines(i, q1, q3, color="#333333", linewidth=4)
            ax.plot([i], [med], marker="o", color="white", markersize=4, zorder=4)
        x = i + rng.uniform(-0.12, 0.12, values.size)
        ax.scatter(x, values, s=9, color=colour, alpha=0.8, zorder=3, linewidths=0)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([f"{g.label}\n(n = {len(g.values)})" for g in groups])
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if annotation:
        ax.text(0.98, 0.98, annotation, transform=ax.transAxes, ha="right", va="top")
    fig.tight_layout()
    return fig
