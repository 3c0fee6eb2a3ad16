"""Nomograms of logistic models, laid out as ``plot(rms::nomogram(fit, fun = plogis))``.

Top to bottom: the 0-100 "Points" axis (labels above, minor ticks every quarter of a major
step), one axis per predictor with each tick at its points, "Total points", and the
probability axis. The last two share their own linear scale: total points ``t`` is drawn at
``t * 100 / max(total_points)`` on the points axis' width (rms rescales ``usr`` the same way).

Everything is drawn on one Axes in points-axis data units. Tick marks are ``Line2D`` marker
artists whose x data are the tick positions; their ``label`` names the row: ``_points``,
``_predictor:<variable>``, ``_total`` and ``_probability`` (``_minor`` for minor ticks).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.markers import TICKDOWN, TICKUP
from matplotlib.textpath import text_to_path
from matplotlib.transforms import offset_copy

from remarkit.report.figures import STYLE, new_figure
from remarkit.stats.nomogram import MAX_POINTS, NomogramResult
from remarkit.stats.pretty import pretty

AXIS_IN = 4.6  # width of the 0-100 points axis, inches
ROW_IN = 0.5  # vertical distance between axes, inches
PAD_IN = 0.3  # room for tick labels overhanging an axis end, inches
TOP_IN, BOTTOM_IN = 0.4, 0.35
LABEL_WRAP = 24  # characters per line of a row label
TICK_PT, MINOR_TICK_PT = 4.0, 2.0
TICK_FONT, LABEL_FONT = 8.0, 9.0
GAP_PT = 3.0  # smallest gap between neighbouring tick labels
TIER_PT = 10.0  # distance between the first and second line of level labels
LINE_WIDTH = 0.8
INK = "black"
SIG_DIGITS = 7  # as R's default options(digits = 7)

Side = Literal["below", "above"]


@dataclass(frozen=True)
class _Tick:
    x: float
    label: str
    side: Side = "below"
    tier: int = 0  # 1: a second line of labels, further from the axis


def nomogram_figure(
    result: NomogramResult,
    *,
    labels: Mapping[str, str] | None = None,
    probability_label: str = "Predicted probability",
    title: str = "",
) -> Figure:
    """Draw ``result`` as rms' ``plot.nomogram`` does; row labels from ``labels`` (default: the
    variable names). The figure grows by one row height per predictor."""
    if result.points.empty:
        raise ValueError("a nomogram needs at least one predictor axis")
    names = labels or {}
    groups = [(str(name), g) for name, g in result.points.groupby("variable", sort=False)]
    total_max = max(result.total_points)
    to_x = MAX_POINTS / total_max  # total points -> points-axis units
    prob_x = [float(p) * to_x for p in result.probability["points"]]

    row_labels = [
        "Points",
        *(names.get(name, name) for name, _ in groups),
        "Total points",
        probability_label,
    ]
    wrapped = [textwrap.fill(text, LABEL_WRAP) or " " for text in row_labels]
    label_in = max(_width(line, LABEL_FONT) for t in wrapped for line in t.split("\n")) / 72
    unit = AXIS_IN / MAX_POINTS  # inches per points-axis unit
    lowest = min(0.0, *prob_x, *(float(p) for p in result.points["points"]))
    label_x = lowest - (label_in + PAD_IN) / unit
    right = MAX_POINTS + PAD_IN / unit
    rows = len(row_labels)
    height = TOP_IN + (rows - 1) * ROW_IN + BOTTOM_IN
    fig, ax = new_figure((right - label_x) * unit, height)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    ax.set_xlim(label_x, right)
    ax.set_ylim(-(rows - 1) - BOTTOM_IN / ROW_IN, TOP_IN / ROW_IN)
    ax.set_axis_off()
    for i, text in enumerate(wrapped):
        ax.text(label_x, -i, text, ha="left", va="center", fontsize=LABEL_FONT, parse_math=False)

    pt_per_unit = unit * 72
    majors = [float(t) for t in pretty([0.0, MAX_POINTS], 10)]
    step = majors[1] - majors[0]
    mids = np.arange(majors[0] + step / 2, majors[-1], step)
    quarters = sorted({*(mids - step / 4), *mids, *(mids + step / 4)})
    top = [_Tick(t, _compact(t), "above") for t in majors]
    _draw_axis(ax, 0.0, _thin(top, pt_per_unit), tag="_points", minor=quarters)
    for i, (name, group) in enumerate(groups, start=1):
        _draw_axis(ax, -float(i), _predictor_ticks(group, pt_per_unit), tag=f"_predictor:{name}")

    total = [float(t) for t in result.total_points]
    minor_total = _fifths(total)
    total_ticks = [_Tick(t * to_x, _compact(t)) for t in total]
    _draw_axis(
        ax,
        -float(rows - 2),
        _thin(total_ticks, pt_per_unit),
        tag="_total",
        minor=[t * to_x for t in minor_total],
    )
    probabilities = [float(p) for p in result.probability["probability"]]
    risk_ticks = [_Tick(x, _compact(p)) for x, p in zip(prob_x, probabilities, strict=True)]
    _draw_axis(ax, -float(rows - 1), _thin(risk_ticks, pt_per_unit), tag="_probability")
    if title:
        ax.set_title(title)
    return fig


def _predictor_ticks(group: pd.DataFrame, pt_per_unit: float) -> list[_Tick]:
    """One tick per distinct points value; equal points share a tick and a joined label."""
    continuous = _is_continuous(group)
    merged: dict[float, tuple[float, list[str]]] = {}
    for value, points in zip(group["value"], group["points"], strict=True):
        text = _compact(float(value)) if continuous else str(value)
        key = round(float(points), 9)
        merged.setdefault(key, (float(points), []))[1].append(text)
    ticks = []
    for x, texts in merged.values():
        if continuous:
            label = texts[0] if len(texts) == 1 else f"{texts[0]}\u2013{texts[-1]}"
        else:
            label = ", ".join(texts)
        ticks.append(_Tick(x, label))
    if continuous:
        return _thin(ticks, pt_per_unit)
    return _stagger(ticks, pt_per_unit)


def _is_continuous(group: pd.DataFrame) -> bool:
    """A continuous axis: numeric, equally spaced ascending values, xbeta proportional to them."""
    try:
        values = np.array([float(v) for v in group["value"]])
    except ValueError:
        return False
    steps = np.diff(values)
    if len(values) < 2 or not np.all(steps > 0) or not np.allclose(steps, steps[0], rtol=1e-9):
        return False
    xbeta = group["xbeta"].to_numpy(dtype=float)
    k = int(np.argmax(np.abs(values)))
    coefficient = xbeta[k] / values[k]
    tolerance = 1e-9 * max(1.0, float(np.abs(xbeta).max()))
    return bool(np.allclose(xbeta, coefficient * values, rtol=0, atol=tolerance))


def _fifths(ticks: Sequence[float]) -> list[float]:
    """Minor ticks every fifth of a major step (rms' total-points axis)."""
    if len(ticks) < 2:
        return []
    count = round((ticks[-1] - ticks[0]) / (ticks[1] - ticks[0]) * 5)
    return [float(t) for t in np.linspace(ticks[0], ticks[-1], count + 1)]


def _thin(ticks: Sequence[_Tick], pt_per_unit: float) -> list[_Tick]:
    """Blank labels that would overlap the previous shown one, left to right (as R's ``axis``
    skips them); every tick keeps its mark."""
    kept: list[_Tick] = []
    right_edge = -math.inf
    for tick in sorted(ticks, key=lambda t: t.x):
        half = _width(tick.label, TICK_FONT) / 2
        centre = tick.x * pt_per_unit
        if centre - half >= right_edge + GAP_PT:
            kept.append(tick)
            right_edge = centre + half
        else:
            kept.append(_Tick(tick.x, "", tick.side))
    return kept


def _stagger(ticks: Sequence[_Tick], pt_per_unit: float) -> list[_Tick]:
    """Alternate levels below and above the axis in points order (as rms). A label that would
    overlap the previous one on its side takes the other side, else a second line of labels
    (below first); when every slot is crowded, the one freed up longest ago."""
    placed: list[_Tick] = []
    right_edge: dict[tuple[Side, int], float] = {}
    previous: Side = "above"
    for tick in sorted(ticks, key=lambda t: t.x):
        half = _width(tick.label, TICK_FONT) / 2
        left = tick.x * pt_per_unit - half
        first: Side = "below" if previous == "above" else "above"
        second: Side = "above" if first == "below" else "below"
        slots: list[tuple[Side, int]] = [(first, 0), (second, 0), ("below", 1), ("above", 1)]
        free = [s for s in slots if left >= right_edge.get(s, -math.inf) + GAP_PT]
        slot = free[0] if free else min(slots, key=lambda s: right_edge.get(s, -math.inf))
        placed.append(_Tick(tick.x, tick.label, *slot))
        right_edge[slot] = tick.x * pt_per_unit + half
        previous = slot[0]
    return placed


def _draw_axis(
    ax: Axes, y: float, ticks: Sequence[_Tick], *, tag: str, minor: Sequence[float] = ()
) -> None:
    """A horizontal axis at ``y``: its line, tick marks on each tick's side, minor ticks (on the
    side of the first tick) and the non-empty labels; nothing for no ticks."""
    if not ticks:
        return
    xs = [t.x for t in ticks]
    ax.plot([min(xs), max(xs)], [y, y], color=INK, linewidth=LINE_WIDTH, clip_on=False)
    for side, marker in (("below", TICKDOWN), ("above", TICKUP)):
        at = [t.x for t in ticks if t.side == side]
        if at:
            _marks(ax, at, y, marker, TICK_PT, tag)
    if minor:
        marker = TICKUP if ticks[0].side == "above" else TICKDOWN
        _marks(ax, minor, y, marker, MINOR_TICK_PT, "_minor")
    for tick in ticks:
        if not tick.label:
            continue
        below = tick.side == "below"
        distance = TICK_PT + 1.5 + tick.tier * TIER_PT
        ax.text(
            tick.x,
            y,
            tick.label,
            transform=offset_copy(
                ax.transData,
                fig=_figure(ax),
                y=-distance if below else distance,
                units="points",
            ),
            ha="center",
            va="top" if below else "bottom",
            fontsize=TICK_FONT,
            parse_math=False,
        )


def _marks(ax: Axes, xs: Sequence[float], y: float, marker: int, size: float, tag: str) -> None:
    ax.plot(
        xs,
        [y] * len(xs),
        linestyle="none",
        marker=marker,
        markersize=size,
        markeredgewidth=LINE_WIDTH,
        color=INK,
        label=tag,
        clip_on=False,
    )


def _figure(ax: Axes) -> Figure:
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    return figure


def _width(text: str, size: float) -> float:
    """Rendered width of one line of ``text`` in points, in the house font."""
    if not text:
        return 0.0
    font = FontProperties(family=STYLE["font.family"], size=size)
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def _compact(value: float) -> str:
    """``value`` as R's ``format()`` prints it alone: up to 7 significant digits, in fixed
    notation unless scientific is shorter (``1000`` but ``1e+05``, ``0.001`` but ``1e-04``)."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    target = float(f"{value:.{SIG_DIGITS - 1}e}")
    sig = next(d for d in range(1, SIG_DIGITS + 1) if float(f"{value:.{d - 1}e}") == target)
    scientific = f"{target:.{sig - 1}e}"
    exponent = int(scientific.split("e")[1])
    fixed = f"{value:.{max(0, sig - 1 - exponent)}f}"  # R keeps every integer digit
    return fixed if len(fixed) <= len(scientific) else scientific
