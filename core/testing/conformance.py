"""``check_unit``: the conformance checks every analytic unit must pass (built-in or plugin).

In the spirit of scikit-learn's ``check_estimator``: given a study and one of its units, run the
study and check that the unit

- **runs** and its result validates back from ``results.json`` (``schema``): ``kind`` is a
  one-value ``Literal`` equal to the result's kind, every result field has a description;
- renders its report fragment under the fragment contract (``fragment``) and its Methods text
  (``methods``);
- is **deterministic**: a second run without cache gives the same result and the same files;
- does not **leak**: with the test set's outcomes shuffled among test patients (binary outcome,
  every survival endpoint), its derived columns (all patients) and its saved non-figure files
  (the frozen artefacts ``remarkit apply`` reads) are unchanged;
- **applies** what it fitted: ``remarkit apply`` of the fitted unit to the training patients as
  a new cohort reproduces every derived column of the training run.

Each check is named; :class:`UnitCheck` lists what passed, what was skipped (and why) and every
problem. The study folder is never written to: shuffled and external cohorts live under
``work_dir`` beside symbolic links to the study's other files.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from remarkit.engine.api import prepare, prepare_apply, run_prepared
from remarkit.engine.cohort import Cohort
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.results import RunResults, UnitRecord
from remarkit.engine.spec import Study
from remarkit.modeling.crossfit import OOF_SUFFIX
from remarkit.testing.fragments import render_fragment
from remarkit.testing.runs import UnitRun
from remarkit.testing.study_copies import (
    external_spec_text,
    linked_study,
    outcome_groups,
    read_table,
)

CHECKS: tuple[str, ...] = (
    "runs",
    "schema",
    "fragment",
    "methods",
    "determinism",
    "leakage",
    "apply",
)
_FIGURE_SUFFIXES = {".svg", ".png", ".pdf", ".jpg", ".jpeg", ".tif", ".tiff"}


class UnitCheckError(AssertionError):
    """A unit that fails its conformance checks; the message lists every problem."""


@dataclass
class UnitCheck:
    """The outcome of :func:`check_unit`: passed and skipped checks, and every problem."""

    unit_id: str
    unit_name: str
    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def raise_for_problems(self) -> None:
        """Raise :class:`UnitCheckError` listing every problem (nothing when all passed)."""
        if self.problems:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            raise UnitCheckError(
                f"unit '{self.unit_id}' ({self.unit_name}) fails conformance:\n{lines}"
            )


def check_unit(
    spec: Path,
    unit_id: str,
    *,
    work_dir: Path,
    plugins: Plugins | None = None,
    checks: Collection[str] = CHECKS,
) -> UnitCheck:
    """Run the conformance ``checks`` on unit ``unit_id`` of study ``spec``; runs go to
    ``work_dir``. Call ``.raise_for_problems()`` on the result to fail a test."""
    return check_units(spec, [unit_id], work_dir=work_dir, plugins=plugins, checks=checks)[unit_id]


def check_units(
    spec: Path,
    unit_ids: Sequence[str] | None = None,
    *,
    work_dir: Path,
    plugins: Plugins | None = None,
    checks: Collection[str] = CHECKS,
) -> dict[str, UnitCheck]:
    """:func:`check_unit` for several units of one study (default: all), sharing the runs: the
    study runs twice, once with shuffled test outcomes, and is applied once."""
    unknown = sorted(set(checks) - set(CHECKS))
    if unknown:
        raise ValueError(f"unknown checks {unknown} (available: {', '.join(CHECKS)})")
    spec, work_dir = Path(spec).resolve(), Path(work_dir)
    plugins = plugins or make_plugin_manager()
    prepared = prepare(spec, plugins)
    ids = list(unit_ids) if unit_ids is not None else [p.id for p in prepared.plan]
    runs = _Runs(spec, prepared.study, work_dir, plugins, ids)
    return {unit_id: _check_one(runs.first(unit_id), runs, checks) for unit_id in ids}


def _check_one(first: UnitRun, runs: _Runs, checks: Collection[str]) -> UnitCheck:
    report = UnitCheck(first.unit_id, first.record.name)
    if first.status != "ok":
        report.problems.append(f"runs: {first.status}: {first.error}")
        return report
    report.passed.append("runs")
    for name in CHECKS[1:]:
        if name not in checks:
            continue
        outcome = _step(name, first, runs)
        if isinstance(outcome, _Skip):
            report.skipped[name] = outcome.reason
        elif outcome:
            report.problems += [f"{name}: {p}" for p in outcome]
        else:
            report.passed.append(name)
    return report


def _step(name: str, first: UnitRun, runs: _Runs) -> list[str] | _Skip:
    """The problems check ``name`` finds in the unit (or why it does not apply)."""
    if name == "schema":
        return _schema_problems(first)
    if name == "fragment":
        return render_fragment(first).problems
    if name == "methods":
        return _methods_problems(first.record)
    if name == "determinism":
        return _determinism_problems(first, runs.unit("again", first.unit_id))
    if name == "leakage":
        return _leakage_problems(first, runs.unit("shuffled", first.unit_id))
    return _apply_problems(first, runs)


@dataclass(frozen=True)
class _Skip:
    reason: str


class _Runs:
    """The study's runs, each made once when first needed: as given, again, with the test
    outcomes shuffled, and its fitted units applied to the training patients."""

    def __init__(
        self, spec: Path, study: Study, work_dir: Path, plugins: Plugins, ids: list[str]
    ) -> None:
        self.spec = spec
        self.study = study
        self.work_dir = work_dir
        self.plugins = plugins
        self.ids = ids
        self.training_ids: list[str] = []
        self._runs: dict[str, tuple[RunResults, Cohort] | _Skip] = {}

    def unit(self, name: str, unit_id: str) -> UnitRun | _Skip:
        """Unit ``unit_id`` in run ``name`` (first, again, shuffled, applied)."""
        if name not in self._runs:
            self._runs[name] = getattr(self, f"_make_{name}")()
        made = self._runs[name]
        if isinstance(made, _Skip):
            return made
        results, cohort = made
        record = next((u for u in results.units if u.id == unit_id), None)
        if record is None:
            return _Skip(f"unit '{unit_id}' is not in the {name} run")
        return UnitRun(
            unit_id=unit_id,
            record=record,
            results=results,
            out_dir=(self.work_dir / name).resolve(),
            cohort=cohort,
            result_type=self.plugins.units().units[record.name].Result,
            plugins=self.plugins,
        )

    def first(self, unit_id: str) -> UnitRun:
        """The unit in the study's first run (always present)."""
        run = self.unit("first", unit_id)
        if isinstance(run, _Skip):
            raise ValueError(f"study {self.spec} has no unit '{unit_id}'")
        return run

    def _run(self, spec: Path, name: str) -> tuple[RunResults, Cohort]:
        prepared = prepare(spec, self.plugins)
        return run_prepared(prepared, self.work_dir / name, use_cache=False), prepared.cohort

    def _make_first(self) -> tuple[RunResults, Cohort]:
        return self._run(self.spec, "first")

    def _make_again(self) -> tuple[RunResults, Cohort]:
        return self._run(self.spec, "again")

    def _make_shuffled(self) -> tuple[RunResults, Cohort] | _Skip:
        split = self.study.cohort.split
        if split is None:
            return _Skip("the study has no train/test split")
        table = read_table(self.spec, self.study)
        rows = np.flatnonzero((table[split.column].astype(str) == split.test).to_numpy())
        if len(rows) < 2:
            return _Skip("fewer than two test patients")
        groups = outcome_groups(self.study)
        if not groups:
            return _Skip("the study declares no outcome or survival endpoint")
        rng = np.random.default_rng(20240601)
        shuffled = table.copy()
        for columns in groups:
            order = rows[rng.permutation(len(rows))]
            shuffled.loc[shuffled.index[rows], columns] = table.iloc[order][columns].to_numpy()
        moved = linked_study(self.spec, self.study, self.work_dir / "shuffled-study", shuffled)
        return self._run(moved, "shuffled")

    def _make_applied(self) -> tuple[RunResults, Cohort] | _Skip:
        units = self.plugins.units().units
        fitted = [
            unit_id
            for unit_id in self.ids
            if (run := self.first(unit_id)).status == "ok" and units[run.record.name].can_apply()
        ]
        if not fitted:
            return _Skip("no unit to apply")
        table = read_table(self.spec, self.study)
        split = self.study.cohort.split
        if split is not None:
            table = table[table[split.column].astype(str) == split.train]
        self.training_ids = [str(i) for i in table[self.study.cohort.id]]
        external = linked_study(
            self.spec, self.study, self.work_dir / "external-study", table, drop_units=True
        )
        prepared = prepare_apply(
            self.work_dir / "first", external, models=fitted, plugins=self.plugins
        )
        results = run_prepared(prepared, self.work_dir / "applied", use_cache=False)
        return results, prepared.cohort


