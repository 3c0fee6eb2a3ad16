"""Content hashes of image files and DICOM series folders, memoised by file identity.

Within a process a file is hashed once per (path, size, modification time). With a ``memo_dir``
the hash is also remembered on disk under a key made of the resolved path, size, inode and the
modification and status-change times in nanoseconds: a file whose identity is unchanged is not
read again by later runs (the status-change time cannot be set back by tools such as ``touch``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from remarkit.errors import InputError
from remarkit.io._dicom import dicom_series_files

MEMO_FOLDER = "sha256"


def image_sha256(path: Path, *, memo_dir: Path | None = None) -> str:
    """SHA-256 of an image file, or of a DICOM series folder's slice files (names and bytes)."""
    if path.is_dir():
        files = sorted(dicom_series_files(path))
        stamp = tuple((f, *_identity(Path(f))) for f in files)
        return _memoised(memo_dir, f"{path.resolve()}|{stamp}", lambda: _folder(files))
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    resolved = str(path.resolve())
    identity = _identity(path)
    return _memoised(memo_dir, f"{resolved}|{identity}", lambda: _file(resolved, *identity[:2]))


def _identity(path: Path) -> tuple[int, int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns


def _memoised(memo_dir: Path | None, identity: str, compute: Callable[[], str]) -> str:
    if memo_dir is None:
        return compute()
    key = hashlib.sha256(identity.encode()).hexdigest()
    entry = memo_dir / MEMO_FOLDER / key[:2] / key
    try:
        value = entry.read_text(encoding="ascii").strip()
        if len(value) == 64:
            return value
    except OSError:
        pass
    value = compute()
    entry.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".memo-", dir=entry.parent)
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(value)
    os.replace(tmp, entry)
    return value


@lru_cache(maxsize=4096)
def _file(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    _update(digest, Path(path))
    return digest.hexdigest()


def _folder(files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).name.encode())
        _update(digest, Path(name))
    return digest.hexdigest()


def _update(digest: hashlib._Hash, path: Path) -> None:
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
