"""Forest and marker figures: extreme and empty inputs draw without error, deterministically."""

from __future__ import annotations

import io
import math

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from remarkit.report.plots.forest import ForestRow, forest_plot
from remarkit.report.plots.marker import (
    RocMark,
    WaterfallPanel,
    decline_roc,
    decline_waterfall,
)


def _svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "test"}):  # as UnitContext.save_figure does
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def test_forest_plot_clips_unbounded_intervals() -> None:
    rows = [
        ForestRow("Stage", text="reference: I", heading=True),
        ForestRow("II", 2.0, 1.1, 3.9, text="2.00 (1.10-3.90)", indent=True),
        ForestRow("III", 1e9, 1e-3, math.inf, text="not estimable", indent=True),
        ForestRow("Age", 0.99, 0.98, 1.0),
        ForestRow("Sex", text="not fitted: a single level", heading=True),
    ]
    fig = forest_plot(rows)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert low > 1e-4 and high < 1e4  # the diverging row is clipped, not stretched to infinity
    assert [t.get_text().strip() for t in ax.get_yticklabels()] == [r.label for r in rows]
    assert _svg(fig) == _svg(forest_plot(rows))
    with pytest.raises(ValueError, match="at least one row"):
        forest_plot([])


def test_marker_figures_with_an_empty_panel() -> None:
    fig = decline_roc(
        [0.0, 0.5, 1.0], [1.0, 0.8, 0.0], curve_label="AUC 0.70", marks=[RocMark(0.5, 0.8, "opt")]
    )
    assert fig.axes[0].get_legend() is not None
    panels = [
        WaterfallPanel("Train", np.array([90.0, -350.0, 10.0]), np.array([1.0, 0.0, 0.0])),
        WaterfallPanel("Test", np.array([]), np.array([])),
    ]
    fig = decline_waterfall(
        panels, threshold=60, threshold_label="60%", outcome_labels=("no", "yes"), ylabel="%"
    )
    assert fig.axes[0].get_ylim()[0] == pytest.approx(-105.0)  # a rise beyond -100 is clipped
    assert fig.axes[1].get_title() == "Test (n = 0)"
