"""Evaluate a reporting checklist against a run's results: evidence, status, what is lacking.

An item is evidenced by units that ran successfully and list it in ``remark_items`` (and whose
result passes the item's ``check``, when it has one) and by the non-empty results.json fields the
item names (``ChecklistItem.fields``). Status:
``reported`` (evidenced, every named field filled), ``partial`` (evidenced, some named field
empty) or ``missing`` (no evidence; ``satisfy`` says what would satisfy it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from remarkit.engine.registry import Checklist, ChecklistItem
from remarkit.report.sections import (
    field_anchor,
    field_section,
    section_title,
    unit_anchor,
    unit_section,
)

Status = Literal["reported", "partial", "missing"]
STATUSES: tuple[Status, ...] = ("reported", "partial", "missing")


@dataclass(frozen=True)
class Evidence:
    """Where the report shows an item: a unit's result or a spec field, with its anchor."""

    kind: Literal["unit", "field"]
    label: str
    anchor: str
    section: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "label": self.label,
            "anchor": self.anchor,
            "section": self.section,
        }


@dataclass(frozen=True)
class ItemStatus:
    """An item with its status, its evidence and what it still lacks."""

    item: ChecklistItem
    status: Status
    evidence: tuple[Evidence, ...]
    lacking: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "number": self.item.number,
            "section": self.item.section,
            "topic": self.item.topic,
            "text": self.item.text,
            "status": self.status,
            "evidence": [e.as_dict() for e in self.evidence],
            "lacking": list(self.lacking),
            "satisfy": self.item.satisfy if self.status != "reported" else "",
        }


@dataclass(frozen=True)
class ChecklistStatus:
    """A whole checklist evaluated against one run."""

    checklist: Checklist
    items: tuple[ItemStatus, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Number of items per status, every status present."""
        found = Counter(i.status for i in self.items)
        return {status: found.get(status, 0) for status in STATUSES}

    @property
    def missing(self) -> list[ItemStatus]:
        """Items with no evidence."""
        return [i for i in self.items if i.status == "missing"]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.checklist.name,
            "title": self.checklist.title,
            "citation": self.checklist.citation,
            "counts": self.counts,
            "items": [i.as_dict() for i in self.items],
        }


def field_value(results: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of results.json, or None when absent."""
    node: Any = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def is_filled(value: Any) -> bool:
    """Whether a field holds something a reader can use (not None, blank, or empty)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return any(is_filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def evaluate_item(item: ChecklistItem, results: dict[str, Any]) -> ItemStatus:
    """Status of one item for one run."""
    evidence: list[Evidence] = []
    lacking: list[str] = []
    for path in item.fields:
        if is_filled(field_value(results, path)):
            evidence.append(
                Evidence("field", path, field_anchor(path), section_title(field_section(path)))
            )
        else:
            lacking.append(f"{path} is empty")
    for unit in results.get("units", []):
        if item.number not in unit.get("remark_items", []):
            continue
        why = item.check(unit) if item.check is not None and unit.get("status") == "ok" else None
        if why is not None:
            lacking.append(f"unit {unit['id']} ({unit['name']}): {why}")
        elif unit.get("status") == "ok":
            evidence.append(
                Evidence(
                    "unit",
                    f"{unit['id']} ({unit['name']})",
                    unit_anchor(str(unit["id"])),
                    section_title(unit_section(unit)),
                )
            )
        else:
            lacking.append(f"unit {unit['id']} ({unit['name']}) {unit.get('status')}")
    status: Status = "missing"
    if evidence:
        status = "partial" if any(e.endswith("is empty") for e in lacking) else "reported"
    return ItemStatus(item, status, tuple(evidence), tuple(lacking))


def evaluate(checklist: Checklist, results: dict[str, Any]) -> ChecklistStatus:
    """Evaluate every item of ``checklist`` in its number order."""
    items = sorted(checklist.items, key=lambda i: i.number)
    return ChecklistStatus(checklist, tuple(evaluate_item(i, results) for i in items))
