"""Pools that run units concurrently: local worker processes (``--jobs N``) or Dask.

The runner hands a pool each unit whose dependencies are done (at most ``slots`` at a time) and
gets its :class:`UnitOutcome` back through a callback, in whatever order units finish; it keeps
the records in plan order, so results do not depend on the pool.

Per-case budget (local pool): a unit gets ``jobs // n`` per-case worker processes for its
``ctx.executor.map``, ``n`` being the number of units running when it starts (itself included):
a unit running alone gets the whole budget, units running side by side map their cases with
fewer workers (serially when ``jobs // n`` is 1). A unit's per-case pool is fixed when it starts,
so the machine may briefly hold up to about twice ``jobs`` busy processes.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from remarkit.engine.executor import LocalExecutor, SerialExecutor, die_with_parent, stop_pool
from remarkit.engine.unit_task import UnitOutcome, UnitTask, execute_unit

Done = Callable[[UnitOutcome | BaseException], None]


class UnitPool(Protocol):
    """Runs unit tasks concurrently."""

    slots: int

    def submit(self, task: UnitTask, running: int, done: Done) -> None:
        """Start ``task`` (``running`` units in flight, itself included); call ``done`` with
        its outcome, or the exception that stopped it, from any thread."""
        ...

    def shutdown(self, *, cancel: bool) -> None:
        """Release the pool; ``cancel``: stop running units now (interrupted or failed run)."""
        ...


def unit_pool_for(
    executor: object, progress: Callable[[str, str, int, int], None] | None = None
) -> UnitPool | None:
    """The unit pool the executor offers (``unit_pool()``), or None: units run in this process.
    ``progress`` gets per-case events ("case", unit id, done, total) where the pool reports them
    (Dask)."""
    make = getattr(executor, "unit_pool", None)
    if not callable(make):
        return None
    if progress is not None and "progress" in inspect.signature(make).parameters:
        return make(progress=progress)
    return make()


def run_local_unit(task: UnitTask, per_case: int) -> UnitOutcome:
    """Worker side of :class:`LocalUnitPool`: the unit with its share of the per-case budget."""
    executor = SerialExecutor() if per_case <= 1 else LocalExecutor(per_case)
    return execute_unit(task, executor)


#: The warning filter that keeps the resource tracker quiet about semaphores it cleans up.
TRACKER_QUIET = "ignore:resource_tracker:UserWarning"


def _warm_up() -> None:
    """A no-op task: submitting one per slot starts every worker at once."""


class LocalUnitPool:
    """``jobs`` worker processes on this machine (killed with the run: ``die_with_parent``).

    Workers are started fresh ("spawn"), not forked: a process that already ran torch or
    another OpenMP library cannot safely fork a child that runs it again (the child waits
    forever on a lock held by a thread that did not survive the fork).
    """

    def __init__(self, jobs: int) -> None:
        self.slots = jobs
        # A run stopped by SIGTERM leaves the pool's semaphores to multiprocessing's resource
        # tracker, which removes them and would print a "leaked semaphore" warning after the
        # one-line "terminated": the tracker takes -W options from sys.warnoptions when started.
        if TRACKER_QUIET not in sys.warnoptions:
            sys.warnoptions.append(TRACKER_QUIET)
        self._pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        for _ in range(jobs):  # start every worker now, side by side (each imports remarkit)
            self._pool.submit(_warm_up)

    def submit(self, task: UnitTask, running: int, done: Done) -> None:
        """Send ``task`` to a worker process."""
        future = self._pool.submit(run_local_unit, task, max(1, self.slots // max(1, running)))

        def finished(f: Future[UnitOutcome]) -> None:
            error = f.exception()
            done(error if error is not None else f.result())

        future.add_done_callback(finished)

    def shutdown(self, *, cancel: bool) -> None:
        """Wait for the workers to exit, or terminate them (``cancel``)."""
        if cancel:
            stop_pool(self._pool)
        else:
            self._pool.shutdown()
