"""Harrell's C with its confidence interval per score and set, on a linear axis with 0.5 marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import REFERENCE_GREY, new_figure
from remarkit.report.legends import place_legend, series_style


@dataclass(frozen=True)
class CPoint:
    """One score in one set: C and its interval (None when not estimable)."""

    score: str
    set_name: str
    estimate: float | None
    lower: float | None
    upper: float | None


def concordance_figure(points: Sequence[CPoint], *, level: float) -> Figure:
    """Scores top to bottom, one marker per set (offset vertically), whiskers for the CI."""
    scores = list(dict.fromkeys(p.score for p in points))
    sets = list(dict.fromkeys(p.set_name for p in points))
    fig, ax = new_figure(6.0, 1.0 + 0.55 * len(scores) * max(1, len(sets)) ** 0.5)
    step = 0.5 / max(1, len(sets))
    for k, name in enumerate(sets):
        colour = series_style(k, len(sets))[0]
        offset = ((len(sets) - 1) / 2 - k) * step  # the first set on top, as in the legend
        first = True
        for p in points:
            if p.set_name != name or p.estimate is None:
                continue
            y = len(scores) - 1 - scores.index(p.score) + offset
            if p.lower is not None and p.upper is not None:
                ax.hlines(y, p.lower, p.upper, color=colour, linewidth=1.4)
            ax.plot(
                [p.estimate], [y], "o", color=colour, markersize=5, label=name if first else None
            )
            first = False
    ax.axvline(0.5, color=REFERENCE_GREY, linestyle="--", linewidth=1.0)
    ax.set_yticks(np.arange(len(scores))[::-1], scores)
    ax.set_ylim(-0.6, len(scores) - 0.4)
    ax.set_xlabel(f"Harrell's C ({100 * level:g}% CI); 0.5 = no discrimination")
    fig.tight_layout()
    if len(sets) > 1:
        place_legend(ax, fontsize=8, frameon=False)
    return fig


@dataclass(frozen=True)
class AucCurve:
    """One score's AUC(t) in one set, with its interval (None where undefined)."""

    score: str
    set_name: str
    times: Sequence[float]
    auc: Sequence[float | None]
    lower: Sequence[float | None]
    upper: Sequence[float | None]


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def auc_figure(curves: Sequence[AucCurve], *, level: float, unit: str) -> Figure:
    """One panel per set: AUC(t) of each score against the horizon, with interval bars."""
    sets = list(dict.fromkeys(c.set_name for c in curves))
    scores = list(dict.fromkeys(c.score for c in curves))
    fig, axes = new_figure(4.0 * len(sets), 3.2, ncols=len(sets), squeeze=False)
    for ax, name in zip(axes[0], sets, strict=True):
        for c in curves:
            if c.set_name != name:
                continue
            k = scores.index(c.score)
            colour, style = series_style(k, len(scores))
            t, a = np.asarray(c.times, dtype=float), _floats(c.auc)
            lo, hi = _floats(c.lower), _floats(c.upper)
            ax.plot(
                t,
                a,
                marker="o",
                linestyle=style,
                color=colour,
                markersize=4,
                linewidth=1.2,
                label=c.score,
            )
            ok = ~np.isnan(lo) & ~np.isnan(hi)
            ax.vlines(t[ok], lo[ok], hi[ok], color=colour, linewidth=1.0, alpha=0.7)
        ax.axhline(0.5, color=REFERENCE_GREY, linestyle="--", linewidth=1.0)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(f"Horizon ({unit})")
        ax.set_ylabel(f"AUC(t) ({100 * level:g}% CI)")
    fig.tight_layout()
    for ax in axes[0]:
        place_legend(ax, fontsize=7, frameon=False)
    return fig
