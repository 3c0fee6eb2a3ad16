"""Frozen-model documents: the JSON files a unit writes when fitting and reads under ``apply``.

A document is a pydantic model with ``format``, ``format_version`` and ``remarkit_version``
fields. :func:`write_document` writes it with sorted keys and returns the file's sha256, which the
unit records in its hashed result; under ``apply`` the engine has verified that hash (see
:class:`remarkit.Fitted`), and :func:`read_document` refuses a file that is missing, not JSON,
another format or another format version.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from remarkit import InputError, __version__
from remarkit.hashing import sha256_file

DocumentT = TypeVar("DocumentT", bound=BaseModel)


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed version of each named distribution (absent ones are left out)."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def write_document(path: Path, document: BaseModel) -> str:
    """Write ``document`` as JSON with sorted keys and return the file's sha256."""
    text = json.dumps(document.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return sha256_file(path)


def read_document(
    path: Path,
    document_type: type[DocumentT],
    *,
    format_name: str,
    format_version: int,
) -> DocumentT:
    """Read a frozen document (give the path :meth:`remarkit.Fitted.file` verified); a missing,
    foreign or incompatible file is an InputError."""
    if not path.is_file():
        raise InputError("frozen model file not found", file=str(path))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a JSON file ({exc})", file=str(path)) from exc
    if not isinstance(raw, dict) or raw.get("format") != format_name:
        found = raw.get("format") if isinstance(raw, dict) else None
        raise InputError(f"format {found!r} is not {format_name!r}", file=str(path))
    if raw.get("format_version") != format_version:
        raise InputError(
            f"model format version {raw.get('format_version')!r} (written by remarkit "
            f"{raw.get('remarkit_version', '?')}); this remarkit {__version__} reads version "
            f"{format_version}: refit the model with this version",
            file=str(path),
        )
    try:
        return document_type.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"invalid frozen model: {where}: {first['msg']}", file=str(path)) from exc
