"""The unit families, in a module of their own so the command line's parser needs no pydantic."""

from __future__ import annotations

from typing import Literal

Family = Literal[
    "marker_response",
    "clinical",
    "phase_scorer",
    "integrator",
    "evaluator",
    "radiogenomics",
]
FAMILIES: tuple[str, ...] = (
    "marker_response",
    "clinical",
    "phase_scorer",
    "integrator",
    "evaluator",
    "radiogenomics",
)
