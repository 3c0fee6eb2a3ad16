"""Calibration curves: binned observed proportions with CIs, the lowess curve and the diagonal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from remarkit.report.figures import PALETTE, REFERENCE_GREY, diagonal
from remarkit.report.legends import place_legend
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class CalibrationPanel:
    """One data set's calibration: the smoothed curve, the binned points and the predictions."""

    title: str
    curve_predicted: Sequence[float]
    curve_observed: Sequence[float]
    bin_predicted: Sequence[float]
    bin_observed: Sequence[float]
    bin_lower: Sequence[float]
    bin_upper: Sequence[float]
    predictions: Sequence[float]
    annotation: str = ""


def _spikes(ax: Axes, predictions: Sequence[float]) -> None:
    """A spike histogram of the predictions along the bottom (as rms::val.prob draws)."""
    p = np.asarray(predictions, dtype=float)
    if p.size == 0:
        return
    counts, edges = np.histogram(p, bins=50, range=(0.0, 1.0))
    heights = 0.08 * counts / max(int(counts.max()), 1)
    mids = (edges[:-1] + edges[1:]) / 2.0
    keep = counts > 0
    ax.vlines(mids[keep], 0.0, heights[keep], color=REFERENCE_GREY, linewidth=1.2)


def calibration_figure(
    panels: Sequence[CalibrationPanel], *, ncols: int = 2, size: float = 3.8
) -> Figure:
    """Calibration panels: ideal diagonal, lowess curve, grouped points with CI bars, spikes."""
    fig, axes = panel_grid(len(panels), ncols=ncols, width=size, height=size)
    for ax, panel in zip(axes, panels, strict=True):
        diagonal(ax, label="Ideal")
        ax.plot(
            list(panel.curve_predicted),
            list(panel.curve_observed),
            color=PALETTE[0],
            label="Lowess",
        )
        obs = np.asarray(panel.bin_observed, dtype=float)
        err = np.vstack(
            (
                obs - np.asarray(panel.bin_lower, dtype=float),
                np.asarray(panel.bin_upper, dtype=float) - obs,
            )
        )
        ax.errorbar(
            list(panel.bin_predicted),
            obs,
            yerr=err,
            fmt="o",
            markersize=4,
            color=PALETTE[1],
            capsize=2,
            linewidth=1,
            label="Grouped (95% CI)",
        )
        _spikes(ax, panel.predictions)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_aspect("equal")
        ax.set_xlabel("Predicted probability")
        ax.set_ylabel("Observed proportion")
        ax.set_title(panel.title)
        place_legend(ax, "upper left")
        if panel.annotation:
            ax.text(0.98, 0.11, panel.annotation, transform=ax.transAxes, ha="right", va="bottom")
    fig.tight_layout()
    return fig