def _schema_problems(run: UnitRun) -> list[str]:
    result_type = run.result_type
    problems: list[str] = []
    hints = typing.get_type_hints(result_type)
    kind = hints.get("kind")
    values = typing.get_args(kind) if typing.get_origin(kind) is typing.Literal else ()
    if len(values) != 1:
        problems.append(f"{result_type.__name__}.kind must be a one-value Literal, is {kind}")
    try:
        result = run.result
    except Exception as exc:  # a result that no longer validates from results.json
        return [*problems, f"result does not validate from results.json: {exc}"]
    if values and result.kind != values[0]:
        problems.append(f"result kind {result.kind!r} differs from its Literal {values[0]!r}")
    problems += [
        f"{result_type.__name__}.{name} has no description"
        for name, info in result_type.model_fields.items()
        if name != "kind" and not (info.description or "").strip()  # kind: described on the base
    ]
    return problems


def _methods_problems(record: UnitRecord) -> list[str]:
    text = record.methods.strip()
    if not text:
        return ["methods() returned no text"]
    if text.startswith("(methods text unavailable"):
        return [text]
    return []


def _determinism_problems(first: UnitRun, again: UnitRun | _Skip) -> list[str] | _Skip:
    if isinstance(again, _Skip):
        return again
    if again.status != "ok":
        return [f"the second run {again.status}: {again.error}"]
    problems = []
    if again.record.result != first.record.result:
        fields = _differing_fields(first.record.result or {}, again.record.result or {})
        problems.append(f"a second run gives another result (fields: {', '.join(fields)})")
    before = {Path(f.path).name: f.sha256 for f in first.record.files}
    after = {Path(f.path).name: f.sha256 for f in again.record.files}
    changed = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
    if changed:
        problems.append(f"a second run writes other files: {', '.join(changed)}")
    return problems


