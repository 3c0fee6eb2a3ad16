"""Text helpers for messages and Methods paragraphs: listing ids, naming software versions."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata


def name_ids(ids: Sequence[object], limit: int = 10) -> str:
    """``'P1, P2 and 3 more'``: the first ``limit`` ids, then how many more, for one line."""
    shown = ", ".join(str(i) for i in ids[:limit])
    more = len(ids) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def versions(*names: str) -> str:
    """``'remarkit 1.2, numpy 2.3'``: installed distributions, remarkit first, absent ones left out."""
    parts = []
    for name in ("remarkit", *names):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(parts)
