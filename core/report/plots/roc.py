"""ROC curves: one panel per data set (e.g. train and test), one line per model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from remarkit.report.figures import diagonal
from remarkit.report.legends import place_legend, series_style
from remarkit.report.plots._grid import panel_grid


@dataclass(frozen=True)
class RocSeries:
    """One ROC curve: false-positive rate and sensitivity at each threshold, in curve order."""

    label: str
    fpr: Sequence[float]
    tpr: Sequence[float]
    point: tuple[float, float] | None = None  # operating point (1 - specificity, sensitivity)


@dataclass(frozen=True)
class RocPanel:
    """A panel of ROC curves; a series keeps its colour across panels by its position."""

    title: str
    series: Sequence[RocSeries | None]


def roc_figure(panels: Sequence[RocPanel], *, ncols: int = 2, size: float = 3.8) -> Figure:
    """ROC curves with the chance diagonal and each series' operating point (a dot); ``None``
    series are skipped (their colour is kept for the others)."""
    fig, axes = panel_grid(len(panels), ncols=ncols, width=size, height=size)
    for ax, panel in zip(axes, panels, strict=True):
        diagonal(ax)
        for i, series in enumerate(panel.series):
            if series is None:
                continue
            colour, style = series_style(i, len(panel.series))
            ax.plot(
                list(series.fpr),
                list(series.tpr),
                color=colour,
                linestyle=style,
                label=series.label,
            )
            if series.point is not None:
                ax.plot(*series.point, marker="o", markersize=5, color=colour, zorder=4)
        ax.set_xlim(-0.01, 1.01)
        ax.set_ylim(-0.01, 1.01)
        ax.set_aspect("equal")
        ax.set_xlabel("1 \u2212 specificity")
        ax.set_ylabel("Sensitivity")
        ax.set_title(panel.title)
    fig.tight_layout()
    for ax in axes:
        place_legend(ax, "lower right")
    return fig
