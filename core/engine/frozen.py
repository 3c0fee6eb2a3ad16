"""A fitted model from an earlier run, verified and wrapped so ``remarkit apply`` can re-use it.

The training run's output folder holds results.json (every unit's params, typed result, result
hash and the hashes of the files it wrote) and the units' folders (saved models). Loading checks
that results.json is readable and of this schema, picks the models to apply (integrators by
default), takes their upstream units (the frozen pipeline), and verifies every result hash and
every saved file, once. Each pipeline unit is then wrapped in an adapter unit whose ``run`` calls
the fitted unit's ``apply`` (:class:`~remarkit.engine.fitted.AppliesFitted`) on the new cohort with
its verified :class:`~remarkit.engine.fitted.Fitted` state (result and saved-file map).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import Field, ValidationError

from remarkit.engine.fitted import AppliesFitted, Fitted
from remarkit.engine.plan import PlannedUnit
from remarkit.engine.registry import UnitRegistry
from remarkit.engine.results import (
    RESULTS_FILE,
    SCHEMA_VERSION,
    RunResults,
    UnitRecord,
    bound_result_sha256,
    result_json,
)
from remarkit.engine.unit import AppliedResult, Needs, Unit, UnitParams, UnitResult
from remarkit.errors import InputError
from remarkit.hashing import sha256_file


@dataclass(frozen=True)
class FittedUnit:
    """A unit of the training run: its record, class, params and verified state."""

    record: UnitRecord
    unit_cls: type[Unit[Any, Any]]
    params: UnitParams
    state: Fitted[UnitResult]

    @property
    def result(self) -> UnitResult:
        """The unit's typed training result."""
        return self.state.result


@dataclass(frozen=True)
class FittedModel:
    """The frozen pipeline of a training run, verified, plus its training thresholds."""

    model_dir: Path
    results: RunResults
    results_sha256: str
    models: list[str]
    pipeline: list[FittedUnit]
    thresholds: dict[str, float]
    threshold_sources: dict[str, str]


def read_results(model_dir: Path) -> tuple[RunResults, str]:
    """The training run's results and the sha256 of results.json; InputError if unusable."""
    path = model_dir / RESULTS_FILE
    if not model_dir.is_dir():
        raise InputError(
            "model folder not found (give a `remarkit run` output folder)", file=str(model_dir)
        )
    if not path.is_file():
        raise InputError("no results.json: not a `remarkit run` output folder", file=str(model_dir))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read results ({exc})", file=str(path)) from exc
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if version != SCHEMA_VERSION:
        raise InputError(
            f"results schema version {version!r}; this remarkit applies models from schema "
            f"{SCHEMA_VERSION!r} runs: re-run the training study with this version",
            file=str(path),
        )
    try:
        results = RunResults.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"does not match the results schema: {where}: {first['msg']}", file=str(path)
        ) from exc
    return results, sha256_file(path)


def load_fitted_model(
    model_dir: Path, registry: UnitRegistry, models: Sequence[str] = ()
) -> FittedModel:
    """Load and verify the frozen pipeline of ``models`` (default: every fitted unit that ran
    and can score a new cohort: marker response, clinical models, scorers, integrators)."""
    model_dir = Path(model_dir)
    results, results_sha = read_results(model_dir)
    records = {u.id: u for u in results.units}
    chosen = list(models) or [
        u.id
        for u in results.units
        if u.status == "ok" and u.name in registry.units and registry.units[u.name].can_apply()
    ]
    if not chosen:
        raise InputError(
            "the training run has no fitted unit that can score a new cohort",
            file=str(model_dir / RESULTS_FILE),
        )
    for uid in chosen:
        record = records.get(uid)
        if record is None:
            raise InputError(f"the training run has no unit '{uid}'", field="--model")
        if record.status != "ok":
            raise InputError(f"unit '{uid}' {record.status} in the training run", field="--model")
    needed = _closure(chosen, records)
    pipeline = [_fitted(records[uid], registry, model_dir) for uid in needed]
    thresholds, sources = _thresholds(results, registry, model_dir, needed)
    return FittedModel(model_dir, results, results_sha, chosen, pipeline, thresholds, sources)


def _closure(chosen: list[str], records: dict[str, UnitRecord]) -> list[str]:
    """The chosen units and everything upstream of them, in the training run's order."""
    wanted: set[str] = set()
    stack = list(chosen)
    while stack:
        uid = stack.pop()
        if uid in wanted:
            continue
        wanted.add(uid)
        stack.extend(records[uid].depends_on)
    return [uid for uid in records if uid in wanted]


def _fitted(record: UnitRecord, registry: UnitRegistry, model_dir: Path) -> FittedUnit:
    where = f"{model_dir / RESULTS_FILE}"
    unit_cls = registry.units.get(record.name)
    if unit_cls is None:
        raise InputError(
            f"unit '{record.id}' uses '{record.name}', which is not installed", file=where
        )
    if unit_cls.version != record.version:
        raise InputError(
            f"unit '{record.id}' was fitted by {record.name} {record.version}; the installed "
            f"{record.name} is {unit_cls.version}: re-run the training study or install the "
            "fitting version",
            file=where,
        )
    if record.status != "ok" or record.result is None:
        raise InputError(f"unit '{record.id}' {record.status} in the training run", file=where)
    if not unit_cls.can_apply():
        raise InputError(
            f"unit '{record.id}' ({record.name}) cannot score a new cohort (it has no apply)",
            file=where,
        )
    try:
        params = unit_cls.Params.model_validate(record.params)
        result = unit_cls.Result.model_validate(record.result)
    except ValidationError as exc:
        raise InputError(
            f"unit '{record.id}': its params or result do not validate ({exc.errors()[0]['msg']})",
            file=where,
        ) from exc
    if bound_result_sha256(result_json(result), record.files) != record.result_sha256:
        raise InputError(
            f"unit '{record.id}': its result or its list of saved files differs from the "
            "recorded result_sha256 (results.json was modified after the run)",
            file=where,
        )
    return FittedUnit(record, unit_cls, params, _verified_state(record, result, model_dir))


