"""Per-thread capture of warnings (a unit's run, a per-case task).

``warnings.catch_warnings`` swaps process-wide state, so two units running in threads of one
process (a Dask worker runs a seceded unit task beside per-case tasks) would record each other's
warnings. Here every capturing thread gets its own list: while at least one capture is active the
process shows every warning (filter "always") through a router that appends it to the list of the
thread that raised it; the first capture installs the router, the last restores the previous state.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_local = threading.local()
_active = 0
_saved: tuple[Any, Any] | None = None


def _route(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    sink: list[warnings.WarningMessage] | None = getattr(_local, "sink", None)
    if sink is not None:
        sink.append(warnings.WarningMessage(message, category, filename, lineno, file, line))
    elif _saved is not None:  # a thread that captures nothing: show it as before
        _saved[1](message, category, filename, lineno, file, line)


@contextmanager
def capture_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Collect every warning raised in this thread inside the block (each occurrence)."""
    global _active, _saved
    sink: list[warnings.WarningMessage] = []
    outer = getattr(_local, "sink", None)
    with _lock:
        if _active == 0:
            _saved = (warnings.filters, warnings.showwarning)
            setattr(warnings, "filters", list(warnings.filters))  # noqa: B010 - as catch_warnings
            warnings.simplefilter("always")
            warnings.showwarning = _route
        _active += 1
    _local.sink = sink
    try:
        yield sink
    finally:
        _local.sink = outer
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                setattr(warnings, "filters", _saved[0])  # noqa: B010
                warnings.showwarning = _saved[1]
                warnings._filters_mutated()  # type: ignore[attr-defined]
                _saved = None


def replay(caught: list[tuple[type[Warning], str]]) -> None:
    """Raise again, in this thread, warnings captured elsewhere as (category, message)."""
    for category, text in caught:
        warnings.warn(text, category, stacklevel=2)
