"""print.css lays the long-text tables (provenance, checklist, profile) out with fixed column
widths: WeasyPrint then skips measuring every break opportunity of their cells."""

from __future__ import annotations

from typing import Any

import pytest
from weasyprint import HTML

from remarkit.report.templates import make_environment

PARAMS = "<code class='params'>" + '{"column": "afp", "threshold": 0.5} ' * 30 + "</code>"


def _tables(box: Any) -> list[Any]:
    found = [box] if type(box).__name__ == "TableBox" else []
    for child in getattr(box, "children", []):
        found += _tables(child)
    return found


def _layout(table: str) -> Any:
    env = make_environment(None, [])
    assert env.loader is not None
    css = "".join(env.loader.get_source(env, name)[0] for name in ("report.css", "print.css"))
    html = f"<html><head><style>{css}</style></head><body>{table}</body></html>"
    page = HTML(string=html).render().pages[0]
    (found,) = _tables(page._page_box)
    return found


def test_provenance_units_table_has_the_declared_column_widths() -> None:
    row = f"<tr><td>afp</td><td>remarkit 1.0</td><td>ok</td><td>{PARAMS}</td><td>abc</td></tr>"
    head = "".join(f"<th>{h}</th>" for h in ("Unit", "Source", "Status", "Parameters", "Key"))
    table = _layout(
        f"<table class='data provenance'><thead><tr>{head}</tr></thead>"
        f"<tbody>{row * 3}</tbody></table>"
    )
    assert table.style["table_layout"] == "fixed"
    shares = [w / sum(table.column_widths) for w in table.column_widths]
    # declared content widths 15%, 14%, 7%, 36% (each cell adds the same padding)
    steps = [share - shares[0] for share in shares[:4]]
    assert steps == pytest.approx([0.0, -0.01, -0.08, 0.21], abs=0.005)


def test_other_data_tables_keep_the_automatic_layout() -> None:
    table = _layout(
        "<table class='data'><thead><tr><th>Variable</th><th>OR</th></tr></thead>"
        "<tbody><tr><td>Age (years)</td><td class='num'>1.02</td></tr></tbody></table>"
    )
    assert table.style["table_layout"] == "auto"


def _pages_with(document: Any, text: str) -> list[int]:
    def holds(box: Any) -> bool:
        if text in (getattr(box, "text", None) or ""):
            return True
        return any(holds(child) for child in getattr(box, "children", []))

    return [k for k, page in enumerate(document.pages) if holds(page._page_box)]


@pytest.mark.parametrize(("space_mm", "lines"), [(233, 1), (226, 6)])
def test_a_table_caption_and_header_never_end_a_page_alone(space_mm: int, lines: int) -> None:
    # the table starts low on the page: its caption (and header) fit there but its first row
    # does not, so they move to the next page together (233 mm: without print.css's
    # caption rule the caption alone stays behind)
    env = make_environment(None, [])
    assert env.loader is not None
    css = "".join(env.loader.get_source(env, name)[0] for name in ("report.css", "print.css"))
    tall = "<br>".join("line" for _ in range(lines))
    rows = "".join(f"<tr><td>row{i} {tall}</td><td>{i}</td></tr>" for i in range(20))
    html = (
        f"<html><head><style>{css}</style></head><body><div style='height:{space_mm}mm'></div>"
        "<table class='data'><caption>Table 9. A caption</caption><thead><tr><th>HEADER</th>"
        f"<th>value</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
    document = HTML(string=html).render()
    first_row = _pages_with(document, "row0")
    assert first_row == _pages_with(document, "A caption")
    assert first_row == _pages_with(document, "HEADER")[:1]
