"""Series styles stay distinct for many curves; legends never hide data."""

from __future__ import annotations

import numpy as np

from remarkit.report.figures import PALETTE, new_figure
from remarkit.report.legends import (
    MAX_INSIDE,
    MUTED,
    _covers,
    _data_points,
    place_legend,
    series_style,
)
from remarkit.report.plots.roc import RocPanel, RocSeries, roc_figure


def test_every_series_of_a_figure_has_its_own_style() -> None:
    assert [series_style(i, 8) for i in range(8)] == [(c, "-") for c in PALETTE]
    nine = [series_style(i, 9) for i in range(9)]
    assert [c for c, _ in nine] == list(MUTED) and len(set(nine)) == 9
    many = [series_style(i, 20) for i in range(20)]
    assert len(set(many)) == 20
    assert series_style(9, 20) == (MUTED[0], "--")


def _outside(legend: object) -> bool:
    return getattr(legend, "_bbox_to_anchor", None) is not None


def test_a_legend_inside_the_panel_covers_no_point_of_any_curve() -> None:
    fig, ax = new_figure()
    xs = np.linspace(0.0, 1.0, 200)
    ax.plot(xs, 1.0 - xs, label="falling")  # crosses the upper-left and lower-right corners
    ax.plot(xs, np.full_like(xs, 0.95), label="high")  # runs along the top edge
    legend = place_legend(ax, "upper left")
    assert legend is not None and not _outside(legend)
    renderer = fig.canvas.get_renderer()
    assert not _covers(legend, _data_points(ax), renderer)


def test_a_panel_full_of_data_or_a_long_legend_puts_the_legend_outside() -> None:
    _fig, ax = new_figure()
    grid = np.linspace(0.0, 1.0, 40)
    xx, yy = np.meshgrid(grid, grid)
    ax.scatter(xx.ravel(), yy.ravel(), s=2, label="everywhere")
    legend = place_legend(ax)
    assert legend is not None and _outside(legend)

    _fig, ax = new_figure()
    for k in range(MAX_INSIDE + 1):
        ax.plot([0, 1], [k, k], label=f"curve {k}")
    assert _outside(place_legend(ax, "upper left"))


def test_nine_roc_curves_get_nine_colours_and_an_uncovered_legend() -> None:
    xs = np.linspace(0.0, 1.0, 50)
    series = [RocSeries(f"model {k}", xs, xs ** (1.0 / (k + 1.5))) for k in range(9)]
    fig = roc_figure([RocPanel("Test set", series)])
    ax = fig.axes[0]
    colours = {line.get_color() for line in ax.lines if line.get_label().startswith("model")}
    assert len(colours) == 9
    legend = ax.get_legend()
    assert legend is not None and _outside(legend)  # 9 entries: outside the panel
