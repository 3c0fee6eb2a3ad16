"""Runner: execute planned units in order with caching, failure isolation and provenance."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from remarkit.engine.cache import ResultCache, cache_key
from remarkit.engine.cohort import Cohort
from remarkit.engine.context import UnitContext
from remarkit.engine.executor import Executor
from remarkit.engine.plan import PlannedUnit
from remarkit.engine.plugin_manager import Plugins
from remarkit.engine.results import (
    Execution,
    InputFile,
    UnitFile,
    UnitRecord,
    bound_result_sha256,
    result_json,
)
from remarkit.engine.spec import Study
from remarkit.engine.unit import UnitResult
from remarkit.errors import InputError, InputErrors

ProgressCallback = Callable[[str, str, int, int], None]
#: Warning categories not recorded in a unit's result (see ``_run_recording_warnings``).
SOFTWARE_WARNINGS: tuple[type[Warning], ...] = (
    DeprecationWarning,
    PendingDeprecationWarning,
    ImportWarning,
)
Status = Literal["ok", "failed", "skipped"]


@dataclass
class RunOptions:
    """How to run: output folder (staging), cache, executor, library versions, progress."""

    out_root: Path
    cache: ResultCache
    executor: Executor
    libraries: dict[str, str]
    inputs: list[InputFile]
    progress: ProgressCallback | None = None
    debug: bool = False
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: Units whose InputError aborts the run (remarkit apply's frozen units: bad new-cohort data).
    strict: frozenset[str] = frozenset()


def run_units(
    study: Study, cohort: Cohort, plan: list[PlannedUnit], plugins: Plugins, options: RunOptions
) -> list[UnitRecord]:
    """Run every planned unit; a failed unit's dependents are skipped, others still run."""
    records: list[UnitRecord] = []
    base = cohort
    results: dict[str, UnitResult] = {}
    result_hashes: dict[str, str] = {}
    bad: dict[str, str] = {}
    origins = plugins.units().origins
    for index, planned in enumerate(plan):
        if options.progress:
            options.progress("start", planned.id, index, len(plan))
        plugins.before_unit(planned.id, planned.unit_cls.name)
        started = time.perf_counter()
        blocked = [dep for dep in planned.depends_on if dep in bad]
        origin = origins.get(planned.unit_cls.name)
        source = f"{origin.distribution} {origin.version}".strip() if origin else "unknown"
        cohort = base
        for dep in planned.depends_on:
            if dep in results:
                cohort = cohort.with_derived(dep, results[dep].columns)
        key = cache_key(
            {
                "unit": planned.unit_cls.name,
                "version": planned.unit_cls.version,
                "source": source,
                "params": planned.params.model_dump(mode="json"),
                "cohort": cohort.fingerprint(),
                "inputs": [i.sha256 for i in options.inputs],
                "upstream": {d: result_hashes.get(d) for d in planned.depends_on},
                "libraries": options.libraries,
                "seed": study.study.seed,
                **({"thresholds": dict(options.thresholds)} if options.thresholds else {}),
            }
        )
        status: Status = "skipped"
        error: str | None = None
        result: UnitResult | None = None
        hit = False
        if blocked:
            error = f"not run: upstream unit '{blocked[0]}' {bad[blocked[0]]}"
        else:
            status, error, result, hit = _run_one(planned, study, cohort, results, key, options)
            if status == "failed" and error and origin and origin.distribution != "remarkit":
                first, newline, rest = error.partition("\n")
                error = f"{first} (unit from {source}){newline}{rest}"
        seconds = time.perf_counter() - started
        text = result_json(result) if result is not None else None
        files = unit_files(options.out_root, planned.id) if result is not None else []
        if result is not None and text is not None:
            results[planned.id] = result
            result_hashes[planned.id] = hashlib.sha256(text.encode()).hexdigest()
        else:
            bad[planned.id] = "failed" if status == "failed" else "was skipped"
        records.append(
            UnitRecord(
                id=planned.id,
                name=planned.unit_cls.name,
                title=planned.unit_cls.display_title(),
                version=planned.unit_cls.version,
                family=planned.unit_cls.family,
                section=planned.unit_cls.section(),
                source=source,
                params=planned.params.model_dump(mode="json"),
                status=status,
                error=error,
                depends_on=list(planned.depends_on),
                remark_items=list(planned.unit_cls.remark_items),
                result=json.loads(text) if text is not None else None,
                result_sha256=bound_result_sha256(text, files) if text is not None else None,
                methods=_methods(planned, result),
                citations=list(planned.unit_cls.citations),
                cache_key=key,
                inputs=options.inputs,
                files=files,
                execution=Execution(seconds=round(seconds, 6), cache_hit=hit),
            )
        )
        plugins.after_unit(planned.id, planned.unit_cls.name, status, seconds, result)
        if options.progress:
            options.progress(status if not hit else "cached", planned.id, index + 1, len(plan))
    return records


