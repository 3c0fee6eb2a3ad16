"""Run one unit of a study and get its typed result back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.cohort import Cohort
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.results import RunResults, UnitRecord
from remarkit.engine.unit import UnitResult


@dataclass(frozen=True)
class UnitRun:
    """One unit's outcome in a finished run: its record, typed result, cohort and outputs."""

    unit_id: str
    record: UnitRecord
    results: RunResults
    out_dir: Path
    cohort: Cohort
    result_type: type[UnitResult]
    plugins: Plugins
    #: The Python traceback of a unit whose ``run`` raised (None otherwise).
    traceback: str | None = None

    @property
    def status(self) -> str:
        """``ok``, ``failed`` or ``skipped``."""
        return self.record.status

    @property
    def error(self) -> str | None:
        """The error recorded for a failed or skipped unit."""
        return self.record.error

    @property
    def result(self) -> Any:
        """The typed result, validated back from results.json (AssertionError if not ok)."""
        if self.record.status != "ok" or self.record.result is None:
            raise AssertionError(
                f"unit '{self.unit_id}' ({self.record.name}) {self.record.status}: "
                f"{self.record.error}" + (f"\n{self.traceback}" if self.traceback else "")
            )
        return self.result_type.model_validate(self.record.result)

    def record_json(self) -> dict[str, Any]:
        """The unit's record as results.json holds it (what report fragments receive)."""
        data: dict[str, Any] = self.record.model_dump(mode="json")
        return data

    def column(self, name: str) -> pd.Series:
        """A derived column of the result, indexed by patient id in the cohort's order."""
        columns = {c.name: c for c in self.result.columns}
        if name not in columns:
            raise KeyError(f"unit '{self.unit_id}' derived no column {name!r} ({sorted(columns)})")
        col = columns[name]
        series = pd.Series(col.values, index=pd.Index(col.ids, dtype=str), name=name)
        series = series.reindex(self.cohort.data.index)
        return series.astype(float) if col.kind == "continuous" else series


def run_unit(
    spec: Path,
    unit_id: str,
    *,
    out_dir: Path,
    plugins: Plugins | None = None,
    use_cache: bool = False,
) -> UnitRun:
    """Validate and run the study ``spec`` into ``out_dir``; return the run of ``unit_id``.

    Every unit of the study runs (upstream units first), exactly as ``remarkit run`` runs them,
    without compiling the report. An invalid spec or parameters raise ``InputErrors``. A unit
    whose ``run`` raised keeps its one-line ``error``; its Python traceback is in
    :attr:`UnitRun.traceback` and in the AssertionError that :attr:`UnitRun.result` raises.
    """
    plugins = plugins or make_plugin_manager()
    prepared = prepare(Path(spec), plugins)
    planned = {p.id: p for p in prepared.plan}
    if unit_id not in planned:
        raise ValueError(f"study {spec} has no unit '{unit_id}' (units: {', '.join(planned)})")
    results = run_prepared(prepared, Path(out_dir), use_cache=use_cache, debug=True)
    record = next(u for u in results.units if u.id == unit_id)
    error, trace = split_traceback(record.error)
    record = replace_error(record, error)
    return UnitRun(
        unit_id=unit_id,
        record=record,
        results=results,
        out_dir=Path(out_dir).resolve(),
        cohort=prepared.cohort,
        result_type=planned[unit_id].unit_cls.Result,
        plugins=plugins,
        traceback=trace,
    )


#: How a debug run appends the traceback to a failed unit's error (see ``remarkit run --debug``).
TRACEBACK_HEAD = "\nTraceback (most recent call last):\n"


def split_traceback(error: str | None) -> tuple[str | None, str | None]:
    """A debug run's unit error as (the one-line error, the traceback or None)."""
    if error is None or TRACEBACK_HEAD not in error:
        return error, None
    message, _, rest = error.partition(TRACEBACK_HEAD)
    return message, TRACEBACK_HEAD.lstrip("\n") + rest


def replace_error(record: UnitRecord, error: str | None) -> UnitRecord:
    """``record`` with ``error`` (the traceback left out)."""
    return record if record.error == error else record.model_copy(update={"error": error})
