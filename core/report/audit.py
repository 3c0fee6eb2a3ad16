"""``remarkit audit``: the checklists of a finished run, and whether its inputs are unchanged.

The study folder (to re-hash inputs against) is ``--study-dir`` when given, else the folder
results.json records relative to the output folder, else ``study/`` beside results.json, else
the output folder's parent (the default layout of ``remarkit run``); the first that holds the
spec file wins. Inputs are re-computed as the engine records them (so joint digests, such as the
image set's, compare like for like); a file the spec no longer describes is hashed on its own.
Every unit's ``result_sha256`` is re-computed from its stored result and its list of files, and
every listed file present beside results.json is re-hashed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from remarkit.engine.api import input_records
from remarkit.engine.load import load_study
from remarkit.engine.registry import Checklist
from remarkit.engine.results import (
    RESULTS_FILE,
    SCHEMA_VERSION,
    RunResults,
    UnitFile,
    bound_result_sha256,
    stored_result_json,
)
from remarkit.errors import InputError, InputErrors
from remarkit.hashing import sha256_file
from remarkit.report.checklist import (
    ChecklistStatus,
    applicable_checklists,
    evaluate,
    select_checklists,
)
from remarkit.report.html import REPORT_HTML
from remarkit.report.pages import read_pages, with_pages

HashStatus = Literal["match", "mismatch", "absent"]


@dataclass(frozen=True)
class InputCheck:
    """One recorded input file re-hashed: match, mismatch, or absent."""

    role: str
    path: str
    status: HashStatus
    recorded: str
    actual: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "role": self.role,
            "path": self.path,
            "status": self.status,
            "recorded_sha256": self.recorded,
            "actual_sha256": self.actual,
        }


@dataclass(frozen=True)
class UnitCheck:
    """One unit's stored result against its ``result_sha256``, and its files re-hashed."""

    id: str
    name: str
    result_matches: bool
    changed_files: list[str]
    absent_files: list[str]

    @property
    def status(self) -> Literal["match", "mismatch"]:
        """``mismatch`` when the result, the list of files or a present file changed."""
        return "match" if self.result_matches and not self.changed_files else "mismatch"

    def problems(self) -> list[str]:
        """What differs, as short phrases."""
        found = [] if self.result_matches else ["result differs from its result_sha256"]
        found += [f"file changed: {path}" for path in self.changed_files]
        found += [f"file absent: {path}" for path in self.absent_files]
        return found

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "result_matches": self.result_matches,
            "changed_files": self.changed_files,
            "absent_files": self.absent_files,
        }


@dataclass(frozen=True)
class Audit:
    """Everything ``remarkit audit`` reports."""

    results_path: Path
    report_html: Path | None
    study_dir: Path | None
    checklists: list[ChecklistStatus]
    inputs: list[InputCheck]
    units: list[UnitCheck]
    #: Whether PDF pages were read back (checklist_pages.json matching report.pdf).
    pages: bool = False

    @property
    def missing_items(self) -> int:
        """Number of checklist items with no evidence, over every checklist."""
        return sum(len(c.missing) for c in self.checklists)

    @property
    def mismatches(self) -> int:
        """Number of present input files whose hash differs from the recorded one."""
        return sum(i.status == "mismatch" for i in self.inputs)

    @property
    def unit_mismatches(self) -> int:
        """Number of units whose result, list of files or a present file no longer matches."""
        return sum(u.status == "mismatch" for u in self.units)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``remarkit audit --json``)."""
        return {
            "results": str(self.results_path),
            "report_html": str(self.report_html) if self.report_html else None,
            "study_dir": str(self.study_dir) if self.study_dir else None,
            "checklists": [c.as_dict() for c in self.checklists],
            "pdf_pages": self.pages,
            "inputs": [i.as_dict() for i in self.inputs],
            "missing_items": self.missing_items,
            "input_mismatches": self.mismatches,
            "units": [u.as_dict() for u in self.units],
            "unit_mismatches": self.unit_mismatches,
        }


def locate_results(target: Path) -> Path:
    """results.json of a report folder, or the file itself; InputError when absent."""
    if not target.exists():
        raise InputError("report folder or results file not found", file=str(target))
    path = target / RESULTS_FILE if target.is_dir() else target
    if not path.is_file():
        raise InputError(f"the report folder holds no {RESULTS_FILE}", file=str(target))
    return path


def load_results(path: Path) -> dict[str, Any]:
    """Read and check results.json: valid JSON, this schema version, the schema's shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read results: {exc}", file=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("not a remarkit results file (no JSON object)", file=str(path))
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            f"results schema version {version!r} is not {SCHEMA_VERSION!r}, the version this "
            "remarkit reads",
            file=str(path),
        )
    try:
        RunResults.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"does not match the results schema: {first['msg']}", file=str(path), field=loc
        ) from exc
    return data


