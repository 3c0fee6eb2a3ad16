"""Read the tables and figures back out of a rendered report.html (lxml's HTML parser).

The export takes the report's own cells, so its Word tables equal the report's by construction:
each ``<table>`` gives its number (``id="table-N"`` on the caption), caption, header and body
rows with their spans, the notes (``<p class="table-note">``) that follow it, and the section
and unit it sits in; each ``<figure>`` gives its number, caption and the embedded image bytes.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from remarkit.errors import InputError

_SPACE = re.compile(r"[ \t\r\f\v\n]+")
_BLOCK_TAGS = ("li", "p", "div", "ul", "ol", "dd", "dt")


@dataclass(frozen=True)
class Cell:
    """One table cell as the report shows it."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class ReportTable:
    """A table of the report with its caption, notes and place."""

    number: int | None
    caption: str
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    notes: tuple[str, ...]
    section: str
    unit: str | None
    #: The report section's key (``patients``, ``methods``, a results section, ...).
    section_key: str = ""


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the report: its number, caption, place and the embedded image."""

    number: int
    caption: str
    mime: str
    data: bytes
    section: str
    unit: str | None


def cell_text(element: Any) -> str:
    """The visible text of an element: one line per line break or list item, spaces collapsed."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in element.iter(*_BLOCK_TAGS):
        if block is not element:
            block.tail = "\n" + (block.tail or "")
    lines = (_SPACE.sub(" ", line).strip() for line in element.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _label_free(element: Any) -> str:
    """Text of a caption without its ``Table N.``/``Figure N.`` label."""
    for label in element.xpath('.//span[contains(concat(" ", @class, " "), " label ")]'):
        label.drop_tree()
    return cell_text(element)


def _place(element: Any) -> tuple[str, str | None, str]:
    """The title of the report section holding ``element``, the unit id (if in a unit) and
    the section's key (from its ``section-KEY`` class)."""
    section, unit, key = "", None, ""
    for ancestor in element.iterancestors("section"):
        classes = (ancestor.get("class") or "").split()
        ident = ancestor.get("id") or ""
        if unit is None and ident.startswith(("unit-", "appendix-")):
            unit = ident.split("-", 1)[1]
        if "report-section" in classes:
            heading = ancestor.find("h2")
            section = cell_text(heading) if heading is not None else ""
            ident = ancestor.get("id") or ""
            key = ident[len("sec-") :] if ident.startswith("sec-") else ""
            break
    return section, unit, key


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, int(cell.get(name) or 1))
    except ValueError:
        return 1


def _notes(table: Any) -> tuple[str, ...]:
    notes = []
    for sibling in table.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag != "p" or "table-note" not in (sibling.get("class") or "").split():
            break
        notes.append(cell_text(sibling))
    return tuple(n for n in notes if n)


def _table(table: Any) -> ReportTable:
    caption = table.find("caption")
    number = None
    title = ""
    if caption is not None:
        match = re.fullmatch(r"table-(\d+)", caption.get("id") or "")
        number = int(match.group(1)) if match else None
        title = _label_free(caption)
    rows: list[tuple[Cell, ...]] = []
    header_rows = 0
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = []
        for td in tr.xpath("./td|./th"):
            classes = (td.get("class") or "").split()
            cells.append(
                Cell(
                    text=cell_text(td),
                    colspan=_span(td, "colspan"),
                    rowspan=_span(td, "rowspan"),
                    header=td.tag == "th",
                    numeric="num" in classes,
                )
            )
        if tr.getparent().tag == "thead":
            header_rows += 1
        rows.append(tuple(cells))
    section, unit, key = _place(table)
    notes = _notes(table)
    return ReportTable(number, title, tuple(rows), header_rows, notes, section, unit, key)


def decode_data_uri(uri: str) -> tuple[str, bytes]:
    """The MIME type and bytes of a ``data:`` URI (base64 or percent-encoded)."""
    match = re.fullmatch(r"data:([^;,]*)((?:;[^;,]*)*),(.*)", uri, flags=re.DOTALL)
    if match is None:
        raise ValueError("not a data: URI")
    mime, params, payload = match.groups()
    if ";base64" in params:
        return mime or "text/plain", base64.b64decode(payload)
    return mime or "text/plain", unquote_to_bytes(payload)


def _figure(figure: Any, source: str) -> ReportFigure:
    match = re.fullmatch(r"figure-(\d+)", figure.get("id") or "")
    img = figure.find(".//img")
    caption = figure.find("figcaption")
    if match is None or img is None:
        raise InputError(
            f"a <figure> without a number or image: id {figure.get('id')!r}", file=source
        )
    try:
        mime, data = decode_data_uri(img.get("src") or "")
    except ValueError as exc:
        raise InputError(
            f"figure {match.group(1)} is not embedded as a data: URI", file=source
        ) from exc
    section, unit, _ = _place(figure)
    text = _label_free(caption) if caption is not None else ""
    return ReportFigure(int(match.group(1)), text, mime, data, section, unit)


def parse_report(
    html: str, source: str = "report.html"
) -> tuple[list[ReportTable], list[ReportFigure]]:
    """The tables and the numbered figures of a report, in document order."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    main = root.find(".//main")
    scope = main if main is not None else root
    tables = [_table(t) for t in scope.iter("table")]
    figures = [_figure(f, source) for f in scope.iter("figure") if f.get("id")]
    return tables, figures
