"""Evaluate a reporting checklist against a run's results: evidence, status, what is lacking.

An item is evidenced by units that ran successfully and claim it (they list its number in the
checklist's ``claims_key`` list, REMARK's ``remark_items``, or match one of the item's ``units``
selectors), whose result passes the item's ``check`` when it has one; by the non-empty
results.json fields the item names (``ChecklistItem.fields``); and by the report sections it
names. An item with evidence rules (``ChecklistItem.rules``, REMARK's) takes its status from
them: reported when all are met, partial when some are, missing when none are or an essential
rule is unmet; ``lacking`` then lists each unmet rule with why. Otherwise the status is
``reported`` (evidenced, every named field filled), ``partial`` (evidenced, some
named field empty), ``missing`` (no evidence; ``satisfy`` says what would satisfy it) or
``not_applicable`` (the item's ``applies`` rule says the run has nothing it asks about).

Which checklists apply to a run: the names in ``[study] checklists`` when given, else every
registered checklist whose ``applies`` rule holds (REMARK always; TRIPOD+AI when a model was
fitted; CLEAR when radiomics ran; CLAIM when a deep-learning unit ran).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from remarkit.engine.registry import Checklist, ChecklistItem, EvidenceRule
from remarkit.errors import InputError
from remarkit.report.sections import (
    field_anchor,
    field_section,
    outline,
    section_anchor,
    section_title,
    unit_anchor,
    unit_section,
)

Status = Literal["reported", "partial", "missing", "not_applicable"]
STATUSES: tuple[Status, ...] = ("reported", "partial", "missing", "not_applicable")


@dataclass(frozen=True)
class Evidence:
    """Where the report shows an item: a unit's result or a spec field, with its anchor."""

    kind: Literal["unit", "field", "section"]
    label: str
    anchor: str
    section: str
    #: PDF pages the evidence covers (read back from report.pdf; empty when unknown).
    pages: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "label": self.label,
            "anchor": self.anchor,
            "section": self.section,
            "pages": list(self.pages),
        }


@dataclass(frozen=True)
class RuleOutcome:
    """One evidence rule judged against a run: met, or why not."""

    rule: EvidenceRule
    why: str | None

    @property
    def met(self) -> bool:
        """Whether the run meets the rule's requirement."""
        return self.why is None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.rule.id,
            "requirement": self.rule.requirement,
            "essential": self.rule.essential,
            "conditional": self.rule.conditional,
            "met": self.met,
            "why": self.why,
        }


@dataclass(frozen=True)
class ItemStatus:
    """An item with its status, its evidence and what it still lacks."""

    item: ChecklistItem
    status: Status
    evidence: tuple[Evidence, ...]
    lacking: tuple[str, ...]
    #: The item's evidence rules judged (empty for items without rules).
    rules: tuple[RuleOutcome, ...] = ()

    @property
    def decided_by(self) -> tuple[str, ...]:
        """Ids of the rules that decided the status (see :func:`rule_status`)."""
        return rule_status(self.rules)[1] if self.rules else ()

    @property
    def pages(self) -> tuple[int, ...]:
        """Every PDF page of the item's evidence, in order."""
        return tuple(sorted({p for e in self.evidence for p in e.pages}))

    @property
    def hint(self) -> str:
        """What would satisfy the item, when it is partial or missing."""
        return self.item.satisfy if self.status in ("partial", "missing") else ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "number": self.item.number,
            "label": self.item.label,
            "section": self.item.section,
            "topic": self.item.topic,
            "text": self.item.text,
            "status": self.status,
            "evidence": [e.as_dict() for e in self.evidence],
            "lacking": list(self.lacking),
            "satisfy": self.hint,
            "pages": list(self.pages),
            "rules": [r.as_dict() for r in self.rules],
            "decided_by": list(self.decided_by),
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


#: ``[study.narrative]`` statements beyond REMARK's, with their labels, in report order; the
#: report shows each one that is filled or that an applicable checklist asks for.
STATEMENTS: tuple[tuple[str, str], ...] = (
    ("abstract", "Abstract"),
    ("keywords", "Keywords"),
    ("background", "Background and rationale"),
    ("intended_use", "Intended use and users"),
    ("fairness", "Health inequalities and fairness"),
    ("data_preparation", "Data preparation and quality checks"),
    ("outcome_assessment", "Outcome assessment"),
    ("annotation", "Annotation and segmentation"),
    ("deidentification", "De-identification"),
    ("heterogeneity", "Heterogeneity between centres"),
    ("model_updating", "Model updating"),
    ("failure_analysis", "Failure analysis"),
    ("usability", "Use of the model in practice"),
    ("ethics", "Ethics approval and consent"),
    ("patient_involvement", "Patient and public involvement"),
    ("funding", "Funding"),
    ("conflicts", "Conflicts of interest"),
    ("protocol", "Protocol"),
    ("registration", "Registration"),
    ("data_availability", "Data availability"),
    ("code_availability", "Code availability"),
    ("model_availability", "Model availability"),
)


