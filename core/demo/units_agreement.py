"""The demo's reproducibility [[unit]] tables: the baseline AFP measured by two laboratories."""

from typing import Any

AGREEMENT_UNITS: list[dict[str, Any]] = [
    {
        "id": "afp_reproducibility",
        "use": "marker_reproducibility",
        "first": "afp_baseline",
        "second": "afp_baseline_lab2",
        "log": True,
    }
]
