"""Executors for per-case work (feature extraction, bootstraps): serial or a local process pool.

Units call ``ctx.executor.map(fn, items)``; ``fn`` must be a picklable top-level function. Results
come back in the order of ``items`` so that runs are deterministic whatever the worker count.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

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


class LocalExecutor:
    """A pool of ``jobs`` worker processes on this machine."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item across the pool; results in the order of ``items``."""
        work = list(items)
        if self.jobs == 1 or len(work) <= 1:
            return [fn(item) for item in work]
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(work))) as pool:
            return list(pool.map(fn, work))


def make_executor(spec: str, jobs: int | None) -> Executor:
    """Build the executor named on the command line (``local``)."""
    if spec == "local":
        return SerialExecutor() if jobs == 1 else LocalExecutor(jobs)
    raise ValueError(f"unknown executor '{spec}' (available: local)")
