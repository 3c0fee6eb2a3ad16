"""The kinetics figure: each patient's marker from baseline to follow-up on a log2 scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from remarkit.report.figures import PALETTE, new_figure

POSITIVE_COLOUR, NEGATIVE_COLOUR = PALETTE[2], PALETTE[4]


def trajectories(
    baseline: pd.Series,
    follow_up: pd.Series,
    interval: pd.Series,
    outcome: pd.Series,
    split: pd.Series,
    *,
    marker: str,
    time_unit: str,
    labels: tuple[str, str],
) -> Figure:
    """Spaghetti plot per split: thin lines per patient, a thick line per outcome group.

    The thick line runs from the group's geometric-mean baseline with the group's median slope.
    ``labels`` are (positive, negative) outcome labels.
    """
    fig, axes = new_figure(7.0, 3.4, ncols=2, sharey=True)
    keep = baseline.notna() & follow_up.notna() & interval.notna()
    for ax, name in zip(axes, ("train", "test"), strict=True):
        for event, colour, label in (
            (1, POSITIVE_COLOUR, labels[0]),
            (0, NEGATIVE_COLOUR, labels[1]),
        ):
            mask = keep & (split == name) & (outcome == event)
            b, f, t = (
                baseline[mask].to_numpy(),
                follow_up[mask].to_numpy(),
                interval[mask].to_numpy(),
            )
            for bi, fi, ti in zip(b, f, t, strict=True):
                ax.plot([0.0, ti], [bi, fi], color=colour, alpha=0.25, linewidth=0.7)
            if b.size:
                slope = float(np.median((np.log2(f) - np.log2(b)) / t))
                start = float(2 ** np.mean(np.log2(b)))
                end_t = float(np.median(t))
                ax.plot(
                    [0.0, end_t],
                    [start, start * 2 ** (slope * end_t)],
                    color=colour,
                    linewidth=2.5,
                    label=f"{label} (n = {b.size})",
                )
        ax.set_yscale("log", base=2)
        ax.set_xlabel(f"Time from baseline ({time_unit})")
        ax.set_title("Training set" if name == "train" else "Test set")
        ax.legend(loc="lower left")
    axes[0].set_ylabel(f"{marker} (log2 scale)")
    return fig
