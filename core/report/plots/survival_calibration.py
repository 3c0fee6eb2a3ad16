"""Survival calibration: Kaplan-Meier observed vs mean predicted survival per risk group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import PALETTE, diagonal
from remarkit.report.legends import place_legend
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class SurvivalCalibrationPanel:
    """One set's risk groups: mean predicted and KM observed survival with its CI."""

    title: str
    predicted: Sequence[float]
    observed: Sequence[float]
    lower: Sequence[float]
    upper: Sequence[float]
    annotation: str = ""


def survival_calibration_figure(
    panels: Sequence[SurvivalCalibrationPanel],
    *,
    horizon_label: str,
    level: float = 0.95,
    size: float = 3.8,
) -> Figure:
    """One panel per set: the ideal diagonal and the groups' KM estimates with CI bars."""
    fig, axes = panel_grid(len(panels), ncols=2, width=size, height=size)
    for ax, panel in zip(axes, panels, strict=True):
        diagonal(ax, label="Ideal")
        obs = np.asarray(panel.observed, dtype=float)
        err = np.vstack(
            (
                obs - np.asarray(panel.lower, dtype=float),
                np.asarray(panel.upper, dtype=float) - obs,
            )
        )
        ax.errorbar(
            list(panel.predicted),
            obs,
            yerr=err,
            fmt="o-",
            markersize=4,
            color=PALETTE[0],
            capsize=2,
            linewidth=1,
            label=f"Kaplan-Meier ({100 * level:g}% CI)",
        )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_aspect("equal")
        ax.set_xlabel(f"Predicted survival at {horizon_label}")
        ax.set_ylabel(f"Observed survival at {horizon_label}")
        ax.set_title(panel.title)
        place_legend(ax, "upper left")
        if panel.annotation:
            ax.text(0.98, 0.03, panel.annotation, transform=ax.transAxes, ha="right", va="bottom")
    fig.tight_layout()
    return fig
