"""Figures of the deep_score unit: training curves and Grad-CAM overlays (house style)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from remarkit.plugins.deep_learning.params import ARCHITECTURE_LABELS, ArchitectureFit, GradCamCase
from remarkit.report.figures import PALETTE, REFERENCE_GREY, new_figure
from remarkit.report.legends import place_legend


def training_curves(fits: Sequence[ArchitectureFit]) -> Figure:
    """Loss (fitting and internal validation) and internal AUC per epoch, per architecture."""
    fig, (loss_ax, auc_ax) = new_figure(8.0, 3.4, ncols=2)
    for colour, fit in zip(PALETTE, fits, strict=False):
        epochs = [e.epoch for e in fit.history]
        name = ARCHITECTURE_LABELS[fit.architecture] + (" (kept)" if fit.selected else "")
        loss_ax.plot(
            epochs, [e.train_loss for e in fit.history], color=colour, label=f"{name}, fit"
        )
        loss_ax.plot(
            epochs,
            [e.val_loss for e in fit.history],
            color=colour,
            linestyle="--",
            label=f"{name}, internal validation",
        )
        auc_ax.plot(epochs, [e.val_auc for e in fit.history], color=colour, label=name)
        for ax in (loss_ax, auc_ax):
            ax.axvline(fit.best_epoch, color=colour, linestyle=":", linewidth=1)
    loss_ax.set_yscale("log")
    loss_ax.yaxis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    loss_ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    loss_ax.yaxis.set_minor_formatter(NullFormatter())
    loss_ax.set_xlabel("Epoch")
    loss_ax.set_ylabel("Binary cross-entropy (log scale)")
    place_legend(loss_ax, "upper right")
    auc_ax.axhline(0.5, color=REFERENCE_GREY, linestyle="--", linewidth=1)
    auc_ax.set_ylim(0.0, 1.0)
    auc_ax.set_xlabel("Epoch")
    auc_ax.set_ylabel("Internal-validation AUC")
    place_legend(auc_ax, "lower right")
    for ax in (loss_ax, auc_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig


def gradcam_overlays(images: np.ndarray, maps: np.ndarray, cases: Sequence[GradCamCase]) -> Figure:
    """One row per patient: the network input, and the Grad-CAM map over it."""
    rows = len(cases)
    fig, axes = new_figure(5.2, 2.5 * rows, nrows=rows, ncols=2, squeeze=False)
    for row, case in enumerate(cases):
        left, right = axes[row]
        left.imshow(images[row], cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        left.set_title(f"{case.patient} ({case.split}), {case.outcome_label}", fontsize=8)
        right.imshow(images[row], cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        overlay = right.imshow(
            maps[row], cmap="jet", vmin=0.0, vmax=1.0, alpha=0.45, interpolation="bilinear"
        )
        empty = not np.any(maps[row] > 0)
        note = " (no positive contribution)" if empty else ""
        right.set_title(f"Grad-CAM{note}, score {case.score:.2f}", fontsize=8)
        for ax in (left, right):
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
    fig.colorbar(overlay, ax=axes[:, 1].tolist(), shrink=0.6, label="Relative contribution")
    return fig
