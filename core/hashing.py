"""The one sha256 of a file's bytes: saved models, unit files, outputs and their audits.

:func:`sha256_file` reads the file now, in 1 MiB blocks, and never memoises (it is the guard
against files modified after a run). Plugins import it from here (``remarkit.hashing``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["sha256_file"]

_BLOCK = 1 << 20


def sha256_file(path: Path) -> str:
    """sha256 (hex) of the bytes of the file at ``path``, read now (never memoised)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
