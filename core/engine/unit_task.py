"""One unit's run as a self-contained task: everything it reads goes in, its outcome comes out.

The runner builds a :class:`UnitTask` in the main process (after the cache lookup, so cache hits
are never sent anywhere) and runs it in-process, in a local worker process or on a Dask worker.
The unit writes its files under ``out_root/units/ID`` (a path every worker must see); the outcome
carries the status, the error text and the result object back.
"""

from __future__ import annotations

import shutil
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from remarkit.engine.cohort import Cohort
from remarkit.engine.context import UnitContext
from remarkit.engine.executor import Executor
from remarkit.engine.plan import PlannedUnit
from remarkit.engine.spec import Study
from remarkit.engine.unit import UnitResult
from remarkit.engine.warn_capture import capture_warnings
from remarkit.errors import InputError, InputErrors

Status = Literal["ok", "failed", "skipped"]
#: An InputError as plain fields (message, file, row, column, field): it crosses processes.
ErrorFields = tuple[str, str | None, int | str | None, str | None, str | None]


@dataclass(frozen=True)
class UnitTask:
    """The inputs of one unit's run."""

    planned: PlannedUnit
    study: Study
    cohort: Cohort
    upstream: Mapping[str, UnitResult]
    out_root: Path
    case_cache_dir: Path | None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    strict: bool = False
    debug: bool = False


@dataclass(frozen=True)
class UnitOutcome:
    """What a unit's run produced: status, error text, result; ``strict_errors`` when a strict
    unit (``remarkit apply``) raised InputError, which aborts the whole run."""

    status: Status
    error: str | None = None
    result: UnitResult | None = None
    strict_errors: tuple[ErrorFields, ...] = ()


def execute_unit(task: UnitTask, executor: Executor) -> UnitOutcome:
    """Run the unit of ``task`` with ``executor`` for its per-case work."""
    planned = task.planned
    unit_dir = task.out_root / "units" / planned.id
    shutil.rmtree(unit_dir, ignore_errors=True)  # a retried task starts from nothing
    ctx = UnitContext(
        unit_id=planned.id,
        study=task.study,
        cohort=task.cohort,
        upstream=task.upstream,
        seed=task.study.study.seed,
        executor=executor,
        out_root=task.out_root,
        case_cache_dir=task.case_cache_dir,
        thresholds=task.thresholds,
    )
    try:
        produced: Any = run_recording_warnings(planned, ctx)
    except (InputError, InputErrors) as exc:
        if task.strict:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            fields = tuple((e.message, e.file, e.row, e.column, e.field) for e in errors)
            return UnitOutcome("failed", str(exc), None, fields)
        return _failed(unit_dir, task.debug)
    except Exception:
        return _failed(unit_dir, task.debug)
    if not isinstance(produced, planned.unit_cls.Result):
        shutil.rmtree(unit_dir, ignore_errors=True)
        expected = planned.unit_cls.Result.__name__
        return UnitOutcome("failed", f"returned {type(produced).__name__}, expected {expected}")
    return UnitOutcome("ok", None, produced)


def strict_error(fields: ErrorFields) -> InputError:
    """The InputError of ``fields`` again."""
    message, file, row, column, where = fields
    return InputError(message, file=file, row=row, column=column, field=where)


#: Warning categories not recorded in a unit's result (see :func:`run_recording_warnings`).
SOFTWARE_WARNINGS: tuple[type[Warning], ...] = (
    DeprecationWarning,
    PendingDeprecationWarning,
    ImportWarning,
)


def run_recording_warnings(planned: PlannedUnit, ctx: UnitContext) -> Any:
    """Run the unit; warnings raised inside it (numpy, scipy, matplotlib, its own) are appended
    to its result's ``warnings`` as 'Category: message' (each once) instead of going to stderr.
    Deprecation warnings are about the software, not the data, and many fire only when a
    library is first imported: they are left out so that the result does not depend on what
    the process imported before (:data:`SOFTWARE_WARNINGS`).
    """
    with capture_warnings() as caught:
        produced: Any = planned.unit_cls().run(ctx, planned.params)
    if not isinstance(produced, UnitResult) or not caught:
        return produced
    found = list(produced.warnings)
    for item in caught:
        if issubclass(item.category, SOFTWARE_WARNINGS):
            continue
        text = f"{item.category.__name__}: {item.message}"
        if text not in found:
            found.append(text)
    return produced.model_copy(update={"warnings": found})


def _failed(unit_dir: Path, debug: bool) -> UnitOutcome:
    """The outcome of a unit whose run raised (called inside the ``except`` block)."""
    shutil.rmtree(unit_dir, ignore_errors=True)
    exc = sys.exc_info()[1]
    detail = traceback.format_exc() if debug else ""
    message = f"{type(exc).__name__}: {exc}" + (f"\n{detail}" if detail else "")
    return UnitOutcome("failed", message)
