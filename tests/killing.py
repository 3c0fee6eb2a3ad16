"""Helpers of the kill tests (issue 16, finding 13): run the CLI in a child process, find its
pool workers and staging folders, and compare results.json without the execution blocks."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path


def cli(*args: str) -> list[str]:
    """The command line running ``remarkit ARGS`` in this interpreter."""
    return [sys.executable, "-m", "remarkit.cli.main", *args]


def masked(out: Path) -> str:
    """``out/results.json`` with every unit's execution block (timings, cache hit) emptied."""
    text = (out / "results.json").read_text(encoding="utf-8")
    return re.sub(r'"execution": \{[^}]*\}', '"execution": {}', text)


def staging(parent: Path, out_name: str) -> list[Path]:
    """The staging folders of runs into ``parent/out_name``."""
    return sorted(p for p in parent.iterdir() if p.name.startswith(f".{out_name}.tmp-"))


def children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text(encoding="ascii")
        found += [int(c) for c in text.split()]
    return found


def gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie is dead, awaiting its reaper)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def wait_gone(pids: list[int], seconds: float = 20.0) -> list[int]:
    """Wait until every process of ``pids`` has exited; return those still alive."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if not gone(p)]
        if not alive:
            return []
        time.sleep(0.1)
    return alive
