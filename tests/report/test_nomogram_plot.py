"""The nomogram figure: labels, tick positions read back from the Axes, layout, determinism."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from remarkit.report.plots.nomogram import _compact, nomogram_figure
from remarkit.stats.nomogram import NomogramPredictor, NomogramResult, nomogram

LP = np.linspace(-3.0, 2.5, 40)  # fitted linear predictors (only their range matters)
STAGE = {"I": 0.0, "II": 0.7, "III": 0.7, "IV": 1.6}


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _result() -> NomogramResult:
    predictors = [
        NomogramPredictor(name="age", kind="continuous", coefficient=0.03, minimum=21, maximum=88),
        NomogramPredictor(
            name="afp", kind="continuous", coefficient=-1.5e-5, minimum=0, maximum=120_000
        ),
        NomogramPredictor(name="stage", kind="categorical", levels=STAGE),
        NomogramPredictor(name="sex", kind="categorical", levels={"F": 0.0, "M": -0.4}),
    ]
    return nomogram(predictors, -1.0, LP)


def _axes(fig: Figure) -> Axes:
    (ax,) = fig.axes
    return ax


def _ticks(ax: Axes, tag: str) -> list[float]:
    xs = [
        float(x)
        for line in ax.lines
        if line.get_label() == tag
        for x in np.asarray(line.get_xdata(), dtype=float)
    ]
    return sorted(xs)


def _texts(ax: Axes) -> list[Text]:
    return [t for t in ax.texts if t.get_text()]


def _row_texts(ax: Axes, row: int) -> dict[str, float]:
    """Tick labels drawn on row ``row`` (0 = Points), by text, at their data x."""
    left = ax.get_xlim()[0]
    return {
        t.get_text(): float(t.get_position()[0])
        for t in _texts(ax)
        if t.get_position()[1] == -row and t.get_position()[0] != left
    }


def _svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "nomogram-test", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "remarkit"})
    return buffer.getvalue()


def test_labels_name_every_row_level_and_total_tick() -> None:
    result = _result()
    fig = nomogram_figure(result, labels={"age": "Age (years)", "stage": "Tumour stage"})
    texts = {t.get_text() for t in _texts(_axes(fig))}
    assert {"Points", "Age (years)", "afp", "Tumour stage", "sex", "Total points"} <= texts
    assert "Predicted probability" in texts
    assert {"I", "II, III", "IV", "F", "M"} <= texts  # equal points share one joined label
    assert {_compact(t) for t in result.total_points} <= texts
    assert {"0", "50", "100"} <= set(_row_texts(_axes(fig), 0))


def test_predictor_ticks_sit_at_their_points() -> None:
    result = _result()
    ax = _axes(nomogram_figure(result))
    for row, (name, group) in enumerate(result.points.groupby("variable", sort=False), start=1):
        expected = sorted(np.unique(group["points"].to_numpy(dtype=float)))
        assert _ticks(ax, f"_predictor:{name}") == pytest.approx(expected, abs=1e-12)
        # every label shown is centred on the points of the value(s) it names
        points = {str(v): float(p) for v, p in zip(group["value"], group["points"], strict=True)}
        for text, x in _row_texts(ax, row).items():
            first = text.split(", ")[0]
            key = (
                first if first in points else next(v for v in points if _compact(float(v)) == first)
            )
            assert x == pytest.approx(points[key], abs=1e-12), (name, text)


def test_negative_coefficient_runs_right_to_left() -> None:
    result = _result()
    afp = _row_texts(_axes(nomogram_figure(result)), 2)
    assert afp["0"] == pytest.approx(result.points.query("variable == 'afp'")["points"].max())
    assert afp["120000"] == pytest.approx(0.0)
    assert "1e+05" in afp  # R's format(): scientific only where it is shorter
    assert afp["0"] > afp["1e+05"] > afp["120000"]


def test_total_and_probability_axes_share_the_total_points_scale() -> None:
    result = _result()
    ax = _axes(nomogram_figure(result, probability_label="Risk of response"))
    to_x = 100.0 / max(result.total_points)  # rms maps total points onto the points axis' width
    assert _ticks(ax, "_total") == pytest.approx([t * to_x for t in result.total_points])
    expected = sorted(result.probability["points"] * to_x)
    assert _ticks(ax, "_probability") == pytest.approx(expected, rel=1e-12)
    assert _ticks(ax, "_points") == pytest.approx(list(range(0, 101, 10)))
    rows = len(result.points["variable"].unique()) + 3
    risk = _row_texts(ax, rows - 1)
    shown = [
        (risk[_compact(p)], points * to_x)
        for p, points in result.probability.itertuples(index=False)
        if _compact(p) in risk
    ]
    assert len(shown) >= 3  # crowded labels may be thinned, but not most of them
    assert [x for x, _ in shown] == pytest.approx([x for _, x in shown])
    assert "Risk of response" in {t.get_text() for t in ax.texts}


def test_zero_coefficient_draws_one_tick_at_zero() -> None:
    predictors = [
        NomogramPredictor(name="grade", kind="categorical", levels={"low": 0.0, "high": 1.2}),
        NomogramPredictor(name="flat", kind="continuous", coefficient=0.0, minimum=2, maximum=9),
        NomogramPredictor(name="site", kind="categorical", levels={"a": 0.0, "b": 0.0}),
    ]
    result = nomogram(predictors, 0.0, LP)
    ax = _axes(nomogram_figure(result))
    assert _ticks(ax, "_predictor:flat") == [0.0]
    assert _row_texts(ax, 2) == {"2\u20139": 0.0}  # one label for the whole (flat) range
    assert _ticks(ax, "_predictor:site") == [0.0]
    assert _row_texts(ax, 3) == {"a, b": 0.0}


def test_close_levels_alternate_sides() -> None:
    levels = {"A": 0.0, "B": 0.05, "C": 0.1, "D": 2.0}
    result = nomogram([NomogramPredictor(name="g", kind="categorical", levels=levels)], 0.0, LP)
    ax = _axes(nomogram_figure(result))
    sides = {t.get_text(): t.get_verticalalignment() for t in _texts(ax) if t.get_text() in levels}
    assert sides == {"A": "top", "B": "bottom", "C": "top", "D": "bottom"}


def test_crowded_levels_move_to_a_second_line() -> None:
    levels = {"low": 0.0, "intermediate": 0.05, "high": 0.1, "very high": 0.9}
    wide = NomogramPredictor(name="w", kind="continuous", coefficient=1.0, minimum=0, maximum=9)
    grade = NomogramPredictor(name="g", kind="categorical", levels=levels)
    result = nomogram([wide, grade], -4.0, [-4.0, 6.0])  # grade spans 10 points
    fig = nomogram_figure(result)
    ax = _axes(fig)
    assert _ticks(ax, "_predictor:g") == pytest.approx(
        sorted(result.points.query("variable == 'g'")["points"])
    )
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in _texts(ax) if t.get_text() in levels]
    assert len(boxes) == len(levels)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_crowded_labels_do_not_overlap() -> None:
    wide = NomogramPredictor(name="w", kind="continuous", coefficient=1.0, minimum=0, maximum=10)
    narrow = NomogramPredictor(
        name="n", kind="continuous", coefficient=1e-3, minimum=100_000, maximum=104_000
    )  # 9 six-digit ticks within 40 points
    result = nomogram([wide, narrow], -107.0, [-7.0, 7.0])
    fig = nomogram_figure(result)
    ax = _axes(fig)
    assert len(_ticks(ax, "_predictor:n")) == len(result.points.query("variable == 'n'"))
    renderer = fig.canvas.get_renderer()
    labels = [
        t
        for t in _texts(ax)
        if t.get_position()[1] == -2 and t.get_horizontalalignment() == "center"
    ]
    assert 1 < len(labels) < len(result.points.query("variable == 'n'"))  # some were thinned
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))


def test_many_predictors_grow_the_figure() -> None:
    def make(count: int) -> Figure:
        predictors = [
            NomogramPredictor(
                name=f"x{i}",
                kind="continuous",
                coefficient=(-1) ** i * (i + 1),
                minimum=0,
                maximum=1,
            )
            for i in range(count)
        ]
        return nomogram_figure(nomogram(predictors, 0.0, LP))

    small, large = make(2), make(12)
    assert large.get_size_inches()[1] - small.get_size_inches()[1] == pytest.approx(10 * 0.5)
    texts = {t.get_text() for t in _texts(_axes(large))}
    assert {f"x{i}" for i in range(12)} <= texts


def test_svg_is_deterministic() -> None:
    result = _result()
    first = _svg(nomogram_figure(result, title="Model A"))
    assert first == _svg(nomogram_figure(result, title="Model A"))
    assert first != _svg(nomogram_figure(result, title="Model B"))


def test_compact_numbers_follow_r_format() -> None:
    cases = {1000.0: "1000", 1e5: "1e+05", 0.001: "0.001", 1e-4: "1e-04", 0.1 + 0.2: "0.3"}
    cases |= {1234567891.0: "1234567891", -2.5: "-2.5", 0.0: "0", 1.5e-5: "1.5e-05"}
    assert {v: _compact(v) for v in cases} == cases


def test_empty_result_is_refused() -> None:
    empty = NomogramResult(
        points=pd.DataFrame(columns=["variable", "value", "xbeta", "points"]),
        scale=1.0,
        intercept=0.0,
        total_points=[0.0, 100.0],
        probability=pd.DataFrame({"probability": [], "points": []}),
    )
    with pytest.raises(ValueError, match="at least one predictor"):
        nomogram_figure(empty)


def test_probability_axis_without_ticks_keeps_its_label() -> None:
    result = _result()
    bare = result.model_copy(update={"probability": result.probability.iloc[:0]})
    ax = _axes(nomogram_figure(bare, probability_label="Risk"))
    assert _ticks(ax, "_probability") == []
    assert "Risk" in {t.get_text() for t in ax.texts}
