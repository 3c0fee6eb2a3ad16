"""Registries handed to registration hooks; they reject duplicate names and remember origins."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from remarkit.engine.unit import FAMILIES, Unit
from remarkit.errors import RemarkitError


class RegistrationError(RemarkitError):
    """A plugin registered something invalid or a name that is already taken."""


@dataclass(frozen=True)
class PluginOrigin:
    """Where a registration came from: the built-in registry or an installed distribution."""

    plugin: str
    distribution: str
    version: str

    def __str__(self) -> str:
        return f"{self.distribution} {self.version} ({self.plugin})"


@dataclass
class UnitRegistry:
    """Unit classes by name, each with the plugin it came from."""

    units: dict[str, type[Unit[Any, Any]]] = field(default_factory=dict)
    origins: dict[str, PluginOrigin] = field(default_factory=dict)
    current_origin: PluginOrigin | None = None

    def add(self, unit: type[Unit[Any, Any]]) -> None:
        """Register ``unit``; a second unit with the same name is rejected, naming both origins."""
        origin = self.current_origin or PluginOrigin("unknown", "unknown", "")
        for attr in ("name", "family", "version", "Params", "Result"):
            if not hasattr(unit, attr):
                raise RegistrationError(
                    f"unit class {unit.__qualname__} from {origin} lacks '{attr}'"
                )
        if unit.family not in FAMILIES:
            raise RegistrationError(
                f"unit '{unit.name}' from {origin} has unknown family '{unit.family}'"
            )
        if unit.name in self.units:
            raise RegistrationError(
                f"unit name '{unit.name}' registered twice: by {self.origins[unit.name]} "
                f"and by {origin}"
            )
        self.units[unit.name] = unit
        self.origins[unit.name] = origin


#: Judges a results.json record (a unit's, or the whole run's): see :class:`ChecklistItem`.
RecordRule = Callable[[Mapping[str, Any]], str | None]
#: Whether something applies to a run, given the whole results.json.
RunPredicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class EvidenceRule:
    """A named requirement of a checklist item, judged against the whole results.json.

    ``judge`` returns None when the run meets ``requirement``, else why not. An item with rules
    is reported when all are met, partial when some are, missing when none are or when an
    ``essential`` rule is unmet (that rule then decides). A ``conditional`` rule is met
    vacuously when the run has nothing it asks about (no images, no survival endpoint), so it
    alone never makes an item partial.
    """

    id: str
    requirement: str
    judge: RecordRule
    essential: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item: its number, topic and the text of the recommendation.

    ``number`` is an int (REMARK 1..20) or a label with a sub-item letter (TRIPOD+AI ``"3a"``).
    ``fields`` are dotted paths into results.json (``study.objective``, ``cohort.flow``) whose
    non-empty values evidence the item. Units evidence it when they list its number in the
    checklist's ``claims_key`` list of their record (REMARK's ``remark_items``) or when they match
    one of ``units``: a unit name, ``family:<family>`` or ``kind:<result kind>``. ``sections``
    are report section keys (``methods``, ``provenance``) whose presence evidences it.
    ``satisfy`` tells the author what would satisfy the item when it is missing.
    ``check``, when given, judges each such unit's results.json record (with its ``result``):
    None when the unit's result does show the item, else why it does not (then it is no evidence).
    ``applies``, when given, says whether the item applies to a run at all (else it is "not
    applicable", e.g. TRIPOD+AI's evaluation-only items in a development study).
    ``rules``, when given, decide the status by content (see :class:`EvidenceRule`); the
    evidence links are still gathered as above.
    """

    number: int | str
    section: str
    topic: str
    text: str = ""
    fields: tuple[str, ...] = ()
    satisfy: str = ""
    check: RecordRule | None = None
    units: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    applies: RunPredicate | None = None
    rules: tuple[EvidenceRule, ...] = ()

    @property
    def label(self) -> str:
        """The item's number as printed (``"12"``, ``"3a"``)."""
        return str(self.number)


@dataclass(frozen=True)
class Checklist:
    """A reporting checklist (REMARK, TRIPOD+AI, ...) as data.

    ``claims_key``: the unit-record list in results.json whose item numbers units claim for this
    checklist (default ``remark_items``, the one list units declare; empty for checklists whose
    items units do not claim by number, such as TRIPOD+AI, CLEAR and CLAIM, which select units
    by name instead).
    ``applies``: whether the checklist applies to a run by default (None: always); a study can
    instead name its checklists in ``[study] checklists``.
    """

    name: str
    title: str
    citation: str
    items: tuple[ChecklistItem, ...]
    claims_key: str = "remark_items"
    applies: RunPredicate | None = None


@dataclass
class ChecklistRegistry:
    """Checklists by name, each with the plugin it came from."""

    checklists: dict[str, Checklist] = field(default_factory=dict)
    origins: dict[str, PluginOrigin] = field(default_factory=dict)
    current_origin: PluginOrigin | None = None

    def add(self, checklist: Checklist) -> None:
        """Register ``checklist``; duplicate names are rejected, naming both origins."""
        origin = self.current_origin or PluginOrigin("unknown", "unknown", "")
        if checklist.name in self.checklists:
            raise RegistrationError(
                f"checklist '{checklist.name}' registered twice: by "
                f"{self.origins[checklist.name]} and by {origin}"
            )
        self.checklists[checklist.name] = checklist
        self.origins[checklist.name] = origin
