"""Progress display: a rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from remarkit.engine.runner import ProgressCallback


@contextmanager
def unit_progress(total: int) -> Iterator[ProgressCallback]:
    """Yield a callback that reports unit starts and ends."""
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
        ) as bar:
            task = bar.add_task("units", total=total)

            def rich_callback(event: str, unit_id: str, done: int, count: int) -> None:
                if event == "start":
                    bar.update(task, description=f"running {unit_id}")
                elif event == "case":
                    bar.update(task, description=f"running {unit_id}: case {done}/{count}")
                else:
                    bar.update(task, completed=done)
                    if event != "ok" and event != "cached":
                        bar.console.print(f"{unit_id}: {event}")

            yield rich_callback
        return

    def plain_callback(event: str, unit_id: str, done: int, count: int) -> None:
        if event not in ("start", "case"):
            print(f"[{done}/{count}] {unit_id}: {event}", file=sys.stderr, flush=True)

    yield plain_callback
