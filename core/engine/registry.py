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


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item: its number, topic and the text of the recommendation.

    ``fields`` are dotted paths into results.json (``study.objective``, ``cohort.flow``) whose
    non-empty values evidence the item; units evidence it by listing its number in their
    ``remark_items``. ``satisfy`` tells the author what would satisfy the item when it is missing.
    ``check``, when given, judges each such unit's results.json record (with its ``result``):
    None when the unit's result does show the item, else why it does not (then it is no evidence).
    """

    number: int
    section: str
    topic: str
    text: str
    fields: tuple[str, ...] = ()
    satisfy: str = ""
    check: Callable[[Mapping[str, Any]], str | None] | None = None


@dataclass(frozen=True)
class Checklist:
    """A reporting checklist (REMARK, ...) as data."""

    name: str
    title: str
    citation: str
    items: tuple[ChecklistItem, ...]


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
