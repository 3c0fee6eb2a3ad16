"""Render unit results into HTML fragments: numbering, figure embedding, fragment look-up.

The fragment contract (for built-in and third-party units): a result of kind ``K`` renders with
template ``units/K.html``, which receives ``unit`` (the unit's record in results.json, a dict),
``result`` (its typed result as a dict) and ``report`` (the :class:`ReportState`), and imports
``macros.html`` with context for numbered tables and figures::

    {% import "macros.html" as m with context %}
    <table class="data">{{ m.caption("Odds ratios of ...") }} ... </table>
    {{ m.note("Wald 95% CIs.") }}
    {% for fig in result.figures %}{{ m.figure(fig) }}{% endfor %}

A kind without a template renders with ``units/_generic.html`` (its figures and warnings).
Tables get the id ``table-N`` and figures ``figure-N`` (the report's lists link to them); a
fragment may also show an embedded image with ``m.image_figure(data_uri, caption)``. Helpers
``unit_anchor(id)``, ``section_anchor(key)`` and ``field_anchor(path)`` are template globals in
the compiled report.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound
from markupsafe import Markup

from remarkit.report.formatting import FILTERS, non_finite_mark, non_finite_note

GENERIC_FRAGMENT = "units/_generic.html"


@dataclass
class ReportState:
    """Per-report state: table/figure counters and the captions collected for the contents."""

    out_dir: Path
    tables: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Non-finite marks (``inf``, ``n.e.``) printed since the last table note.
    marks: set[str] = field(default_factory=set)
    #: The unit whose fragment is rendering, and each unit's tables: (unit id, k) -> number.
    current_unit: str | None = None
    unit_tables: dict[tuple[str, int], int] = field(default_factory=dict)

    def record(self, *values: Any) -> None:
        """Remember the non-finite marks the number filters print for ``values``."""
        for value in values:
            mark = non_finite_mark(value)
            if mark is not None:
                self.marks.add(mark)

    def take_note(self) -> str:
        """The explanation of the marks printed since the last note (then forgotten), or ''."""
        text = non_finite_note(self.marks)
        self.marks.clear()
        return text

    def next_table(self, caption: str) -> int:
        """Register a table caption and return its number (the current unit's k-th table)."""
        self.tables.append(caption)
        if self.current_unit is not None:
            k = 1 + sum(1 for uid, _ in self.unit_tables if uid == self.current_unit)
            self.unit_tables[(self.current_unit, k)] = len(self.tables)
        return len(self.tables)

    def next_figure(self, caption: str) -> int:
        """Register a figure caption and return its number."""
        self.figures.append(caption)
        return len(self.figures)

    def embed(self, relpath: str) -> Markup:
        """A data URI of a file inside the output folder (figures are embedded, never linked)."""
        root = self.out_dir.resolve()
        path = (root / relpath).resolve()
        if root not in path.parents:
            raise ValueError(f"figure path escapes the output folder: {relpath}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".svg":
            mime = "image/svg+xml"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return Markup(f"data:{mime};base64,{data}")


def recording_filters(state: ReportState) -> dict[str, Callable[..., str]]:
    """The number filters, each recording in ``state`` the non-finite marks it prints."""

    def wrap(name: str, func: Callable[..., str]) -> Callable[..., str]:
        def recorded(*args: Any, **kwargs: Any) -> str:
            state.record(*args[: _VALUE_ARGS.get(name, 1)])
            return func(*args, **kwargs)

        recorded.__name__ = recorded.__qualname__ = name
        recorded.__doc__ = func.__doc__
        return recorded

    return {name: wrap(name, func) for name, func in FILTERS.items()}


#: How many leading arguments of a filter are values (the rest are digits).
_VALUE_ARGS = {"ci": 2, "est_ci": 3}


def render_unit(env: Environment, unit: dict[str, Any], state: ReportState) -> Markup:
    """Render one unit's fragment (or the generic one when its kind has no template).

    Marks printed where no table note followed are explained in a note closing the fragment.
    """
    result = unit.get("result") or {}
    kind = result.get("kind", "")
    try:
        template = env.get_template(f"units/{kind}.html")
    except TemplateNotFound:
        template = env.get_template(GENERIC_FRAGMENT)
    state.marks.clear()
    state.current_unit = str(unit.get("id"))
    try:
        html = Markup(template.render(unit=unit, result=result, report=state))
    finally:
        state.current_unit = None
    leftover = state.take_note()
    if leftover:
        html += Markup('<p class="table-note">{}</p>').format(leftover)
    return html


def render_appendix(env: Environment, unit: dict[str, Any], state: ReportState) -> Markup:
    """Render a unit's patient listings (``units/<kind>_appendix.html``) for the appendix."""
    result = unit.get("result") or {}
    template = env.get_template(f"units/{result.get('kind', '')}_appendix.html")
    return Markup(template.render(unit=unit, result=result, report=state))
