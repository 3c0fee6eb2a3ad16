"""The report's outline: sections in paper order, their anchors, and where spec fields appear."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from remarkit.engine.unit import REPORT_SECTIONS

RESULT_SECTIONS: dict[str, str] = dict(REPORT_SECTIONS)
FALLBACK_SECTION = "other"

#: Sections the compiler always writes, around the results sections.
STUDY, METHODS, DISCUSSION, CHECKLISTS, PROVENANCE = (
    "patients",
    "methods",
    "discussion",
    "checklists",
    "provenance",
)
FIXED_TITLES: dict[str, str] = {
    STUDY: RESULT_SECTIONS[STUDY],
    METHODS: "Methods",
    DISCUSSION: "Discussion",
    CHECKLISTS: "Reporting checklists",
    PROVENANCE: "Appendix: provenance",
}

#: The generated Results text (after the Methods, before the results sections).
RESULTS = "results"
FIXED_TITLES[RESULTS] = "Results"

#: The appendix of patient listings: units whose result holds a non-empty ``appendix`` list (e.g.
#: the readers' disagreements of semantic_agreement) show it there, by ``units/<kind>_appendix.html``.
APPENDIX = "appendix"
FIXED_TITLES[APPENDIX] = "Appendix: patient listings"

#: Spec fields shown in the Discussion; every other ``study.*``/``cohort.*`` field is shown in
#: the "Study and patients" section.
DISCUSSION_FIELDS = (
    "study.narrative.interpretation",
    "study.narrative.implications",
    "study.narrative.limitations",
)


def section_anchor(key: str) -> str:
    """The HTML id of a section."""
    return f"sec-{key}"


def unit_anchor(unit_id: str) -> str:
    """The HTML id of a unit's block."""
    return f"unit-{unit_id}"


def field_anchor(path: str) -> str:
    """The HTML id of the place a results.json field (``study.narrative.patients``) is shown."""
    return "f-" + path.replace(".", "-").replace("_", "-")


def field_section(path: str) -> str:
    """The key of the section that shows a spec field (the applied model: the provenance)."""
    if path == "applied_model":
        return PROVENANCE
    return DISCUSSION if path in DISCUSSION_FIELDS else STUDY


def unit_section(unit: dict[str, Any]) -> str:
    """The results section a unit record belongs to (unknown sections fall back to 'other')."""
    key = str(unit.get("section", ""))
    return key if key in RESULT_SECTIONS else FALLBACK_SECTION


def section_title(key: str) -> str:
    """The title of any section key."""
    return FIXED_TITLES.get(key) or RESULT_SECTIONS.get(key, key)


@dataclass
class Section:
    """One top-level section of the report, with its number and the units it shows."""

    key: str
    number: int
    title: str
    units: list[dict[str, Any]] = field(default_factory=list)
    #: Units whose patient listings this (appendix) section shows.
    listings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The section's HTML id."""
        return section_anchor(self.key)


def outline(units: list[dict[str, Any]]) -> list[Section]:
    """Sections in paper order; a results section appears only when one of its units ran.

    Order: study and patients, methods, the results sections of ``REPORT_SECTIONS``, discussion,
    reporting checklists, the appendix of patient listings (only when a unit that ran has one),
    provenance appendix. Units keep their run order within a section.
    """
    by_section: dict[str, list[dict[str, Any]]] = {}
    for unit in units:
        by_section.setdefault(unit_section(unit), []).append(unit)
    keys = [STUDY, METHODS, RESULTS]
    keys += [key for key, _ in REPORT_SECTIONS if key != STUDY and key in by_section]
    listings = [u for u in units if u.get("status") == "ok" and has_listing(u)]
    keys += [DISCUSSION, CHECKLISTS, *([APPENDIX] if listings else []), PROVENANCE]
    return [
        Section(
            key,
            number,
            section_title(key),
            by_section.get(key, []),
            listings if key == APPENDIX else [],
        )
        for number, key in enumerate(keys, start=1)
    ]


def has_listing(unit: dict[str, Any]) -> bool:
    """Whether a unit's result holds patient listings for the appendix."""
    result = unit.get("result")
    return isinstance(result, dict) and bool(result.get("appendix"))
