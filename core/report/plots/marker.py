"""Marker-response figures: the ROC curve of a marker's decline and a waterfall of declines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import ArrayLike

from remarkit.report.figures import PALETTE, REFERENCE_GREY, diagonal, new_figure
from remarkit.report.legends import place_legend


@dataclass(frozen=True)
class RocMark:
    """A point to mark on a ROC curve: its (1 - specificity, sensitivity) and a legend label."""

    fpr: float
    tpr: float
    label: str


def decline_roc(
    specificity: ArrayLike,
    sensitivity: ArrayLike,
    *,
    curve_label: str,
    marks: Sequence[RocMark] = (),
    title: str = "",
) -> Figure:
    """ROC curve (sensitivity against 1 - specificity) with the marked operating points."""
    fpr = 1.0 - np.asarray(specificity, dtype=float)
    tpr = np.asarray(sensitivity, dtype=float)
    order = np.lexsort((tpr, fpr))
    fig, ax = new_figure(4.2, 4.0)
    diagonal(ax)
    ax.plot(fpr[order], tpr[order], color=PALETTE[0], label=curve_label)
    markers = ("o", "s", "D", "^")
    for i, mark in enumerate(marks):
        ax.plot(
            [mark.fpr],
            [mark.tpr],
            linestyle="none",
            marker=markers[i % len(markers)],
            markersize=7,
            markerfacecolor="white" if i else PALETTE[1],
            markeredgecolor=PALETTE[1 + i % (len(PALETTE) - 1)],
            label=mark.label,
        )
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("Sensitivity")
    if title:
        ax.set_title(title)
    place_legend(ax, "lower right")
    return fig


@dataclass(frozen=True)
class WaterfallPanel:
    """One panel of a waterfall plot: per-patient declines (%) and their 0/1 outcomes."""

    title: str
    decline: np.ndarray
    outcome: np.ndarray


def _bars(values: np.ndarray, colours: Sequence[str]) -> PolyCollection:
    """Bars of width 1 centred on 0, 1, ... from 0 to ``values``, one collection (one artist
    whatever the number of patients, drawn at once and rasterised as one when dense)."""
    left = np.arange(values.size, dtype=float) - 0.5
    zero = np.zeros(values.size)
    corners = np.stack(
        [
            np.column_stack([left, zero]),
            np.column_stack([left, values]),
            np.column_stack([left + 1.0, values]),
            np.column_stack([left + 1.0, zero]),
        ],
        axis=1,
    )
    return PolyCollection(list(corners), facecolors=list(colours), edgecolors="none")


def decline_waterfall(
    panels: Sequence[WaterfallPanel],
    *,
    threshold: float,
    threshold_label: str,
    outcome_labels: tuple[str, str],
    ylabel: str,
) -> Figure:
    """Bars of each patient's decline, sorted, coloured by outcome, with the threshold drawn.

    Declines below -100% (rises of more than double) are drawn at -100 so one patient cannot
    flatten the panel; the axis label says so.
    """
    fig, axes = new_figure(3.6 * len(panels), 3.4, ncols=len(panels), squeeze=False, sharey=True)
    colours = (PALETTE[1], PALETTE[0])
    lowest = min((float(p.decline.min()) for p in panels if p.decline.size), default=0.0)
    bottom = min(-25.0, max(lowest, -100.0) - 5.0)
    for ax, panel in zip(axes[0], panels, strict=True):
        order = np.argsort(-panel.decline, kind="stable")
        values = np.clip(panel.decline[order], -100.0, 100.0)
        outcome = panel.outcome[order].astype(int)
        ax.add_collection(_bars(values, [colours[k] for k in outcome]), autolim=False)
        ax.axhline(threshold, color=REFERENCE_GREY, linestyle="--", linewidth=1)
        ax.axhline(0.0, color="black", linewidth=0.6)
        ax.set_title(f"{panel.title} (n = {values.size})")
        ax.set_xticks([])
        ax.set_xlim(-1, max(values.size, 1))
        ax.set_ylim(bottom, 105)
    axes[0][0].set_ylabel(ylabel)
    handles = [
        Patch(color=colours[1], label=outcome_labels[1]),
        Patch(color=colours[0], label=outcome_labels[0]),
        Line2D([], [], color=REFERENCE_GREY, linestyle="--", linewidth=1, label=threshold_label),
    ]
    axes[0][-1].legend(handles=handles, loc="lower left")
    return fig
