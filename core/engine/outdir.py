"""The output folder of a run: checked before any work, locked and filled from a staging folder.

A report folder holds a marker file, :data:`MARKER`, listing every file remarkit wrote into it.
``--out`` must be new, empty, or such a folder: a non-empty folder without the marker is refused,
so a user's folder is never filled or emptied by mistake. Re-running into a report folder
replaces only what the previous run wrote: every top-level output (``units/``, ``results.json``,
the report) is swapped for the new one, and the run refuses (InputError naming the file) when
an output it would replace holds a file the marker does not list (a user's file inside
``units/``), so nothing remarkit did not write is ever deleted. Other entries of the folder
(a user's notes, the demo's ``study/``) are left alone.

Outputs are moved into place under an exclusive lock on the output folder (``flock``), so two
runs into one folder leave one run's complete outputs. A run stages its outputs in a sibling
folder named with its process id; :func:`remove_stale_staging` deletes those of runs whose
process is gone (killed), so they do not pile up.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from remarkit._version import __version__
from remarkit.errors import InputError

MARKER = ".remarkit-report"

#: Top-level names every run may write (results.json, the units' folders).
RUN_OUTPUTS = frozenset({"results.json", "units"})
#: Written by ``remarkit apply`` (the new cohort's scores).
APPLY_OUTPUTS = frozenset({"scores.csv"})
#: Written when the report is compiled (the CLI): HTML, PDF and the PDF's checklist pages.
REPORT_OUTPUTS = frozenset({"report.html", "report.pdf", "checklist_pages.json"})


def output_names(*, applied: bool, report: bool) -> set[str]:
    """The top-level names a run writes into ``--out`` (besides the marker)."""
    names = set(RUN_OUTPUTS)
    if applied:
        names |= APPLY_OUTPUTS
    if report:
        names |= REPORT_OUTPUTS
    return names


def _error(message: str, path: Path, option: str) -> InputError:
    return InputError(message, file=str(path), field=option)


def _probe_writable(path: Path, option: str) -> None:
    """InputError unless ``path`` (or, when absent, its nearest existing ancestor) is a folder
    we can create files in; nothing is left behind."""
    folder = path
    while not folder.exists():
        if folder.is_symlink() or folder.parent == folder:
            raise _error("folder cannot be created here", path, option)
        folder = folder.parent
    if not folder.is_dir():
        where = "is a file, not a folder" if folder == path else f"{folder} is a file"
        raise _error(f"cannot be used as a folder: {where}", path, option)
    try:
        handle, probe = tempfile.mkstemp(prefix=".remarkit-probe-", dir=folder)
    except OSError as exc:
        raise _error(f"cannot write in {folder} ({exc.strerror})", path, option) from exc
    os.close(handle)
    os.unlink(probe)


def read_marker(out_dir: Path) -> set[str] | None:
    """The files a previous run wrote into ``out_dir`` (relative posix paths), or None when
    the folder holds no readable marker."""
    try:
        data = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return None
    return {str(f) for f in files}


def write_marker(folder: Path, files: list[str]) -> None:
    """Write the marker listing ``files`` (relative posix paths) into ``folder``."""
    text = json.dumps({"remarkit": __version__, "files": sorted(files)}, indent=2) + "\n"
    (folder / MARKER).write_text(text, encoding="utf-8")


def _files_under(path: Path, root: Path) -> list[str]:
    if path.is_dir() and not path.is_symlink():
        found = [p for p in sorted(path.rglob("*")) if p.is_file() or p.is_symlink()]
        return [p.relative_to(root).as_posix() for p in found]
    return [path.relative_to(root).as_posix()]


def _foreign(out_dir: Path, names: set[str], written: set[str]) -> Path | None:
    """The first file under ``out_dir/<name>`` (for ``names``) that the marker does not list."""
    for name in sorted(names):
        target = out_dir / name
        if not (target.exists() or target.is_symlink()):
            continue
        for rel in _files_under(target, out_dir):
            if rel not in written:
                return out_dir / rel
    return None


def _owned_names(written: set[str]) -> set[str]:
    return {rel.split("/", 1)[0] for rel in written}


def check_out_dir(out_dir: Path, replacing: set[str] | None = None) -> set[str]:
    """Check ``--out`` before any work; return the files a previous run wrote there.

    ``replacing``: the top-level names the new run writes (:func:`output_names`): a file of
    such a name that the previous run did not write (a user's) is refused here, before any
    work, not when the outputs are moved into place. The previous run's own outputs are
    always checked.
    """
    _probe_writable(out_dir, "--out")
    if not out_dir.exists():
        return set()
    try:
        entries = [p.name for p in out_dir.iterdir()]
    except OSError as exc:
        raise _error(f"cannot list the folder ({exc.strerror})", out_dir, "--out") from exc
    written = read_marker(out_dir)
    if written is None:
        if not entries:
            return set()
        raise _error(
            f"folder is not empty and holds no remarkit report (no {MARKER}): give a new or "
            "empty folder",
            out_dir,
            "--out",
        )
    names = _owned_names(written) | (replacing or set())
    names.discard(MARKER)
    found = _foreign(out_dir, names, written)
    if found is not None:
        raise _error(
            f"not written by remarkit, inside an output the run replaces "
            f"({found.relative_to(out_dir).parts[0]}): move it out of the report folder",
            found,
            "--out",
        )
    return written


def check_cache_dir(cache_dir: Path) -> None:
    """InputError (one line) unless the cache folder exists as a folder or can be created."""
    _probe_writable(cache_dir, "--cache-dir")


def claim(out_dir: Path) -> None:
    """Make ``out_dir`` a report folder before writing into it (the demo writes its study
    there before running): checked like ``--out``, created, given an empty marker."""
    check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if read_marker(out_dir) is None:
        write_marker(out_dir, [])


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` (created if absent) while filling it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def staging_dir(out_dir: Path) -> Path:
    """A new staging folder beside ``out_dir``, named with this process's id."""
    prefix = f".{out_dir.name}.tmp-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child not yet reaped is a zombie: gone for our purposes
        status = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return status.rsplit(")", 1)[-1].split()[0] != "Z"


def _pid_of(name: str, prefix: str) -> int | None:
    head = name[len(prefix) :].split("-", 1)[0]
    return int(head) if name.startswith(prefix) and head.isdigit() else None


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders (beside ``out_dir``) and set-aside outputs (inside it) left by
    runs whose process no longer exists; return what was removed."""
    removed: list[Path] = []
    candidates: list[tuple[Path, int | None]] = []
    prefix = f".{out_dir.name}.tmp-"
    if out_dir.parent.is_dir():
        candidates += [(p, _pid_of(p.name, prefix)) for p in out_dir.parent.iterdir()]
    if out_dir.is_dir():
        for path in out_dir.iterdir():
            name, _, digits = path.name.rpartition(".old-")
            if name.startswith(".") and digits.isdigit():
                candidates.append((path, int(digits)))
    for path, owner in candidates:
        if owner is None or _alive(owner):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def move_into_place(staging: Path, out_dir: Path) -> None:
    """Move the staged outputs into ``out_dir`` under the lock, replacing the previous run's.

    The previous run's outputs the new run does not write again are removed too (they are
    listed in its marker), so the folder never mixes two runs' outputs.
    """
    names = {p.name for p in staging.iterdir()}
    write_marker(staging, [f for n in sorted(names) for f in _files_under(staging / n, staging)])
    with locked(out_dir):
        written = check_out_dir(out_dir, replacing=names)
        gone = (_owned_names(written) - names) - {MARKER}
        olds: list[Path] = []
        for name in sorted(names | gone | {MARKER}):
            target = out_dir / name
            if target.exists() or target.is_symlink():
                old = out_dir / f".{name}.old-{os.getpid()}"
                os.rename(target, old)
                olds.append(old)
            if name in names or name == MARKER:
                os.rename(staging / name, target)
        for old in olds:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
