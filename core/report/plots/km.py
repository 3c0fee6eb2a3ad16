"""Kaplan-Meier curves with pointwise CI bands, censoring marks and numbers at risk below.

Tick labels and numbers at risk are thinned (every k-th risk time, k as small as fits) so they
never overlap, whatever the time scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from remarkit.report.figures import new_figure
from remarkit.report.legends import place_legend, series_style

#: Font size of the numbers at risk.
RISK_FONT = 8.0


@dataclass(frozen=True)
class KmSeries:
    """One group's Kaplan-Meier curve (survfit's rows) and its numbers at risk."""

    label: str
    time: Sequence[float]
    surv: Sequence[float]
    lower: Sequence[float]
    upper: Sequence[float]
    censor_times: Sequence[float]
    at_risk: Sequence[int]


@dataclass(frozen=True)
class KmPanel:
    """One panel: its curves, the times the numbers at risk are read at, and a note (shown
    under the title, e.g. the log-rank p-value and the hazard ratio)."""

    title: str
    series: Sequence[KmSeries]
    risk_times: Sequence[float]
    annotation: str = ""
    time_label: str = "Time"


def risk_times(max_time: float, *, ticks: int = 6) -> list[float]:
    """Round times from 0 up to ``max_time`` (about ``ticks`` of them) for the at-risk table."""
    if not np.isfinite(max_time) or max_time <= 0:
        return [0.0]
    locator = MaxNLocator(nbins=ticks, steps=[1, 2, 2.5, 3, 5, 6, 10])
    values = locator.tick_values(0.0, float(max_time))
    return [float(v) for v in values if 0.0 <= v <= max_time + 1e-9]


def _step(series: KmSeries) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    t = np.concatenate(([0.0], np.asarray(series.time, dtype=float)))
    s = np.concatenate(([1.0], np.asarray(series.surv, dtype=float)))
    lo = np.concatenate(([1.0], np.asarray(series.lower, dtype=float)))
    hi = np.concatenate(([1.0], np.asarray(series.upper, dtype=float)))
    return t, s, lo, hi


def _draw_curves(ax: Axes, panel: KmPanel, xmax: float) -> None:
    for i, series in enumerate(panel.series):
        colour, style = series_style(i, len(panel.series))
        t, s, lo, hi = _step(series)
        t_end = np.append(t, max(xmax, float(t[-1])))
        ax.step(
            t_end,
            np.append(s, s[-1]),
            where="post",
            color=colour,
            linestyle=style,
            label=series.label,
        )
        ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
        censored = np.asarray(series.censor_times, dtype=float)
        if censored.size:
            idx = np.searchsorted(t, censored, side="right") - 1
            ax.plot(censored, s[idx], linestyle="none", marker="|", markersize=6, color=colour)
    ax.set_ylim(0.0, 1.03)
    ax.set_xlim(0.0, xmax)
    ax.set_ylabel("Survival probability")
    ax.set_title("\n".join(part for part in (panel.title, panel.annotation) if part))
    place_legend(ax, "upper right")


def _time_label(t: float) -> str:
    """A tick label: ``7000``, ``12``, ``2.5``."""
    return f"{t:.0f}" if float(t).is_integer() else f"{t:g}"


def _widths(fig: Figure, texts: Sequence[str], size: float) -> np.ndarray:
    """Rendered widths (pixels) of ``texts`` at font ``size``."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    props = FontProperties(size=size)
    return np.array(
        [renderer.get_text_width_height_descent(t, props, ismath=False)[0] for t in texts]
    )


def _fits(x: np.ndarray, widths: np.ndarray, keep: np.ndarray, gap: float) -> bool:
    """Whether the kept labels, centred at ``x``, leave ``gap`` pixels between neighbours."""
    xs, ws = x[keep], widths[keep]
    return bool(np.all(np.diff(xs) >= (ws[:-1] + ws[1:]) / 2 + gap))


def shown_times(fig: Figure, ax: Axes, panel: KmPanel) -> list[int]:
    """Indices of the risk times labelled (and their numbers at risk shown): 0 and every
    k-th, with the smallest k at which no two tick labels or numbers at risk overlap."""
    times = np.asarray(panel.risk_times, dtype=float)
    if times.size <= 1:
        return list(range(times.size))
    x = ax.transData.transform(np.column_stack([times, np.zeros_like(times)]))[:, 0]
    tick_size = FontProperties(size=matplotlib.rcParams["xtick.labelsize"]).get_size_in_points()
    rows = [_widths(fig, [_time_label(t) for t in times], tick_size)]
    rows += [_widths(fig, [str(int(n)) for n in s.at_risk], RISK_FONT) for s in panel.series]
    widths = np.max(rows, axis=0)
    gap = 0.6 * tick_size * fig.dpi / 72.0
    for step in range(1, times.size):
        keep = np.arange(0, times.size, step)
        if _fits(x, widths, keep, gap):
            return [int(i) for i in keep]
    return [0]


def _draw_risk_table(
    ax: Axes, panel: KmPanel, xmax: float, *, labels: bool, shown: Sequence[int]
) -> None:
    k = len(panel.series)
    for i, series in enumerate(panel.series):
        y = k - 1 - i
        for j in shown:
            x, n = panel.risk_times[j], series.at_risk[j]
            colour = series_style(i, k)[0]
            ax.text(x, y, str(int(n)), ha="center", va="center", fontsize=RISK_FONT, color=colour)
    ax.set_ylim(-0.6, k - 0.4)
    ax.set_yticks(range(k))
    ax.set_yticklabels([s.label for s in reversed(list(panel.series))] if labels else [])
    for i, tick in enumerate(reversed(ax.get_yticklabels())):
        tick.set_color(series_style(i, k)[0])
    ax.set_xlim(0.0, xmax)
    _set_ticks(ax, panel, shown)
    ax.tick_params(axis="y", length=0, pad=14)
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(panel.time_label)
    ax.set_title("Number at risk", fontsize=8, loc="left")


def km_figure(panels: Sequence[KmPanel], *, width: float = 4.2, height: float = 4.8) -> Figure:
    """Side-by-side Kaplan-Meier panels, each with its numbers-at-risk table underneath (the
    group names label the first table's rows; the colours identify them in the others)."""
    if not panels:
        raise ValueError("a figure needs at least one panel")
    fig, axes = new_figure(
        width * len(panels),
        height,
        nrows=2,
        ncols=len(panels),
        squeeze=False,
        gridspec_kw={"height_ratios": [3.4, 1.0], "hspace": 0.35, "wspace": 0.3},
    )
    for j, panel in enumerate(panels):
        last = max((float(s.time[-1]) for s in panel.series if len(s.time)), default=1.0)
        xmax = max(last, max(panel.risk_times, default=0.0)) * 1.02
        _draw_curves(axes[0][j], panel, xmax)
        shown = shown_times(fig, axes[0][j], panel)
        _set_ticks(axes[0][j], panel, shown)
        _draw_risk_table(axes[1][j], panel, xmax, labels=j == 0, shown=shown)
    return fig


def _set_ticks(ax: Axes, panel: KmPanel, shown: Sequence[int]) -> None:
    """Ticks at every risk time, labels only at the ``shown`` ones."""
    times = [float(t) for t in panel.risk_times]
    ax.set_xticks(times, labels=[_time_label(t) if i in shown else "" for i, t in enumerate(times)])
