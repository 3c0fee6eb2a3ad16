"""The PDF report: WeasyPrint renders the same HTML with a fetcher confined to the output folder.

The fetcher (WeasyPrint >= 70's class API) serves ``data:`` URIs and ``file:`` URLs of files
inside the output folder; every other reference (``file:`` elsewhere, ``http(s):``, ``ftp:``) is
refused and recorded, so text a user wrote into the spec or a template cannot make the PDF
renderer read or fetch anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class RefusedURLError(ValueError):
    """A reference the report's fetcher does not serve."""


class OutputFolderFetcher(URLFetcher):
    """Serve data: URIs and files inside ``root``; refuse and record everything else."""

    def __init__(self, root: Path, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        """Whether ``url`` is a data: URI or a file: URL of a file inside the root."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        return self.root in path.parents and path.is_file()

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch an allowed URL; raise :class:`RefusedURLError` (recorded) for any other."""
        if not self.allows(url):
            self.refused.append(url if len(url) < 200 else url[:200] + "...")
            raise RefusedURLError(f"remarkit refuses to fetch {url[:200]}")
        return super().fetch(url, headers)


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Keep WeasyPrint's per-resource warnings off the terminal; refusals are reported by us."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def write_pdf(
    html: str, out_dir: Path, target: Path, anchors: dict[str, int] | None = None
) -> list[str]:
    """Render ``html`` to ``target``; return the references the fetcher refused.

    ``anchors``, when given, receives the 1-based PDF page of every element id of the layout.
    """
    root = Path(out_dir).resolve()
    fetcher = OutputFolderFetcher(root)
    with _quiet_weasyprint():
        source = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
        document = source.render()
        if anchors is not None:
            for number, page in enumerate(document.pages, start=1):
                for name in page.anchors:
                    anchors.setdefault(name, number)
        document.write_pdf(target)
    return fetcher.refused
