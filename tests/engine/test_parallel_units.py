"""Independent units run concurrently in a local process pool (--jobs 2), with results, cache
entries and progress identical to a serial run apart from timings (issue 17, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.cache import NullCache
from remarkit.engine.executor import LocalExecutor, SerialExecutor
from remarkit.engine.runner import RunOptions, run_units
from remarkit.errors import InputErrors
from tests.engine.conftest import StudyFactory
from tests.engine.parallel_study import (
    UNITS,
    cache_entries,
    intervals,
    masked,
    parallel_plugins,
)


def test_local_pool_matches_serial_results_and_cache(
    make_study: StudyFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv("REMARKIT_TEST_MARKERS", str(markers))
    prepared = prepare(make_study(units=UNITS), parallel_plugins())
    events: dict[str, list[tuple[str, str]]] = {"serial": [], "pool": []}
    serial = run_prepared(
        prepared,
        tmp_path / "serial",
        cache_dir=tmp_path / "c-serial",
        executor=SerialExecutor(),
        progress=lambda e, u, d, n: events["serial"].append((e, u)),
    )
    pooled = run_prepared(
        prepared,
        tmp_path / "pool",
        cache_dir=tmp_path / "c-pool",
        executor=LocalExecutor(2),
        progress=lambda e, u, d, n: events["pool"].append((e, u)),
    )
    assert masked(tmp_path / "serial") == masked(tmp_path / "pool")
    assert cache_entries(tmp_path / "c-serial") == cache_entries(tmp_path / "c-pool")
    statuses = {u.id: u.status for u in pooled.units}
    assert statuses == {
        "std": "ok", "count": "ok", "a": "ok", "b": "ok", "warns": "ok",
        "fail": "failed", "after": "skipped",
    }  # fmt: skip
    assert [u.id for u in pooled.units] == [u.id for u in serial.units]
    warns = next(u for u in pooled.units if u.id == "a").result
    assert warns is not None and "RuntimeWarning: odd case 1" in warns["warnings"]
    for run in events.values():  # one start and one end per unit, whatever the order
        assert sorted(u for e, u in run if e == "start") == sorted(statuses)
        assert sorted(u for e, u in run if e != "start") == sorted(statuses)
    # the two slow units ran side by side in the pool run (the markers of its cases)
    a, b = (intervals(markers, unit) for unit in ("a", "b"))
    assert len(a) == len(b) == 8  # four cases each, in both runs
    overlapping = [(x, y) for x in a for y in b if x[0] < y[1] and y[0] < x[1]]
    assert overlapping, "units a and b never ran at the same time"
    again = run_prepared(prepared, tmp_path / "again", cache_dir=tmp_path / "c-pool",
                         executor=LocalExecutor(2))  # fmt: skip
    assert [u.execution.cache_hit for u in again.units if u.status == "ok"] == [True] * 5
    assert masked(tmp_path / "again").replace("true", "false") == masked(tmp_path / "pool").replace(
        "true", "false"
    )


def test_strict_input_error_aborts_a_pooled_run(make_study: StudyFactory, tmp_path: Path) -> None:
    units = UNITS + '\n[[unit]]\nid = "bad"\nuse = "test_bad_input"\n'
    prepared = prepare(make_study(units=units), parallel_plugins())
    options = RunOptions(
        out_root=tmp_path / "out",
        cache=NullCache(),
        executor=LocalExecutor(2),
        libraries={},
        inputs=[],
        strict=frozenset({"bad"}),
    )
    with pytest.raises(
        InputErrors, match=r"column 'marker': applying 'bad' \(test_bad_input\): values out"
    ):
        run_units(prepared.study, prepared.cohort, prepared.plan, prepared.plugins, options)
    lenient = run_units(
        prepared.study, prepared.cohort, prepared.plan, prepared.plugins,
        RunOptions(out_root=tmp_path / "o2", cache=NullCache(), executor=LocalExecutor(2),
                   libraries={}, inputs=[]),
    )  # fmt: skip
    bad = next(r for r in lenient if r.id == "bad")
    assert bad.id == "bad" and bad.status == "failed" and "InputError" in (bad.error or "")


def test_units_made_at_run_time_run_in_this_process() -> None:
    """remarkit apply's adapters are classes built at run time: a worker could not import them."""
    from remarkit.engine.runner import importable
    from tests.plugins.parallel_units import SlowCases

    assert importable(SlowCases)
    assert not importable(type("Applied_Made_Now", (SlowCases,), {}))
