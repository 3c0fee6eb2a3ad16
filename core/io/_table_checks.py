"""Checks of a table's raw text before pandas sees it: encoding, header names, row lengths.

pandas renames a repeated column ('x' -> 'x.1'), pads a short row with missing values and reports
a decode error as a byte offset; these checks read the text themselves so that each problem is
an :class:`InputError` naming the file, row and column. Rows are numbered as a spreadsheet shows
them (the header is row 1; blank lines, which pandas skips, are not counted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from remarkit.errors import InputError


def decode_text(data: bytes, *, file: str, sep: str) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped).

    A byte that is not UTF-8 raises an InputError naming its row (line) and column.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = data.rfind(b"\n", 0, start) + 1
        row = data.count(b"\n", 0, start) + 1
        header_line = (data.decode("utf-8", "replace").splitlines() or [""])[0]
        try:
            header = next(csv.reader([header_line], delimiter=sep), [])
        except csv.Error:  # the header itself is unreadable: name the row only
            header = []
        index = data[line_start:start].count(sep.encode())
        column = header[index].strip() if row > 1 and index < len(header) else None
        raise InputError(
            f"byte 0x{data[start]:02x} is not UTF-8 text (the file looks like Latin-1 or "
            "Windows-1252: save it as UTF-8)",
            file=file,
            row=row,
            column=column,
        ) from exc


def check_rows(text: str, *, file: str, sep: str) -> list[str]:
    """The header's names as written; every other row must have as many fields.

    Raises InputError naming the first row with fewer or more fields than the header.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    header: list[str] | None = None
    row = 0
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line: pandas skips it
            row += 1
            if header is None:
                header = fields
            elif len(fields) != len(header):
                raise InputError(
                    f"the row has {len(fields)} field{'s' if len(fields) != 1 else ''} but the "
                    f"header has {len(header)}",
                    file=file,
                    row=row,
                )
    except csv.Error as exc:
        raise InputError(
            f"cannot read the table: {exc} at line {reader.line_num} (an unclosed quote?)",
            file=file,
        ) from exc
    return header or []


def check_header(names: Sequence[str], *, file: str, notes: list[str] | None = None) -> None:
    """A name repeated in the header (spaces around names trimmed, as the reader trims them) is
    an InputError naming both columns.

    Names equal only when case is ignored are appended to ``notes`` (warnings) when it is given.
    """
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.strip()
        if key in first:
            j = first[key]
            spaces = "" if names[j] == name else " (written with other spaces around it)"
            raise InputError(
                f"column '{key}' (column {j + 1}) is repeated as column {i + 1}{spaces}: "
                "rename or remove one of them",
                file=file,
                column=key,
            )
        first[key] = i
    if notes is None:
        return
    folded: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.strip().casefold()
        if key in folded:
            j = folded[key]
            notes.append(
                f"{file}: columns '{names[j]}' (column {j + 1}) and '{name}' (column {i + 1}) "
                "differ only in case or spaces: check that they are not the same variable"
            )
        else:
            folded[key] = i