def find_study_dir(results_path: Path, results: dict[str, Any], given: Path | None) -> Path | None:
    """The folder the run's spec was in (see the module docstring), or None."""
    if given is not None:
        if not given.is_dir():
            raise InputError("study folder not found", file=str(given), field="--study-dir")
        return given.resolve()
    out = results_path.parent
    candidates = [out / results["study_dir"]] if results.get("study_dir") else []
    candidates += [out / "study", out.parent]
    for folder in candidates:
        if (folder / str(results.get("spec_file", ""))).is_file():
            return folder.resolve()
    return None


def _current_records(study_dir: Path, spec_file: str) -> dict[tuple[str, str], str]:
    """The inputs as the engine records them now (joint digests such as the image set included).

    Empty when the spec cannot be read; the files are then hashed one by one.
    """
    try:
        study = load_study(study_dir / spec_file)
        return {(i.role, i.path): i.sha256 for i in input_records(study)}
    except (InputError, InputErrors, OSError):
        return {}


def verify_inputs(results: dict[str, Any], study_dir: Path | None) -> list[InputCheck]:
    """Re-hash the spec file and every recorded input that is present."""
    spec_file = str(results["spec_file"])
    recorded = [("study file", spec_file, str(results["spec_sha256"]))]
    recorded += [(i["role"], i["path"], i["sha256"]) for i in results.get("inputs", [])]
    current = _current_records(study_dir, spec_file) if study_dir is not None else {}
    checks: list[InputCheck] = []
    for role, rel, sha in recorded:
        path = Path(rel)
        if not path.is_absolute() and study_dir is not None:
            path = study_dir / rel
        actual = current.get((role, rel))
        if actual is None and path.is_absolute() and path.is_file():
            actual = sha256_file(path)
        if actual is None:
            checks.append(InputCheck(role, rel, "absent", sha, None))
        else:
            checks.append(
                InputCheck(role, rel, "match" if actual == sha else "mismatch", sha, actual)
            )
    return checks


def verify_units(results: dict[str, Any], out_dir: Path) -> list[UnitCheck]:
    """Re-compute every unit's ``result_sha256``; re-hash its files present in ``out_dir``."""
    checks: list[UnitCheck] = []
    for unit in results.get("units", []):
        if unit.get("result") is None or not unit.get("result_sha256"):
            continue
        files = [UnitFile.model_validate(f) for f in unit.get("files", [])]
        bound = bound_result_sha256(stored_result_json(unit["result"]), files)
        changed: list[str] = []
        absent: list[str] = []
        for entry in files:
            path = out_dir / entry.path
            if not path.is_file():
                absent.append(entry.path)
            elif sha256_file(path) != entry.sha256:
                changed.append(entry.path)
        checks.append(
            UnitCheck(unit["id"], unit["name"], bound == unit["result_sha256"], changed, absent)
        )
    return checks


def choose_checklists(
    target: Path, available: dict[str, Checklist], names: list[str] | None = None
) -> list[Checklist]:
    """The checklists to audit: ``names`` when given, else those that apply to the run."""
    if names:
        return select_checklists(available, names)
    return applicable_checklists(available, load_results(locate_results(Path(target))))


def audit(target: Path, checklists: list[Checklist], *, study_dir: Path | None = None) -> Audit:
    """Audit a report folder or results.json against ``checklists`` (with their PDF pages)."""
    results_path = locate_results(Path(target))
    results = load_results(results_path)
    folder = find_study_dir(results_path, results, study_dir)
    html = results_path.parent / REPORT_HTML
    anchors = read_pages(results_path.parent)
    statuses = [evaluate(c, results) for c in checklists]
    if anchors is not None:
        statuses = [with_pages(s, anchors) for s in statuses]
    return Audit(
        results_path=results_path,
        report_html=html if html.is_file() else None,
        study_dir=folder,
        checklists=statuses,
        pages=anchors is not None,
        inputs=verify_inputs(results, folder),
        units=verify_units(results, results_path.parent),
    )