def _leakage_problems(first: UnitRun, other: UnitRun | _Skip) -> list[str] | _Skip:
    if isinstance(other, _Skip):
        return other
    if other.status != "ok":
        return [f"with test outcomes shuffled the unit {other.status}: {other.error}"]
    problems = [
        f"derived column '{name}' changes when the test set's outcomes are shuffled"
        for name in _changed_columns(first.record, other.record, ids=None)
    ]
    before, after = _artefacts(first.record), _artefacts(other.record)
    problems += [
        f"saved file '{name}' changes when the test set's outcomes are shuffled"
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]
    return problems


def _apply_problems(first: UnitRun, runs: _Runs) -> list[str] | _Skip:
    if not runs.plugins.units().units[first.record.name].can_apply():
        return _Skip("the unit has no apply")
    applied = runs.unit("applied", first.unit_id)
    if isinstance(applied, _Skip):
        return applied
    if applied.status != "ok":
        return [f"remarkit apply of the fitted unit {applied.status}: {applied.error}"]
    return [
        f"apply on the training patients does not reproduce derived column '{name}'"
        for name in _changed_columns(first.record, applied.record, ids=runs.training_ids)
        if not name.endswith(OOF_SUFFIX)
    ]


def _columns(record: UnitRecord) -> dict[str, dict[str, Any]]:
    result = record.result or {}
    columns = result.get("columns", [])
    return {c["name"]: dict(zip(c["ids"], c["values"], strict=True)) for c in columns}


def _changed_columns(a: UnitRecord, b: UnitRecord, *, ids: list[str] | None) -> list[str]:
    left, right = _columns(a), _columns(b)
    changed = []
    for name in sorted(left.keys() | right.keys()):
        if name not in left or name not in right:
            changed.append(name)
            continue
        keys = ids if ids is not None else sorted(left[name].keys() | right[name].keys())
        if any(not _same(left[name].get(k), right[name].get(k)) for k in keys):
            changed.append(name)
    return changed


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y or (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9)
    if isinstance(x, str) and isinstance(y, str) and x == y == "NaN":
        return True
    return bool(x == y)


def _artefacts(record: UnitRecord) -> dict[str, str]:
    """The unit's saved files that are not figures, by name: what apply reads."""
    return {
        Path(f.path).name: f.sha256
        for f in record.files
        if Path(f.path).suffix.lower() not in _FIGURE_SUFFIXES
    }


def _differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


__all__ = ["CHECKS", "UnitCheck", "UnitCheckError", "check_unit", "external_spec_text"]