def _verified_state(record: UnitRecord, result: UnitResult, model_dir: Path) -> Fitted[UnitResult]:
    """The unit's saved files, each re-hashed once against the training run's record."""
    folder = model_dir / "units" / record.id
    files: dict[str, Path] = {}
    hashes: dict[str, str] = {}
    for entry in record.files:
        path = model_dir / entry.path
        if not path.is_file():
            raise InputError(f"unit '{record.id}': saved file missing", file=str(path))
        if sha256_file(path) != entry.sha256:
            raise InputError(
                f"unit '{record.id}': the file's sha256 differs from the training run's record "
                "(modified after fitting)",
                file=str(path),
            )
        inside = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else entry.path
        files[inside] = path
        hashes[inside] = entry.sha256
    return Fitted(unit_id=record.id, result=result, folder=folder, files=files, sha256=hashes)


def _thresholds(
    results: RunResults, registry: UnitRegistry, model_dir: Path, pipeline: list[str]
) -> tuple[dict[str, float], dict[str, str]]:
    """Thresholds every ok unit of the training run fixed; pipeline units take precedence."""
    order = pipeline + [u.id for u in results.units if u.id not in pipeline]
    records = {u.id: u for u in results.units}
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for uid in order:
        record = records[uid]
        unit_cls = registry.units.get(record.name)
        if record.status != "ok" or record.result is None or unit_cls is None:
            continue
        try:
            result = unit_cls.Result.model_validate(record.result)
        except ValidationError:
            continue
        for column, value in unit_cls().fixed_thresholds(uid, result).items():
            if column not in values:
                values[column] = float(value)
                sources[column] = uid
    return values, sources


class AppliedParams(UnitParams):
    """Params of an adapter unit: where its fitted state comes from (part of the cache key)."""

    model_dir: str = Field(description="The training run's output folder")
    fitted_unit: str = Field(description="Unit id in the training run")
    fitted_result_sha256: str = Field(description="sha256 of the fitted result")


def applied_plan(model: FittedModel) -> list[PlannedUnit]:
    """Adapter units, one per pipeline unit, in the training run's order."""
    ids = {f.record.id for f in model.pipeline}
    planned: list[PlannedUnit] = []
    for fitted in model.pipeline:
        deps = tuple(d for d in fitted.record.depends_on if d in ids)
        base = fitted.unit_cls().needs(fitted.params)
        needs = Needs(
            columns=list(base.columns),
            units=list(deps),
            split=False,
            images=base.images,
            genomics=base.genomics,
        )
        params = AppliedParams(
            model_dir=model.model_dir.as_posix(),
            fitted_unit=fitted.record.id,
            fitted_result_sha256=fitted.record.result_sha256 or "",
        )
        planned.append(PlannedUnit(fitted.record.id, _adapter(fitted, needs), params, needs, deps))
    return planned


def _adapter(fitted: FittedUnit, needs: Needs) -> type[Unit[Any, Any]]:
    """A unit class that applies ``fitted`` to the context's cohort."""
    base = fitted.unit_cls

    class Applied(Unit[AppliedParams, AppliedResult]):
        name = base.name
        family = base.family
        version = base.version
        Params = AppliedParams
        Result = AppliedResult
        remark_items = ()
        report_section = base.section()

        def needs(self, params: AppliedParams) -> Needs:
            return needs

        def run(self, ctx: Any, params: AppliedParams) -> AppliedResult:
            unit = cast(AppliesFitted[UnitParams, UnitResult], base())
            produced = unit.apply(ctx, fitted.params, fitted.state)
            return produced.model_copy(update={"fitted_result_sha256": params.fitted_result_sha256})

        def methods(self, result: AppliedResult, params: AppliedParams) -> str:
            return (
                f"{fitted.record.id} ({base.name} {base.version}) was not refitted: its state "
                f"fitted in the training run ({params.model_dir}, result sha256 "
                f"{params.fitted_result_sha256[:12]}) was applied unchanged to the "
                f"{result.n} patients of this cohort ({result.scored} scored). {result.summary}."
            )

    Applied.__name__ = Applied.__qualname__ = f"Applied_{base.__name__}"
    return Applied


SCORES_FILE = "scores.csv"


def write_scores(path: Path, cohort_ids: Sequence[str], records: Sequence[UnitRecord]) -> None:
    """Every applied unit's patient-level columns, one row per patient, as ``scores.csv``."""
    import pandas as pd

    frame = pd.DataFrame(index=pd.Index(list(cohort_ids), name="patient_id"))
    for record in records:
        result = record.result or {}
        if record.status != "ok" or result.get("kind") != "applied":
            continue
        for column in result.get("columns", []):
            series = pd.Series(column["values"], index=column["ids"], dtype=object)
            frame[f"{record.id}.{column['name']}"] = series.reindex(frame.index)
    frame.to_csv(path, lineterminator="\n")
