"""The Dask executor (``--executor dask`` or ``dask://HOST:PORT``; the optional ``dask`` extra).

``dask`` starts a ``dask.distributed`` LocalCluster on 127.0.0.1 (``--jobs`` worker processes,
default 2, one thread each, no dashboard); ``dask://HOST:PORT`` connects to a running scheduler,
whose workers must have remarkit (and the study's plugins) installed and see the same filesystem
paths as this machine (study folder, cache folder, output folder): units write their files where
the run reads them.

Units whose upstream units are done are submitted as tasks (the runner resolves dependencies,
cache lookups and result hashes on this side, so cached units are never sent); inside a unit
task, ``ctx.executor.map`` submits one task per case from the worker (``worker_client``, which
secedes from the worker's thread pool while it waits). Items are what the unit maps (file paths,
small arrays). A task whose worker dies is rescheduled by the scheduler, and a task that raises
is retried ``RETRIES`` times: a rerun unit starts from an empty folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from remarkit.engine.executor import case_call, replay_case_warnings
from remarkit.engine.unit_pool import Done
from remarkit.engine.unit_task import UnitOutcome, UnitTask, execute_unit

CaseProgress = Callable[[str, str, int, int], None]
T = TypeVar("T")
U = TypeVar("U")

DEFAULT_WORKERS = 2
CONNECT_SECONDS = 5
RETRIES = 2
#: Dask event topic of per-case progress: {"unit": id, "done": cases done, "total": cases}.
CASE_TOPIC = "remarkit-cases"
MISSING = "--executor dask needs the optional Dask extra: pip install 'remarkit[dask]'"


def _distributed() -> Any:
    """The ``distributed`` module, or ValueError (one line) when the extra is missing."""
    try:
        import distributed
    except ImportError as exc:
        raise ValueError(MISSING) from exc
    return distributed


class DaskExecutor:
    """Runs units and per-case work on a Dask cluster (a local one, or an existing scheduler)."""

    def __init__(self, address: str | None = None, jobs: int | None = None) -> None:
        distributed = _distributed()
        self.cluster: Any = None
        if address is None:
            self.cluster = distributed.LocalCluster(
                n_workers=jobs or DEFAULT_WORKERS,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # the scheduler's small HTTP server (health checks): a free loopback port
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
                preload=["remarkit.engine.dask_worker"],
            )
            self.client: Any = distributed.Client(self.cluster, set_as_default=False)
        else:
            try:
                self.client = distributed.Client(
                    address, timeout=CONNECT_SECONDS, set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                raise ValueError(
                    f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
                    f"({type(exc).__name__})"
                ) from exc
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.jobs = max(1, workers or jobs or 1)

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item on the cluster; results in the order of ``items``."""
        futures = self.client.map(partial(case_call, fn), list(items), pure=False, retries=RETRIES)
        return replay_case_warnings(self.client.gather(futures))

    def unit_pool(self, progress: CaseProgress | None = None) -> DaskUnitPool:
        """Units as tasks on the cluster, as many at a time as it has workers; ``progress``
        is called ("case", unit id, cases done, cases) as the units' cases finish."""
        return DaskUnitPool(self.client, self.jobs, progress)

    def close(self) -> None:
        """Disconnect; stop the local cluster if this executor started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class DaskWorkerExecutor:
    """``ctx.executor`` of a unit running in a Dask task: one task per case, from the worker."""

    def __init__(self, jobs: int, unit_id: str = "") -> None:
        self.jobs = jobs
        self.unit_id = unit_id

    def map(self, fn: Callable[[T], U], items: Iterable[T]) -> list[U]:
        """Apply ``fn`` to every item as tasks; results in the order of ``items``."""
        work = list(items)
        if not work:
            return []
        from distributed import as_completed, get_worker, worker_client

        with worker_client() as client:
            futures = client.map(partial(case_call, fn), work, pure=False, retries=RETRIES)
            worker = get_worker()
            for done, _ in enumerate(as_completed(futures), start=1):
                message = {"unit": self.unit_id, "done": done, "total": len(work)}
                worker.log_event(CASE_TOPIC, message)
            outcomes = client.gather(futures)
        return replay_case_warnings(outcomes)


def run_dask_unit(task: UnitTask, jobs: int) -> UnitOutcome:
    """Worker side of :class:`DaskUnitPool`."""
    return execute_unit(task, DaskWorkerExecutor(jobs, task.planned.id))


class DaskUnitPool:
    """Unit tasks on a Dask cluster."""

    def __init__(self, client: Any, jobs: int, progress: CaseProgress | None = None) -> None:
        self.client = client
        self.slots = jobs
        self._futures: list[Any] = []
        self._progress = progress
        if progress is not None:
            client.subscribe_topic(CASE_TOPIC, self._case_event)

    def _case_event(self, event: tuple[float, Any]) -> None:
        message = event[1]
        if self._progress is not None and isinstance(message, dict):
            self._progress("case", message["unit"], message["done"], message["total"])

    def submit(self, task: UnitTask, running: int, done: Done) -> None:
        """Submit ``task``; ``done`` gets its outcome (or the error that stopped it)."""
        future = self.client.submit(
            run_dask_unit,
            task,
            self.slots,
            pure=False,
            retries=RETRIES,
            key=f"unit-{task.planned.id}-{len(self._futures)}",
        )
        self._futures.append(future)

        def finished(f: Any) -> None:
            try:
                done(f.result())
            except BaseException as exc:  # the task's error, or a cancelled/killed task
                done(exc)

        future.add_done_callback(finished)

    def shutdown(self, *, cancel: bool) -> None:
        """Forget the unit tasks (cancel them when the run stops early)."""
        if cancel:
            self.client.cancel(self._futures)
        if self._progress is not None:
            self.client.unsubscribe_topic(CASE_TOPIC)
            self._progress = None
        self._futures.clear()
