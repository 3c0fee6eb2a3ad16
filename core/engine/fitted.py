"""What a unit's ``apply`` receives under ``remarkit apply``: its training state, verified.

The engine reads the training run's results.json, checks the unit's ``result_sha256`` (its result
bound to the list of files it wrote) and re-hashes every saved file once. ``apply`` then gets a
:class:`Fitted`: the typed training result and a map from each saved file's name (its path inside
the unit's folder, e.g. ``"model.json"``) to its verified path. A unit neither re-hashes files nor
builds paths by hand; :meth:`Fitted.file` looks a file up and, given the sha256 the result names,
checks that the result and the file agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from remarkit.engine.unit import AppliedResult, UnitParams, UnitResult
from remarkit.errors import InputError

if TYPE_CHECKING:
    from remarkit.engine.context import UnitContext

R_co = TypeVar("R_co", bound=UnitResult, covariant=True)
P_contra = TypeVar("P_contra", bound=UnitParams, contravariant=True)
R_contra = TypeVar("R_contra", bound=UnitResult, contravariant=True)
R = TypeVar("R", bound=UnitResult)


@dataclass(frozen=True)
class Fitted(Generic[R_co]):
    """A unit's state from the training run: its typed result and its saved files, verified.

    ``files`` maps each file the unit wrote (its path inside the unit's folder, POSIX form) to its
    path on disk, and ``sha256`` to the hash the training run recorded (which the engine checked
    against the file's bytes before ``apply`` was called).
    """

    unit_id: str
    result: R_co
    folder: Path
    files: Mapping[str, Path] = field(default_factory=dict)
    sha256: Mapping[str, str] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """``name`` as a ``files`` key: a path inside the unit's folder, or one relative to the
        output folder (``units/<unit id>/...``, as ``ctx.relpath`` recorded it in the result)."""
        parts = PurePosixPath(name).parts
        if parts[:2] == ("units", self.unit_id):
            parts = parts[2:]
        return PurePosixPath(*parts).as_posix() if parts else ""

    def file(self, name: str, *, sha256: str | None = None, what: str | None = None) -> Path:
        """The verified path of the saved file ``name``; an InputError naming it if absent.

        ``sha256``: the hash the unit's result records for the file; a file whose recorded hash
        differs is refused (no file is read again). ``what`` names the file in the message.
        """
        key = self.key(name)
        shown = what or f"file '{key}'"
        path = self.files.get(key)
        if path is None:
            raise InputError(f"saved {shown} missing", file=str(self.folder / key))
        if sha256 is not None and self.sha256.get(key) != sha256:
            raise InputError(
                f"the saved {shown} differs from the training run's (sha256)", file=str(path)
            )
        return path


class AppliesFitted(Protocol[P_contra, R_contra]):
    """A unit that scores a new cohort with the state it fitted in a training run.

    ``apply(ctx, params, fitted)``: ``params`` are the unit's validated training params,
    ``fitted`` its :class:`Fitted` state; nothing may be refitted. It returns an
    :class:`~remarkit.AppliedResult` whose ``columns`` carry the training run's column names.
    """

    def apply(self, ctx: UnitContext, params: P_contra, fitted: Fitted[R_contra]) -> AppliedResult:
        """Score ``ctx``'s cohort with ``fitted`` (the training result and its saved files)."""
        ...


def folder_state(folder: Path, result: R, *, unit_id: str | None = None) -> Fitted[R]:
    """The state of a unit folder as it is now, hashed now and **not** verified against any run.

    For tests of a unit's ``apply`` (a modified file reaches ``apply`` as if recorded so);
    ``remarkit apply`` builds its :class:`Fitted` from results.json and verifies every file.
    """
    from remarkit.hashing import sha256_file

    paths = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    files = {p.relative_to(folder).as_posix(): p for p in paths}
    return Fitted(
        unit_id=unit_id or folder.name,
        result=result,
        folder=folder,
        files=files,
        sha256={k: sha256_file(p) for k, p in files.items()},
    )
