"""Executors for per-case work (feature extraction, bootstraps): serial or a local process pool.

Units call ``ctx.executor.map(fn, items)``; ``fn`` must be a picklable top-level function. Results
come back in the order of ``items`` so that runs are deterministic whatever the worker count.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Protocol, TypeVar

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
            results = list(pool.map(fn, work))
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


def make_executor(spec: str, jobs: int | None) -> Executor:
    """Build the executor named on the command line (``local``)."""
    if spec == "local":
        return SerialExecutor() if jobs == 1 else LocalExecutor(jobs)
    raise ValueError(f"unknown executor '{spec}' (available: local)")
