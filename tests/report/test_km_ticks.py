"""Kaplan-Meier axes: tick labels and numbers at risk never overlap, whatever the time scale."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from remarkit.report.plots.km import KmPanel, KmSeries, km_figure, risk_times


def _series(label: str, scale: float, times: list[float], n: int, seed: int) -> KmSeries:
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0.01 * scale, scale, 40))
    surv = np.linspace(0.98, 0.3, t.size)
    at_risk = [max(n - int(n * x / (times[-1] or 1)), 0) for x in times]
    return KmSeries(label, t, surv, surv - 0.1, np.minimum(surv + 0.1, 1), t[::7], at_risk)


def _panel(scale: float, times: list[float], n: int = 4321) -> KmPanel:
    series = [
        _series("AFP ≥ 400 ng/ml", scale, times, n, 1),
        _series("AFP < 400", scale, times, n, 2),
    ]
    return KmPanel("Whole cohort", series, times, "log-rank p = 0.01", "Time (days)")


def _boxes(fig: Figure, texts: list[Text]) -> list[Bbox]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]


def _overlapping(boxes: list[Bbox]) -> list[tuple[int, int]]:
    ordered = sorted(boxes, key=lambda b: b.x0)
    return [(i, i + 1) for i in range(len(ordered) - 1) if ordered[i].x1 > ordered[i + 1].x0]


SCALES = [
    ("days, default times", 7000.0, risk_times(7000.0)),
    ("days, every 250", 7000.0, [float(t) for t in range(0, 7001, 250)]),
    ("days, every 100", 7000.0, [float(t) for t in range(0, 7001, 100)]),
    ("months", 84.0, [float(t) for t in range(0, 85, 6)]),
    ("years", 19.0, [float(t) for t in range(0, 20)]),
    ("fractional years", 2.0, [round(0.1 * k, 1) for k in range(21)]),
]


@pytest.mark.parametrize(("name", "scale", "times"), SCALES, ids=[s[0] for s in SCALES])
def test_tick_labels_and_numbers_at_risk_do_not_overlap(
    name: str, scale: float, times: list[float]
) -> None:
    fig = km_figure([_panel(scale, times), _panel(scale, times)])
    fig.canvas.draw()
    for ax in fig.axes:
        labels = _boxes(fig, list(ax.get_xticklabels()))
        assert labels, f"{name}: no tick label shown"
        assert not _overlapping(labels), f"{name}: tick labels overlap"
    for ax in fig.axes[2:]:  # the numbers-at-risk tables
        for y in {t.get_position()[1] for t in ax.texts}:
            row = [t for t in ax.texts if t.get_position()[1] == y]
            assert not _overlapping(_boxes(fig, row)), f"{name}: numbers at risk overlap"


def test_labels_thinned_only_when_needed() -> None:
    sparse = km_figure([_panel(84.0, [0.0, 24.0, 48.0, 72.0])])
    assert [t.get_text() for t in sparse.axes[0].get_xticklabels()] == ["0", "24", "48", "72"]
    dense = km_figure([_panel(7000.0, [float(t) for t in range(0, 7001, 100)])])
    shown = [t.get_text() for t in dense.axes[1].get_xticklabels() if t.get_text()]
    assert shown[0] == "0" and 2 <= len(shown) <= 12
    assert len(dense.axes[1].texts) == 2 * len(shown)  # numbers at risk only under labels
