"""remarkit: reproducible, REMARK-compliant reports for tumour-marker prognostic studies.

The public API for plugin authors: ``hookimpl``, ``Unit``, ``UnitParams``, ``UnitResult``,
``Needs``, ``DerivedColumn``, ``Exclusion``, ``FigureRef``, ``UnitContext``, the ``apply`` API
(``AppliedResult``, ``Fitted``, ``AppliesFitted``), the registries the hooks receive
(``UnitRegistry``, ``ChecklistRegistry``, ``Checklist``, ``ChecklistItem``), Results sentences
(``Sentence``, ``number``) and the error types.

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
    from remarkit.engine.context import UnitContext
    from remarkit.engine.fitted import AppliesFitted, Fitted
    from remarkit.engine.hookspecs import hookimpl
    from remarkit.engine.registry import Checklist, ChecklistItem, ChecklistRegistry, UnitRegistry
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
    "AppliedResult",
    "AppliesFitted",
    "Checklist",
    "ChecklistItem",
    "ChecklistRegistry",
    "DerivedColumn",
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
    "hookimpl",
    "number",
]