def statements_to_show(
    narrative: dict[str, Any], checklists: Sequence[Checklist]
) -> list[tuple[str, str]]:
    """The statements the report shows: filled, or asked for by one of ``checklists``."""
    asked = {f for c in checklists for i in c.items for f in i.fields}
    return [
        (key, label)
        for key, label in STATEMENTS
        if is_filled(narrative.get(key)) or f"study.narrative.{key}" in asked
    ]


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


def unit_matches(selector: str, unit: dict[str, Any]) -> bool:
    """Whether a unit record matches ``name``, ``family:<family>`` or ``kind:<result kind>``."""
    kind, _, value = selector.partition(":")
    if not value:
        return unit.get("name") == selector
    if kind == "family":
        return unit.get("family") == value
    if kind == "kind":
        result = unit.get("result")
        return isinstance(result, dict) and result.get("kind") == value
    return False


def ran(results: Any, *selectors: str) -> bool:
    """Whether a unit matching one of ``selectors`` ran successfully in ``results``."""
    return any(
        u.get("status") == "ok" and any(unit_matches(s, u) for s in selectors)
        for u in results.get("units", [])
    )


def _claims(checklist: Checklist | None, item: ChecklistItem, unit: dict[str, Any]) -> bool:
    key = checklist.claims_key if checklist is not None else "remark_items"
    if key and item.number in unit.get(key, []):
        return True
    return any(unit_matches(s, unit) for s in item.units)


def evaluate_item(
    item: ChecklistItem, results: dict[str, Any], checklist: Checklist | None = None
) -> ItemStatus:
    """Status of one item for one run (``checklist`` says which unit claims count)."""
    if item.applies is not None and not item.applies(results):
        return ItemStatus(item, "not_applicable", (), ())
    evidence: list[Evidence] = []
    lacking: list[str] = []
    status: Status
    for path in item.fields:
        if is_filled(field_value(results, path)):
            evidence.append(
                Evidence("field", path, field_anchor(path), section_title(field_section(path)))
            )
        else:
            lacking.append(f"{path} is empty")
    for unit in results.get("units", []):
        if not _claims(checklist, item, unit):
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
    if item.sections:
        present = {s.key for s in outline(results.get("units", []))}
        for key in item.sections:
            if key in present:
                title = section_title(key)
                evidence.append(Evidence("section", title, section_anchor(key), title))
    if item.rules:
        outcomes = tuple(RuleOutcome(r, r.judge(results)) for r in item.rules)
        lacking = [f"{o.rule.id}: {o.why}" for o in outcomes if o.why is not None] + [
            text for text in lacking if not text.endswith("is empty")
        ]
        status, _ = rule_status(outcomes)
        return ItemStatus(item, status, tuple(evidence), tuple(lacking), outcomes)
    status = "missing"
    if evidence:
        status = "partial" if any(e.endswith("is empty") for e in lacking) else "reported"
    return ItemStatus(item, status, tuple(evidence), tuple(lacking))


def rule_status(outcomes: Sequence[RuleOutcome]) -> tuple[Status, tuple[str, ...]]:
    """Status from judged rules, with the ids that decided it.

    An unmet essential rule makes the item missing (it decides); otherwise all met is reported
    (every rule decided), some met is partial and none met is missing (the unmet rules decide);
    conditional rules met do not count towards partial.
    """
    essential = tuple(o.rule.id for o in outcomes if o.rule.essential and not o.met)
    if essential:
        return "missing", essential
    unmet = tuple(o.rule.id for o in outcomes if not o.met)
    if not unmet:
        return "reported", tuple(o.rule.id for o in outcomes)
    some = any(o.met and not o.rule.conditional for o in outcomes)
    return ("partial" if some else "missing"), unmet


def item_key(item: ChecklistItem) -> tuple[int, str]:
    """Sort key of an item number: ``2 < 3a < 3b < 10``."""
    label = item.label
    digits = len(label) - len(label.lstrip("0123456789"))
    return (int(label[:digits]) if digits else 0, label[digits:])


def evaluate(checklist: Checklist, results: dict[str, Any]) -> ChecklistStatus:
    """Evaluate every item of ``checklist`` in its number order."""
    items = sorted(checklist.items, key=item_key)
    return ChecklistStatus(checklist, tuple(evaluate_item(i, results, checklist) for i in items))


def select_checklists(available: dict[str, Checklist], names: list[str]) -> list[Checklist]:
    """The checklists named (in the order given); InputError listing the available ones."""
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InputError(
            f"unknown checklist '{unknown[0]}' (available: {', '.join(sorted(available))})",
            field="--checklist",
        )
    return [available[n] for n in dict.fromkeys(names)]


def applicable_checklists(
    available: dict[str, Checklist], results: dict[str, Any]
) -> list[Checklist]:
    """The checklists that apply to a run (see the module docstring), REMARK first."""
    declared = [str(n) for n in (results.get("study") or {}).get("checklists") or []]
    if declared:
        unknown = [n for n in declared if n not in available]
        if unknown:
            raise InputError(
                f"unknown checklist '{unknown[0]}' (available: {', '.join(sorted(available))})",
                field="study.checklists",
            )
        chosen = list(dict.fromkeys(declared))
    else:
        chosen = [name for name, c in available.items() if c.applies is None or c.applies(results)]
    return [available[n] for n in sorted(chosen, key=lambda n: (n != "remark", n))]
