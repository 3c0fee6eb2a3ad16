"""The patient-flow diagram (REMARK 12) as a self-contained, deterministic SVG.

Steps with ``n`` are boxes on the main column; steps with ``excluded`` are side boxes branching
off the arrow between them. The diagram ends with the analysed cohort split into training and
test sets with their event counts. Every label is XML-escaped.
"""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

WIDTH = 640
MAIN_X, MAIN_W = 20, 320
SIDE_X, SIDE_W = 390, 230
LINE_H, PAD = 15, 9
GAP = 26
FONT = "DejaVu Sans, Arial, sans-serif"
CHARS_PER_PX = 1 / 6.6  # average glyph width at 11 px
BOLD = ' font-weight="bold"'


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    lines: tuple[str, ...]

    @property
    def h(self) -> float:
        return len(self.lines) * LINE_H + 2 * PAD

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


def _wrap(text: str, width: float) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, int(width * CHARS_PER_PX)) or [""])


def _box(x: float, y: float, w: float, text: str, count: str) -> _Box:
    return _Box(x, y, w, (*_wrap(text, w - 2 * PAD), count))


def _rect(box: _Box, css: str) -> str:
    last = len(box.lines) - 1
    texts = "".join(
        f'<text x="{box.x + PAD:.1f}" y="{box.y + PAD + (i + 0.8) * LINE_H:.1f}"'
        f"{BOLD if i == last else ''}>{escape(line)}</text>"
        for i, line in enumerate(box.lines)
    )
    return (
        f'<rect class="{css}" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
        f'height="{box.h:.1f}" rx="3"/>{texts}'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" marker-end="url(#arrow)"/>'
    )


def _split_detail(cohort: dict[str, Any], split: str) -> str:
    """``n = 28; DCB = 10`` (and ``; outcome unknown = 2``); ``n = 28`` without an outcome."""
    detail = f"n = {cohort[f'n_{split}']}"
    if cohort.get("positive"):
        detail += f"; {cohort['positive']} = {cohort[f'events_{split}']}"
        unknown = int(cohort.get(f"missing_outcome_{split}", 0))
        if unknown:
            detail += f"; outcome unknown = {unknown}"
    return detail


def _split_boxes(cohort: dict[str, Any], y: float) -> list[_Box]:
    if cohort.get("external"):
        detail = _split_detail(cohort, "test")
        return [_box(MAIN_X, y, MAIN_W, "External validation set", detail)]
    half = (MAIN_W + SIDE_W + SIDE_X - MAIN_X - MAIN_W - 20) / 2
    return [
        _box(
            MAIN_X + i * (half + 20),
            y,
            half,
            f"{name} set",
            _split_detail(cohort, split),
        )
        for i, (name, split) in enumerate((("Training", "train"), ("Test", "test")))
    ]


def flow_svg(flow: list[dict[str, Any]], cohort: dict[str, Any]) -> str:
    """Draw the flow steps and the train/test split; return the SVG document text."""
    parts: list[str] = []
    y = 10.0
    previous: _Box | None = None
    pending: list[dict[str, Any]] = []
    steps = [s for s in flow if s.get("n") is not None or s.get("excluded") is not None]
    if not steps or steps[-1].get("n") is None:
        steps.append({"label": "Analysed", "n": cohort["n"]})
    for step in steps:
        if step.get("n") is None:
            pending.append(step)
            continue
        if previous is not None:
            side_y = previous.bottom + GAP / 2
            sides: list[_Box] = []
            for excl in pending:
                side = _box(
                    SIDE_X, side_y, SIDE_W, str(excl["label"]), f"excluded n = {excl['excluded']}"
                )
                sides.append(side)
                side_y = side.bottom + GAP / 3
            y = max(previous.bottom + GAP, side_y + GAP / 2)
            parts.append(_arrow(previous.cx, previous.bottom, previous.cx, y))
            for side in sides:
                mid = side.y + side.h / 2
                parts.append(_arrow(previous.cx, mid, side.x, mid))
                parts.append(_rect(side, "side"))
        pending = []
        box = _box(MAIN_X, y, MAIN_W, str(step["label"]), f"n = {step['n']}")
        parts.append(_rect(box, "main"))
        previous = box
        y = box.bottom
    assert previous is not None
    splits = _split_boxes(cohort, previous.bottom + 2 * GAP)
    bar = previous.bottom + GAP
    parts.append(
        f'<line x1="{previous.cx:.1f}" y1="{previous.bottom:.1f}" x2="{previous.cx:.1f}" y2="{bar:.1f}"/>'
        f'<line x1="{splits[0].cx:.1f}" y1="{bar:.1f}" x2="{splits[-1].cx:.1f}" y2="{bar:.1f}"/>'
    )
    for box in splits:
        parts.append(_arrow(box.cx, bar, box.cx, box.y))
        parts.append(_rect(box, "split"))
    height = max(b.bottom for b in splits) + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" font-size="11">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
        "</defs><style>line{stroke:#333;stroke-width:1.2}rect{stroke:#333;stroke-width:1}"
        "rect.main{fill:#eef4fa}rect.side{fill:#fdf3ec}rect.split{fill:#eef8f3}"
        "text{fill:#111}</style>" + "".join(parts) + "</svg>"
    )


def flow_data_uri(flow: list[dict[str, Any]], cohort: dict[str, Any]) -> str:
    """The flow diagram as a base64 ``data:image/svg+xml`` URI."""
    data = base64.b64encode(flow_svg(flow, cohort).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"
