"""The Dask executor against a real LocalCluster on 127.0.0.1 with 2 workers: results identical
to the serial and local runs, a worker killed mid-run, and one-line errors (issue 17, point 1)."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.executor import LocalExecutor, SerialExecutor, make_executor
from tests.engine.conftest import StudyFactory
from tests.engine.parallel_study import UNITS, cache_entries, masked, parallel_plugins

pytest.importorskip("distributed")

from remarkit.engine.dask_executor import MISSING, DaskExecutor


@pytest.fixture(scope="module")
def markers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder where the workers' test cases leave their markers (set before they start)."""
    return tmp_path_factory.mktemp("markers")


@pytest.fixture(scope="module")
def dask(markers: Path) -> Iterator[DaskExecutor]:
    """A LocalCluster of 2 worker processes for the whole module."""
    old = os.environ.get("REMARKIT_TEST_MARKERS")
    os.environ["REMARKIT_TEST_MARKERS"] = str(markers)
    executor = make_executor("dask", 2)
    assert isinstance(executor, DaskExecutor)
    try:
        yield executor
    finally:
        executor.close()
        if old is None:
            os.environ.pop("REMARKIT_TEST_MARKERS", None)
        else:
            os.environ["REMARKIT_TEST_MARKERS"] = old


def _worker_pids(dask: DaskExecutor) -> set[int]:
    return set(dask.client.run(os.getpid, on_error="ignore").values())


def test_dask_matches_serial_and_local(
    dask: DaskExecutor, make_study: StudyFactory, tmp_path: Path
) -> None:
    prepared = prepare(make_study(units=UNITS), parallel_plugins())
    runs = {"serial": SerialExecutor(), "local": LocalExecutor(2), "dask": dask}
    for name, executor in runs.items():
        run_prepared(prepared, tmp_path / name, cache_dir=tmp_path / f"c-{name}", executor=executor)
    assert masked(tmp_path / "dask") == masked(tmp_path / "serial") == masked(tmp_path / "local")
    assert cache_entries(tmp_path / "c-dask") == cache_entries(tmp_path / "c-serial")
    assert dask.client.run(os.getppid) == dict.fromkeys(dask.client.run(os.getppid), os.getpid())
    again = run_prepared(prepared, tmp_path / "again", cache_dir=tmp_path / "c-dask", executor=dask)
    hits = [u.execution.cache_hit for u in again.units if u.status == "ok"]
    assert hits == [True] * 5  # cached units are never sent to the cluster


def test_worker_killed_mid_run_is_retried(
    dask: DaskExecutor, make_study: StudyFactory, markers: Path, tmp_path: Path
) -> None:
    units = '\n[[unit]]\nid = "k"\nuse = "test_slow_cases"\ncases = 6\nsleep = 1.0\n'
    prepared = prepare(make_study(units=units), parallel_plugins())
    before = _worker_pids(dask)
    killed: list[int] = []

    def kill_first_case_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = [p for p in markers.glob("k-*") if int(p.name.rsplit("-", 1)[1]) in before]
            if started:
                pid = int(started[0].name.rsplit("-", 1)[1])
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_first_case_worker)
    watcher.start()
    run_prepared(prepared, tmp_path / "dask", use_cache=False, executor=dask)
    watcher.join()
    assert killed, "no worker was killed"
    unfinished = [p for p in markers.glob(f"k-*-{killed[0]}") if len(p.read_text().split()) == 1]
    assert unfinished, "the worker was killed in the middle of a case"
    run_prepared(prepared, tmp_path / "serial", use_cache=False, executor=SerialExecutor())
    assert masked(tmp_path / "dask") == masked(tmp_path / "serial")
    dask.client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker
    assert killed[0] not in _worker_pids(dask)


def test_progress_per_unit_and_per_case(
    dask: DaskExecutor, make_study: StudyFactory, tmp_path: Path
) -> None:
    units = '\n[[unit]]\nid = "p"\nuse = "test_slow_cases"\ncases = 3\nsleep = 0.05\n'
    prepared = prepare(make_study(units=units), parallel_plugins())
    events: list[tuple[str, str, int, int]] = []
    run_prepared(
        prepared,
        tmp_path / "out",
        use_cache=False,
        executor=dask,
        progress=lambda *event: events.append(event),
    )
    assert events[0] == ("start", "p", 0, 1)
    assert ("ok", "p", 1, 1) in events
    deadline = time.monotonic() + 10
    while ("case", "p", 3, 3) not in events and time.monotonic() < deadline:
        time.sleep(0.05)  # the last case event may arrive after the unit's result
    cases = [e for e in events if e[0] == "case"]
    assert sorted(cases) == [("case", "p", k, 3) for k in (1, 2, 3)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_scheduler_is_one_line_error(
    test_plugin_installed: str, make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    address = f"dask://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    assert main(["run", str(make_study()), "--executor", address]) == 2
    err = capsys.readouterr().err.strip()
    assert time.monotonic() - started < 30
    assert len(err.splitlines()) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:" in err and "within 5 s" in err


def test_missing_dask_extra_is_one_line_error(
    test_plugin_installed: str,
    make_study: StudyFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["run", str(make_study()), "--executor", "dask"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and MISSING in err
    with pytest.raises(ValueError, match="optional Dask extra"):
        make_executor("dask", 2)


def test_unknown_executor_is_one_line_error(
    test_plugin_installed: str, make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(make_study()), "--executor", "spark"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "unknown executor 'spark' (available: local, dask, dask://HOST:PORT)" in err
