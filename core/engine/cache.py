"""Content-addressed on-disk cache of unit results and their files.

An entry is a folder named by the cache key holding ``result.json``, the unit's output files
(``files/``) and ``entry.json``, the sha256 of the result and of every file. Entries are written
to a temporary folder and renamed into place, so concurrent runs sharing a cache never see
half-written entries (the first writer wins; identical keys mean identical data). Every read
re-hashes the entry against ``entry.json``: a missing, added, truncated or edited file makes the
entry a miss, and the recomputed result replaces it (the bad entry is renamed aside, the new one
renamed in).
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
MANIFEST_FILE = "entry.json"
FILES_DIR = "files"


#: Part of every unit's cache key: raised when what units write changes for all of them at once
#: (2: dense figure panels saved as embedded raster), so older entries are not reused.
CACHE_FORMAT = 2


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
        """Return (result JSON text, the entry's files folder), or None on a miss: no entry, or
        one that no longer matches its recorded hashes."""
        entry = self._entry(key)
        try:
            manifest = json.loads((entry / MANIFEST_FILE).read_text(encoding="utf-8"))
            data = (entry / RESULT_FILE).read_bytes()
            if not isinstance(manifest, dict) or manifest.get("result") != _digest(data):
                return None
            if manifest.get("files") != _file_hashes(entry / FILES_DIR):
                return None
            return data.decode("utf-8"), entry / FILES_DIR
        except (OSError, ValueError):
            return None

    def put(
        self, key: str, result_json: str, files_dir: Path | None, *, replace: bool = False
    ) -> None:
        """Store an entry atomically; an entry that already exists is kept unless ``replace``
        (the runner replaces an entry its unit's Result model no longer reads)."""
        entry = self._entry(key)
        if entry.exists() and not replace and self.get(key) is not None:
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        try:
            text = result_json.encode("utf-8")
            (staging / RESULT_FILE).write_bytes(text)
            if files_dir is not None and files_dir.exists():
                shutil.copytree(files_dir, staging / FILES_DIR)
            manifest = {"result": _digest(text), "files": _file_hashes(staging / FILES_DIR)}
            (staging / MANIFEST_FILE).write_text(json.dumps(manifest, sort_keys=True), "utf-8")
            if entry.exists():
                _discard(entry)
            try:
                os.rename(staging, entry)
            except OSError:
                if not entry.exists():
                    raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative posix path -> sha256); empty when absent."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): _digest(p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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
