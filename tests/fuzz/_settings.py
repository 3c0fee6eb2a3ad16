"""Shared Hypothesis settings of the fuzz tests: deterministic, no deadline, scaled example counts.

``REMARKIT_FUZZ_SCALE`` (default 1) multiplies every property's example count, e.g.
``REMARKIT_FUZZ_SCALE=10 python -m pytest tests/fuzz`` for a longer local campaign.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: Multiplier of every property's example count (the default keeps tests/fuzz under a minute).
SCALE = max(1, int(os.environ.get("REMARKIT_FUZZ_SCALE", "1")))


def fuzz(examples: int) -> settings:
    """Deterministic settings running ``examples`` (times ``SCALE``) generated examples."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
