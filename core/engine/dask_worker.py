"""Preload of the LocalCluster's worker processes: they exit when the run's process dies."""

from __future__ import annotations

import os
from typing import Any

from remarkit.engine.executor import die_with_parent


def dask_setup(worker: Any) -> None:
    """Called by Dask in each worker process at start (``preload``)."""
    die_with_parent(os.getppid())
