"""remarkit: reproducible, REMARK-compliant reports for tumour-marker prognostic studies.

The public API for plugin authors: ``hookimpl``, ``Unit``, ``UnitParams``, ``UnitResult``,
``Needs``, ``DerivedColumn``, ``Exclusion``, ``AppliedResult``, ``FigureRef``, ``UnitContext`` and the error types.
"""

from remarkit._version import __version__
from remarkit.engine.context import UnitContext
from remarkit.engine.hookspecs import hookimpl
from remarkit.engine.registry import Checklist, ChecklistItem
from remarkit.engine.unit import (
    AppliedResult,
    AppliesFitted,
    DerivedColumn,
    Exclusion,
    FigureRef,
    Needs,
    Unit,
    UnitParams,
    UnitResult,
)
from remarkit.errors import (
    InputError,
    InputErrors,
    RemarkitError,
    RemarkitWarning,
    StatisticsError,
)

__all__ = [
    "AppliedResult",
    "AppliesFitted",
    "Checklist",
    "ChecklistItem",
    "DerivedColumn",
    "Exclusion",
    "FigureRef",
    "InputError",
    "InputErrors",
    "Needs",
    "RemarkitError",
    "RemarkitWarning",
    "StatisticsError",
    "Unit",
    "UnitContext",
    "UnitParams",
    "UnitResult",
    "__version__",
    "hookimpl",
]
