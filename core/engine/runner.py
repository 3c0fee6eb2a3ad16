"""Runner: execute planned units in order with caching, failure isolation and provenance."""

from __future__ import annotations

import hashlib
import json
import queue
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from remarkit.engine.cache import CACHE_FORMAT, ResultCache, cache_key
from remarkit.engine.cohort import Cohort
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
from remarkit.engine.sentences import Sentence
from remarkit.engine.spec import Study
from remarkit.engine.unit import UnitResult
from remarkit.engine.unit_pool import UnitPool, unit_pool_for
from remarkit.engine.unit_task import UnitOutcome, UnitTask, execute_unit, strict_error
from remarkit.errors import InputError, InputErrors
from remarkit.hashing import sha256_file

ProgressCallback = Callable[[str, str, int, int], None]


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


@dataclass
class _Started:
    """A unit between its start and its record: where it is in the plan, its key and timing."""

    planned: PlannedUnit
    key: str
    source: str
    external: bool
    started: float
    stale: bool = False


@dataclass
class _State:
    """What the run knows so far (main process only)."""

    results: dict[str, UnitResult] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    bad: dict[str, str] = field(default_factory=dict)
    records: dict[str, UnitRecord] = field(default_factory=dict)
    finished: int = 0


def run_units(
    study: Study, cohort: Cohort, plan: list[PlannedUnit], plugins: Plugins, options: RunOptions
) -> list[UnitRecord]:
    """Run every planned unit; a failed unit's dependents are skipped, others still run.

    Units whose upstream units are done run concurrently when the executor offers a unit pool
    (``--jobs`` > 1, Dask), up to its slots; records come back in plan order and are identical
    to a serial run's apart from timings. ``options.progress`` gets ("start", id, done, n) and
    (status, id, done, n) per unit, and ("case", id, cases done, cases) where the pool reports
    per-case progress (Dask).
    """
    state = _State()
    pool = unit_pool_for(options.executor, options.progress)
    waiting = list(plan)
    running: dict[str, _Started] = {}
    finished: queue.Queue[tuple[str, UnitOutcome | BaseException]] = queue.Queue()
    cancel = True
    try:
        while waiting or running:
            for planned in list(waiting):
                if pool is not None and len(running) >= pool.slots:
                    break
                if not all(d in state.results or d in state.bad for d in planned.depends_on):
                    continue
                waiting.remove(planned)
                _launch(
                    planned, plan, study, cohort, plugins, options, state, pool, running, finished
                )
            if not running:
                continue
            unit_id, outcome = _next(finished)
            begun = running.pop(unit_id)
            if isinstance(outcome, BaseException):
                raise outcome
            _finish(begun, outcome, plan, plugins, options, state)
        cancel = False
    finally:
        if pool is not None:
            pool.shutdown(cancel=cancel)
    return [state.records[p.id] for p in plan]


def importable(cls: type) -> bool:
    """Whether a worker process can import ``cls`` by name (pickle sends classes by reference).
    The adapters ``remarkit apply`` builds around frozen units are made at run time, so they
    run in this process."""
    module = sys.modules.get(cls.__module__)
    found: object = module
    for part in cls.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is cls


def _next(
    finished: queue.Queue[tuple[str, UnitOutcome | BaseException]],
) -> tuple[str, UnitOutcome | BaseException]:
    """The next unit to finish (waiting in short slices so signals are handled promptly)."""
    while True:
        try:
            return finished.get(timeout=0.2)
        except queue.Empty:
            continue


def _launch(
    planned: PlannedUnit,
    plan: list[PlannedUnit],
    study: Study,
    base: Cohort,
    plugins: Plugins,
    options: RunOptions,
    state: _State,
    pool: UnitPool | None,
    running: dict[str, _Started],
    finished: queue.Queue[tuple[str, UnitOutcome | BaseException]],
) -> None:
    """Start a unit whose upstream units are done: skip it, take it from the cache, run it here
    (no pool) or send it to the pool."""
    if options.progress:
        options.progress("start", planned.id, state.finished, len(plan))
    plugins.before_unit(planned.id, planned.unit_cls.name)
    started = time.perf_counter()
    origin = plugins.units().origins.get(planned.unit_cls.name)
    source = f"{origin.distribution} {origin.version}".strip() if origin else "unknown"
    cohort = base
    for dep in planned.depends_on:
        if dep in state.results:
            cohort = cohort.with_derived(dep, state.results[dep].columns)
    key = cache_key(
        {
            "unit": planned.unit_cls.name,
            "version": planned.unit_cls.version,
            "source": source,
            "params": planned.params.model_dump(mode="json"),
            "cohort": cohort.fingerprint(),
            "inputs": [i.sha256 for i in options.inputs],
            "upstream": {d: state.hashes.get(d) for d in planned.depends_on},
            "libraries": options.libraries,
            "seed": study.study.seed,
            "format": CACHE_FORMAT,
            **({"thresholds": dict(options.thresholds)} if options.thresholds else {}),
        }
    )
    begun = _Started(
        planned, key, source, bool(origin and origin.distribution != "remarkit"), started
    )
    blocked = [dep for dep in planned.depends_on if dep in state.bad]
    if blocked:
        error = f"not run: upstream unit '{blocked[0]}' {state.bad[blocked[0]]}"
        _finish(begun, UnitOutcome("skipped", error), plan, plugins, options, state)
        return
    hit, begun.stale = _from_cache(planned, key, options)
    if hit is not None:
        _finish(begun, UnitOutcome("ok", None, hit), plan, plugins, options, state, hit=True)
        return
    task = UnitTask(
        planned=planned,
        study=study,
        cohort=cohort,
        upstream={d: state.results[d] for d in planned.depends_on},
        out_root=options.out_root,
        case_cache_dir=options.cache.case_dir(),
        thresholds=options.thresholds,
        strict=planned.id in options.strict,
        debug=options.debug,
    )
    if pool is None or not importable(planned.unit_cls):
        _finish(begun, execute_unit(task, options.executor), plan, plugins, options, state)
        return
    running[planned.id] = begun
    pool.submit(task, len(running), lambda outcome: finished.put((planned.id, outcome)))


