"""Confusion tables of two readers as heat maps, one panel per feature (reader agreement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from remarkit.report.figures import PALETTE
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class ConfusionPanel:
    """One feature's table: counts[i][j] = patients reader A scored levels[i], B levels[j]."""

    title: str
    levels: Sequence[str]
    counts: Sequence[Sequence[int]]
    row_label: str
    column_label: str


def confusion_heatmaps(panels: Sequence[ConfusionPanel], *, ncols: int = 3) -> Figure:
    """Heat maps of the confusion tables, shaded by the share of each panel's patients.

    Each cell shows its count; the diagonal (agreement) is outlined.
    """
    size = max(2.4, 0.55 * max(len(p.levels) for p in panels) + 1.4)
    fig, axes = panel_grid(len(panels), ncols=ncols, width=size + 0.3, height=size)
    cmap = LinearSegmentedColormap.from_list("agreement", ["#FFFFFF", PALETTE[0]])
    for ax, panel in zip(axes, panels, strict=True):
        counts = np.asarray(panel.counts, dtype=float)
        k = len(panel.levels)
        total = counts.sum()
        share = counts / total if total > 0 else counts
        ax.imshow(share, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
        for i in range(k):
            for j in range(k):
                dark = share[i, j] > 0.55
                ax.text(
                    j,
                    i,
                    f"{int(counts[i, j])}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else "black",
                )
            ax.add_patch(
                Rectangle(
                    (i - 0.5, i - 0.5), 1.0, 1.0, fill=False, edgecolor=PALETTE[1], linewidth=1.0
                )
            )
        ax.set_xticks(range(k))
        ax.set_yticks(range(k))
        ax.set_xticklabels(list(panel.levels), fontsize=7, rotation=30 if k > 3 else 0)
        ax.set_yticklabels(list(panel.levels), fontsize=7)
        ax.set_xlabel(panel.column_label, fontsize=8)
        ax.set_ylabel(panel.row_label, fontsize=8)
        ax.set_title(panel.title, fontsize=9)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
    fig.tight_layout()
    return fig
