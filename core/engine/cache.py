"""Content-addressed on-disk cache of unit results and their files.

An entry is a folder named by the cache key holding ``result.json`` and the unit's output files.
Entries are written to a temporary folder and renamed into place, so concurrent runs sharing a
cache never see half-written entries (the first writer wins; identical keys mean identical data).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

RESULT_FILE = "result.json"


def cache_key(parts: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``parts``."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResultCache:
    """A folder of cache entries keyed by content hash."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def case_dir(self) -> Path | None:
        """Folder for per-case caches kept by units (e.g. one radiomics extraction per image)."""
        return self.root / "cases"

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> tuple[str, Path] | None:
        """Return (result JSON text, entry folder) or None on a miss."""
        entry = self._entry(key)
        try:
            return (entry / RESULT_FILE).read_text(encoding="utf-8"), entry / "files"
        except (FileNotFoundError, NotADirectoryError):
            return None

    def put(
        self, key: str, result_json: str, files_dir: Path | None, *, replace: bool = False
    ) -> None:
        """Store an entry atomically; an entry that already exists is kept unless ``replace``
        (the runner replaces an entry its unit's Result model no longer reads)."""
        entry = self._entry(key)
        if entry.exists():
            if not replace:
                return
            _discard(entry)
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        try:
            (staging / RESULT_FILE).write_text(result_json, encoding="utf-8")
            if files_dir is not None and files_dir.exists():
                shutil.copytree(files_dir, staging / "files")
            try:
                os.rename(staging, entry)
            except OSError:
                if not entry.exists():
                    raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _discard(entry: Path) -> None:
    """Remove an entry: renamed aside first, so readers never see it half-deleted."""
    trash = entry.with_name(f".old-{entry.name}-{os.getpid()}")
    try:
        os.rename(entry, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


class NullCache(ResultCache):
    """A cache that stores nothing (``--no-cache``)."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def case_dir(self) -> Path | None:
        """No per-case cache either."""
        return None

    def get(self, key: str) -> tuple[str, Path] | None:
        """Always a miss."""
        return None

    def put(
        self, key: str, result_json: str, files_dir: Path | None, *, replace: bool = False
    ) -> None:
        """Store nothing."""
