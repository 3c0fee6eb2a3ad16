"""The export folder: checked first, filled in a staging folder beside it, then moved in place.

``--to`` must be new, empty, or an earlier export (it holds :data:`MANIFEST` written by remarkit
export): a non-empty folder without it is refused, so a user's folder is never overwritten. The
export is written into ``.NAME.tmp-PID-*`` beside the target and renamed into place when complete;
an earlier export is replaced as a whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from remarkit.errors import InputError

MANIFEST = "export.json"
#: The key of export.json that marks a folder as written by remarkit export.
MARK = "remarkit_export"


def is_export(folder: Path) -> bool:
    """Whether ``folder`` holds an export.json written by remarkit export."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and MARK in data


def check_target(target: Path, report_dir: Path) -> None:
    """InputError unless ``target`` can receive an export of ``report_dir``."""
    resolved = target.resolve()
    if resolved == report_dir.resolve():
        raise InputError(
            "the export folder must not be the report folder", file=str(target), field="--to"
        )
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder", file=str(target), field="--to")
    if target.is_dir() and any(target.iterdir()) and not is_export(target):
        raise InputError(
            f"folder is not empty and holds no earlier export ({MANIFEST}); give a new or "
            "empty folder",
            file=str(target),
            field="--to",
        )
    parent = resolved.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise InputError(f"cannot write in {parent}", file=str(target), field="--to")


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A staging folder beside ``target``; on success it replaces ``target``, else vanishes."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    try:
        yield stage
        stage.chmod(0o755)
        if target.is_dir():
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent)
            )
            os.replace(target, old / target.name)
            os.replace(stage, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(stage, target)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
