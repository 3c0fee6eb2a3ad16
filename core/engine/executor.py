"""Executors for per-case work (feature extraction, bootstraps): serial, a local process pool
or Dask (:mod:`remarkit.engine.dask_executor`); the local pool and Dask also run independent
units concurrently (:mod:`remarkit.engine.unit_pool`).

Units call ``ctx.executor.map(fn, items)``; ``fn`` must be a picklable top-level function. Results
come back in the order of ``items`` so that runs are deterministic whatever the worker count.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from remarkit.engine.warn_capture import capture_warnings, replay

if TYPE_CHECKING:
    from remarkit.engine.unit_pool import UnitPool

T = TypeVar("T")
U = TypeVar("U")


class Executor(Protocol):
    """Maps a function over items, returning results in input order."""

    jobs: int

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item; results in the order of ``items``."""
        ...


class SerialExecutor:
    """Runs every item in this process."""

    jobs = 1

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item in order."""
        return [fn(item) for item in items]


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Pool worker initializer: exit when the parent process dies (a killed run leaves no
    workers behind). Linux: the kernel sends SIGKILL on the parent's death (``prctl``)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class LocalExecutor:
    """A pool of ``jobs`` worker processes on this machine."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def unit_pool(self) -> UnitPool | None:
        """Worker processes that run independent units concurrently (None with one job)."""
        from remarkit.engine.unit_pool import LocalUnitPool

        return LocalUnitPool(self.jobs) if self.jobs > 1 else None

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item across the pool; results in the order of ``items``."""
        work = list(items)
        if self.jobs == 1 or len(work) <= 1:
            return [fn(item) for item in work]
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(work)),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            results = replay_case_warnings(pool.map(partial(case_call, fn), work))
        except BaseException:  # interrupted or terminated: stop the workers, do not wait
            stop_pool(pool)
            raise
        pool.shutdown()
        return results


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel pending work and terminate the pool's workers."""
    processes = dict(getattr(pool, "_processes", None) or {})  # pid -> Process (private)
    for process in processes.values():
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def case_call(fn: Callable[[T], U], item: T) -> tuple[U, list[tuple[type[Warning], str]]]:
    """Run one case in a worker; its result and the warnings it raised (replayed by the unit)."""
    with capture_warnings() as caught:
        value = fn(item)
    return value, [(w.category, str(w.message)) for w in caught]


def replay_case_warnings(outcomes: Iterable[tuple[U, list[tuple[type[Warning], str]]]]) -> list[U]:
    """The values of ``case_call`` outcomes; their warnings raised again here, in case order, so
    the unit records them as when its cases ran in its own process."""
    values: list[U] = []
    for value, caught in outcomes:
        replay(caught)
        values.append(value)
    return values


def make_executor(spec: str, jobs: int | None) -> Executor:
    """Build the executor named on the command line: ``local``, ``dask`` (a LocalCluster) or
    ``dask://HOST:PORT`` (an existing scheduler). ValueError (one line) for an unknown name, a
    missing Dask extra or an unreachable scheduler."""
    if spec == "local":
        return SerialExecutor() if jobs == 1 else LocalExecutor(jobs)
    if spec == "dask" or spec.startswith("dask://"):
        from remarkit.engine.dask_executor import DaskExecutor

        address = "tcp://" + spec.removeprefix("dask://") if spec != "dask" else None
        return DaskExecutor(address, jobs)
    raise ValueError(f"unknown executor '{spec}' (available: local, dask, dask://HOST:PORT)")


@contextlib.contextmanager
def opened(executor: Executor) -> Iterator[Executor]:
    """Use ``executor`` and close it afterwards (a Dask cluster is stopped)."""
    try:
        yield executor
    finally:
        close = getattr(executor, "close", None)
        if callable(close):
            close()
