"""Deterministic Word files: fixed core properties and zip entries with fixed dates.

python-docx stamps every zip entry with the current time; :func:`save_deterministic` rewrites
the package with the same entries in the same order, each dated 1980-01-01 00:00, so the same
report always exports byte-identical ``.docx`` files.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

#: The date written into every exported document's properties (no run-dependent timestamps).
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def new_document(title: str) -> Any:
    """A python-docx Document with fixed core properties and compact margins."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = "remarkit"
    props.last_modified_by = "remarkit"
    props.comments = "written by remarkit export"
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1
    for section in document.sections:
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    document.styles["Normal"].font.size = Pt(10)
    return document


def save_deterministic(document: Any, target: Path) -> None:
    """Save ``document`` to ``target`` with every zip entry dated :data:`ZIP_DATE`."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, source.read(info.filename))
