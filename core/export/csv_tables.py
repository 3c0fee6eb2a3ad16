"""The report's numbers as CSV, unrounded, straight from results.json.

Mapping (also in docs/export.md), for the cohort (prefix ``cohort``) and for every unit that ran
(prefix: its id), walking its ``result`` (``figures`` left out; they are exported as files):

- the scalar fields, nested objects flattened with dots (``model.c_index``), and lists of
  scalars (as JSON text) go into ``PREFIX.csv`` with columns ``field,value``;
- every list of objects (rows) at field path ``F`` becomes ``PREFIX__F.csv``, one row per object,
  its columns the objects' fields in first-seen order (nested objects flattened with dots, lists
  of scalars as JSON text); a list of objects inside a row becomes ``PREFIX__F.G.csv`` with a
  first column ``parent_row``, the 0-based row of ``PREFIX__F.csv`` it belongs to.

Numbers are written at full precision (the shortest text that reads back to the same float),
missing values as empty cells, non-finite values as results.json spells them (``Infinity``,
``-Infinity``, ``NaN``), booleans as ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

SKIPPED_FIELDS = frozenset({"figures"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class CsvTable:
    """One CSV file: its name, columns and rows (already text)."""

    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)

    def text(self) -> str:
        """The CSV text (``\\n`` line ends, minimal quoting)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({c: row.get(c, "") for c in self.columns})
        return out.getvalue()


def cell(value: Any) -> str:
    """A results.json value as unrounded CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def is_rows(value: Any) -> bool:
    """Whether a value is a non-empty list of objects (a table)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def safe_name(text: str) -> str:
    """A file-name-safe form of a unit id or field path."""
    return _UNSAFE.sub("_", text).strip("_") or "unit"


class _Collector:
    def __init__(self, prefix: str) -> None:
        self.prefix = safe_name(prefix)
        self.values = CsvTable(f"{self.prefix}.csv", ["field", "value"])
        self.tables: dict[str, CsvTable] = {}

    def scalars(self, node: dict[str, Any], path: str) -> None:
        for key, value in node.items():
            if not path and key in SKIPPED_FIELDS:
                continue
            where = f"{path}.{key}" if path else key
            if isinstance(value, dict):
                self.scalars(value, where)
            elif is_rows(value):
                self.rows(value, where, None)
            else:
                self.values.rows.append({"field": where, "value": cell(value)})

    def rows(self, items: list[dict[str, Any]], path: str, parents: list[int] | None) -> None:
        table = self.tables.setdefault(path, CsvTable(f"{self.prefix}__{safe_name(path)}.csv"))
        if parents is not None and "parent_row" not in table.columns:
            table.columns.insert(0, "parent_row")
        children: dict[str, tuple[list[dict[str, Any]], list[int]]] = {}
        for item in items:
            index = len(table.rows)
            row: dict[str, str] = {} if parents is None else {"parent_row": str(parents.pop(0))}
            self._flatten(item, "", row, children, index)
            for column in row:
                if column not in table.columns:
                    table.columns.append(column)
            table.rows.append(row)
        for key, (child_items, child_parents) in children.items():
            self.rows(child_items, f"{path}.{key}", child_parents)

    def _flatten(
        self,
        node: dict[str, Any],
        path: str,
        row: dict[str, str],
        children: dict[str, tuple[list[dict[str, Any]], list[int]]],
        index: int,
    ) -> None:
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if isinstance(value, dict):
                self._flatten(value, where, row, children, index)
            elif is_rows(value):
                items, parents = children.setdefault(where, ([], []))
                items.extend(value)
                parents.extend([index] * len(value))
            else:
                row[where] = cell(value)


def tables_of(prefix: str, node: dict[str, Any]) -> list[CsvTable]:
    """The CSV tables of one result (or the cohort record), values table first."""
    collector = _Collector(prefix)
    collector.scalars(node, "")
    found = [collector.values] if collector.values.rows else []
    return found + list(collector.tables.values())


def results_tables(results: dict[str, Any]) -> dict[str, list[CsvTable]]:
    """Every CSV table of a run, keyed ``cohort`` and by unit id (units that ran only)."""
    out: dict[str, list[CsvTable]] = {"cohort": tables_of("cohort", results.get("cohort") or {})}
    for unit in results.get("units", []):
        result = unit.get("result")
        if unit.get("status") == "ok" and isinstance(result, dict):
            out[str(unit["id"])] = tables_of(str(unit["id"]), result)
    return out
