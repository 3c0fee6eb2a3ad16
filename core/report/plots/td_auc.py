"""Time-dependent AUC: AUC(t) against the horizon, one line per score, one panel per set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import PALETTE, REFERENCE_GREY
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class AucSeries:
    """AUC(t) of one score with its CI at each horizon."""

    label: str
    times: Sequence[float]
    auc: Sequence[float]
    lower: Sequence[float]
    upper: Sequence[float]


@dataclass(frozen=True)
class AucPanel:
    """A set's AUC(t) curves; a series keeps its colour across panels by its position."""

    title: str
    series: Sequence[AucSeries | None]


def td_auc_figure(panels: Sequence[AucPanel], *, time_unit: str, level: float = 0.95) -> Figure:
    """Panels of AUC(t) with CI bars and the chance line at 0.5."""
    fig, axes = panel_grid(len(panels), ncols=2, width=4.2, height=3.4)
    for ax, panel in zip(axes, panels, strict=True):
        ax.axhline(0.5, linestyle="--", color=REFERENCE_GREY, linewidth=1)
        for k, s in enumerate(panel.series):
            if s is None or not s.times:
                continue
            auc = np.asarray(s.auc, dtype=float)
            err = np.vstack(
                (auc - np.asarray(s.lower, dtype=float), np.asarray(s.upper, dtype=float) - auc)
            )
            ax.errorbar(
                list(s.times),
                auc,
                yerr=err,
                fmt="o-",
                markersize=4,
                capsize=2,
                linewidth=1,
                color=PALETTE[k % len(PALETTE)],
                label=s.label,
            )
        ax.set_ylim(0.0, 1.02)
        ax.set_xlabel(f"Time ({time_unit})")
        ax.set_ylabel(f"AUC(t) ({100 * level:g}% CI)")
        ax.set_title(panel.title)
        ax.legend(loc="lower left")
    fig.tight_layout()
    return fig