def _from_cache(
    planned: PlannedUnit, key: str, options: RunOptions
) -> tuple[UnitResult | None, bool]:
    """The cached result (its files copied into the unit's folder), and whether an entry was
    found that the unit's Result model no longer reads (stale: replaced when the unit reruns)."""
    cached = options.cache.get(key)
    if cached is None:
        return None, False
    text, files = cached
    try:
        result = planned.unit_cls.Result.model_validate_json(text)
    except ValueError:
        return None, True
    if files.exists():
        shutil.copytree(files, options.out_root / "units" / planned.id, dirs_exist_ok=True)
    return result, False


def _finish(
    begun: _Started,
    outcome: UnitOutcome,
    plan: list[PlannedUnit],
    plugins: Plugins,
    options: RunOptions,
    state: _State,
    *,
    hit: bool = False,
) -> None:
    """Record a unit's outcome (cache entry, result hash, record, hooks, progress)."""
    planned = begun.planned
    if outcome.strict_errors:
        errors = [strict_error(fields) for fields in outcome.strict_errors]
        raise InputErrors([_applying(planned, e) for e in errors])
    status, error, result = outcome.status, outcome.error, outcome.result
    if status == "failed" and error and begun.external:
        first, newline, rest = error.partition("\n")
        error = f"{first} (unit from {begun.source}){newline}{rest}"
    text = result_json(result) if result is not None else None
    if result is not None and text is not None and not hit:
        unit_dir = options.out_root / "units" / planned.id
        files_dir = unit_dir if unit_dir.exists() else None
        options.cache.put(begun.key, text, files_dir, replace=begun.stale)
    seconds = time.perf_counter() - begun.started
    files = unit_files(options.out_root, planned.id) if result is not None else []
    if result is not None and text is not None:
        state.results[planned.id] = result
        state.hashes[planned.id] = hashlib.sha256(text.encode()).hexdigest()
    else:
        state.bad[planned.id] = "failed" if status == "failed" else "was skipped"
    state.records[planned.id] = UnitRecord(
        id=planned.id,
        name=planned.unit_cls.name,
        title=planned.unit_cls.display_title(),
        version=planned.unit_cls.version,
        family=planned.unit_cls.family,
        section=planned.unit_cls.section(),
        source=begun.source,
        params=planned.params.model_dump(mode="json"),
        status=status,
        error=error,
        depends_on=list(planned.depends_on),
        remark_items=list(planned.unit_cls.remark_items),
        result=json.loads(text) if text is not None else None,
        result_sha256=bound_result_sha256(text, files) if text is not None else None,
        methods=_methods(planned, result),
        sentences=_sentences(planned, result),
        citations=list(planned.unit_cls.citations),
        cache_key=begun.key,
        inputs=options.inputs,
        files=files,
        execution=Execution(seconds=round(seconds, 6), cache_hit=hit),
    )
    state.finished += 1
    plugins.after_unit(planned.id, planned.unit_cls.name, status, seconds, result)
    if options.progress:
        options.progress(status if not hit else "cached", planned.id, state.finished, len(plan))


def _applying(planned: PlannedUnit, error: InputError) -> InputError:
    """``error`` prefixed with the applied unit it stopped."""
    return InputError(
        f"applying '{planned.id}' ({planned.unit_cls.name}): {error.message}",
        file=error.file,
        row=error.row,
        column=error.column,
        field=error.field,
    )


def unit_files(out_root: Path, unit_id: str) -> list[UnitFile]:
    """Every file in a unit's folder with its sha256, sorted by path."""
    folder = out_root / "units" / unit_id
    if not folder.is_dir():
        return []
    files: list[UnitFile] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files.append(UnitFile(path=path.relative_to(out_root).as_posix(), sha256=sha256_file(path)))
    return files


def _sentences(planned: PlannedUnit, result: UnitResult | None) -> list[Sentence]:
    """The unit's Results sentences (a failing hook: one sentence saying so)."""
    if result is None:
        return []
    try:
        sentences = list(planned.unit_cls().results_sentences(result, planned.params))
        for sentence in sentences:
            if not isinstance(sentence, Sentence):
                raise TypeError(f"returned a {type(sentence).__name__}, not a Sentence")
        return sentences
    except Exception as exc:
        text = f"(results sentences of {planned.id} unavailable: {type(exc).__name__}: {exc})"
        return [Sentence(text=text.replace("{", "{{").replace("}", "}}"), table=0)]


def _methods(planned: PlannedUnit, result: UnitResult | None) -> str:
    if result is None:
        return ""
    try:
        return planned.unit_cls().methods(result, planned.params)
    except Exception as exc:
        return f"(methods text unavailable: {type(exc).__name__}: {exc})"
