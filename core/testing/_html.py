"""Scan rendered HTML: text nodes, images, tables with or without captions, unbalanced tags."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
#: Elements whose end tag HTML lets an author leave out.
OPTIONAL_END = {"p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "option"}
RAW_TEXT = {"style", "script"}


class HtmlScan(HTMLParser):
    """Collect what a fragment check needs in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.images: list[str] = []
        self.tables: list[bool] = []  # per table: has a caption
        self.problems: list[str] = []
        self._stack: list[str] = []
        self._table_index: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        if tag in VOID:
            return
        if tag == "table":
            self.tables.append(False)
            self._table_index.append(len(self.tables) - 1)
        elif tag == "caption" and self._table_index and self._stack[-1:] == ["table"]:
            self.tables[self._table_index[-1]] = True
        self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag not in self._stack:
            self.problems.append(f"end tag </{tag}> without a start tag")
            return
        while self._stack:
            top = self._stack.pop()
            if top == "table" and self._table_index:
                self._table_index.pop()
            if top == tag:
                return
            if top not in OPTIONAL_END:
                self.problems.append(f"<{top}> is not closed before </{tag}>")

    def handle_data(self, data: str) -> None:
        if not any(tag in RAW_TEXT for tag in self._stack):
            self.texts.append(data)

    def finish(self) -> None:
        """Close the parser; report elements left open."""
        self.close()
        self.problems += [
            f"<{tag}> is never closed" for tag in self._stack if tag not in OPTIONAL_END
        ]
        self._stack.clear()


def scan(html: str) -> HtmlScan:
    """Parse ``html`` and return the scan."""
    parser = HtmlScan()
    parser.feed(html)
    parser.finish()
    return parser
