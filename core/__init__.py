"""remarkit: reproducible, REMARK-compliant reports for tumour-marker prognostic studies.

The public API for plugin authors: ``hookimpl``, ``Unit``, ``UnitParams``, ``UnitResult``,
``Needs``, ``DerivedColumn``, ``Exclusion``, ``FigureRef``, ``UnitContext``, the ``apply`` API
(``AppliedResult``, ``Fitted``, ``AppliesFitted``), the registries the hooks receive
(``UnitRegistry``, ``ChecklistRegistry``, ``Checklist``, ``ChecklistItem``, ``EvidenceRule``),
Results sentences (``Sentence``, ``number``), the cohort types (``Cohort``, ``Endpoint``), the
analysis populations of the REMARK profile (``AnalysisPopulation``, ``population``, ``merged``,
``binary_population``, ``survival_population``, ``BINARY_OUTCOME``), the exclusion records (``exclusion``, ``unknown_outcome``, ``MISSING_*``)
and the error types.

The engine names are imported on first use (``from remarkit import Unit`` works as usual), so that
``import remarkit`` and the command line's ``--help`` load neither pydantic nor numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from remarkit._version import __version__
from remarkit.errors import (
    InputError,
    InputErrors,
    RemarkitError,
    RemarkitWarning,
    StatisticsError,
)

if TYPE_CHECKING:
    from remarkit.engine.cohort import Cohort, Endpoint
    from remarkit.engine.context import UnitContext
    from remarkit.engine.fitted import AppliesFitted, Fitted
    from remarkit.engine.hookspecs import hookimpl
    from remarkit.engine.missing import (
        MISSING_OUTCOME,
        MISSING_PREDICTOR,
        MISSING_SCORE,
        MISSING_SURVIVAL,
        exclusion,
        unknown_outcome,
    )
    from remarkit.engine.population import (
        BINARY_OUTCOME,
        AnalysisPopulation,
        binary_population,
        merged,
        population,
        survival_population,
    )
    from remarkit.engine.registry import (
        Checklist,
        ChecklistItem,
        ChecklistRegistry,
        EvidenceRule,
        UnitRegistry,
    )
    from remarkit.engine.sentences import Number, Sentence, number
    from remarkit.engine.unit import (
        AppliedResult,
        DerivedColumn,
        Exclusion,
        FigureRef,
        Needs,
        Unit,
        UnitParams,
        UnitResult,
    )

#: Public names imported on first access, by the module that defines them.
_LAZY: dict[str, str] = {
    "Cohort": "remarkit.engine.cohort",
    "Endpoint": "remarkit.engine.cohort",
    "MISSING_OUTCOME": "remarkit.engine.missing",
    "MISSING_PREDICTOR": "remarkit.engine.missing",
    "MISSING_SCORE": "remarkit.engine.missing",
    "MISSING_SURVIVAL": "remarkit.engine.missing",
    "exclusion": "remarkit.engine.missing",
    "unknown_outcome": "remarkit.engine.missing",
    "AnalysisPopulation": "remarkit.engine.population",
    "BINARY_OUTCOME": "remarkit.engine.population",
    "merged": "remarkit.engine.population",
    "population": "remarkit.engine.population",
    "binary_population": "remarkit.engine.population",
    "survival_population": "remarkit.engine.population",
    "EvidenceRule": "remarkit.engine.registry",
    "UnitContext": "remarkit.engine.context",
    "hookimpl": "remarkit.engine.hookspecs",
    "Checklist": "remarkit.engine.registry",
    "ChecklistItem": "remarkit.engine.registry",
    "Number": "remarkit.engine.sentences",
    "Sentence": "remarkit.engine.sentences",
    "number": "remarkit.engine.sentences",
    "ChecklistRegistry": "remarkit.engine.registry",
    "UnitRegistry": "remarkit.engine.registry",
    "AppliesFitted": "remarkit.engine.fitted",
    "Fitted": "remarkit.engine.fitted",
    "AppliedResult": "remarkit.engine.unit",
    "DerivedColumn": "remarkit.engine.unit",
    "Exclusion": "remarkit.engine.unit",
    "FigureRef": "remarkit.engine.unit",
    "Needs": "remarkit.engine.unit",
    "Unit": "remarkit.engine.unit",
    "UnitParams": "remarkit.engine.unit",
    "UnitResult": "remarkit.engine.unit",
}


def __getattr__(name: str) -> object:
    """Import a public engine name on first access and keep it as a module attribute."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'remarkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "BINARY_OUTCOME",
    "MISSING_OUTCOME",
    "MISSING_PREDICTOR",
    "MISSING_SCORE",
    "MISSING_SURVIVAL",
    "AnalysisPopulation",
    "AppliedResult",
    "AppliesFitted",
    "Checklist",
    "ChecklistItem",
    "ChecklistRegistry",
    "Cohort",
    "DerivedColumn",
    "Endpoint",
    "EvidenceRule",
    "Exclusion",
    "FigureRef",
    "Fitted",
    "InputError",
    "InputErrors",
    "Needs",
    "Number",
    "RemarkitError",
    "RemarkitWarning",
    "Sentence",
    "StatisticsError",
    "Unit",
    "UnitContext",
    "UnitParams",
    "UnitRegistry",
    "UnitResult",
    "__version__",
    "binary_population",
    "exclusion",
    "hookimpl",
    "merged",
    "number",
    "population",
    "survival_population",
    "unknown_outcome",
]
