"""Read gene-set files in GMT format (MSigDB's Gene Matrix Transposed).

Each line is one gene set: its name, a description (often a URL), then its genes, separated by
tabs. Blank lines are skipped, empty gene fields (trailing tabs) are ignored, and gene order is
kept (a gene listed twice stays listed twice, as GSVA counts it). A file may be gzip-compressed
(``.gz``). Problems raise :class:`InputError` naming the file and line.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from remarkit.errors import InputError


def read_gmt(path: Path) -> dict[str, list[str]]:
    """Read a GMT file into ``{set name: [genes]}`` in file order.

    Raises :class:`InputError` (file and line) for a missing or unreadable file, a line with
    fewer than three fields (name, description, genes), a set without genes, an empty or
    repeated set name, or a file with no gene set.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError("file not found", file=file)
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                text = handle.read()
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the gene-set file: {message}", file=file) from exc
    sets: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise InputError(
                f"expected a set name, a description and genes separated by tabs, found "
                f"{len(fields)} field(s)",
                file=file,
                row=number,
            )
        name = fields[0].strip()
        if not name:
            raise InputError("the gene-set name (first field) is empty", file=file, row=number)
        if name in sets:
            raise InputError(
                f"gene set '{name}' is also defined on line {first_line[name]}",
                file=file,
                row=number,
            )
        genes = [g.strip() for g in fields[2:] if g.strip()]
        if not genes:
            raise InputError(f"gene set '{name}' lists no genes", file=file, row=number)
        sets[name] = genes
        first_line[name] = number
    if not sets:
        raise InputError("the gene-set file has no gene set", file=file)
    return sets