def _run_one(
    planned: PlannedUnit,
    study: Study,
    cohort: Cohort,
    results: dict[str, UnitResult],
    key: str,
    options: RunOptions,
) -> tuple[Status, str | None, UnitResult | None, bool]:
    unit_dir = options.out_root / "units" / planned.id
    cached = options.cache.get(key)
    stale = False
    if cached is not None:
        text, files = cached
        try:
            result = planned.unit_cls.Result.model_validate_json(text)
        except ValueError:
            result, stale = None, True
        if result is not None:
            if files.exists():
                shutil.copytree(files, unit_dir, dirs_exist_ok=True)
            return "ok", None, result, True
    ctx = UnitContext(
        unit_id=planned.id,
        study=study,
        cohort=cohort,
        upstream={d: results[d] for d in planned.depends_on},
        seed=study.study.seed,
        executor=options.executor,
        out_root=options.out_root,
        case_cache_dir=options.cache.case_dir(),
        thresholds=options.thresholds,
    )
    try:
        produced: Any = _run_recording_warnings(planned, ctx)
    except (InputError, InputErrors) as exc:
        if planned.id in options.strict:
            errors = exc.errors if isinstance(exc, InputErrors) else [exc]
            raise InputErrors([_applying(planned, e) for e in errors]) from exc
        return _failed(planned, unit_dir, options)
    except Exception:
        return _failed(planned, unit_dir, options)
    if not isinstance(produced, planned.unit_cls.Result):
        shutil.rmtree(unit_dir, ignore_errors=True)
        expected = planned.unit_cls.Result.__name__
        return "failed", f"returned {type(produced).__name__}, expected {expected}", None, False
    files_dir = unit_dir if unit_dir.exists() else None
    options.cache.put(key, result_json(produced), files_dir, replace=stale)
    return "ok", None, produced, False


def _run_recording_warnings(planned: PlannedUnit, ctx: UnitContext) -> Any:
    """Run the unit; warnings raised inside it (numpy, scipy, matplotlib, its own) are appended
    to its result's ``warnings`` as 'Category: message' (each once) instead of going to stderr.
    Deprecation warnings are about the software, not the data, and many fire only when a
    library is first imported: they are left out so that the result does not depend on what
    the process imported before (:data:`SOFTWARE_WARNINGS`).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
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


def _applying(planned: PlannedUnit, error: InputError) -> InputError:
    """``error`` prefixed with the applied unit it stopped."""
    return InputError(
        f"applying '{planned.id}' ({planned.unit_cls.name}): {error.message}",
        file=error.file,
        row=error.row,
        column=error.column,
        field=error.field,
    )


def _failed(
    planned: PlannedUnit, unit_dir: Path, options: RunOptions
) -> tuple[Status, str | None, UnitResult | None, bool]:
    """The record of a unit whose run raised (called inside the ``except`` block)."""
    shutil.rmtree(unit_dir, ignore_errors=True)
    exc = sys.exc_info()[1]
    detail = traceback.format_exc() if options.debug else ""
    message = f"{type(exc).__name__}: {exc}" + (f"\n{detail}" if detail else "")
    return "failed", message, None, False


def unit_files(out_root: Path, unit_id: str) -> list[UnitFile]:
    """Every file in a unit's folder with its sha256, sorted by path."""
    folder = out_root / "units" / unit_id
    if not folder.is_dir():
        return []
    files: list[UnitFile] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        files.append(
            UnitFile(path=path.relative_to(out_root).as_posix(), sha256=digest.hexdigest())
        )
    return files


def _methods(planned: PlannedUnit, result: UnitResult | None) -> str:
    if result is None:
        return ""
    try:
        return planned.unit_cls().methods(result, planned.params)
    except Exception as exc:
        return f"(methods text unavailable: {type(exc).__name__}: {exc})"
