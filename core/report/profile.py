"""The REMARK profile (Altman et al. 2012): patient flow and every analysis with its n and events.

An analysis's set(s), endpoint, n and events come from the populations its result declares
(``UnitResult.populations``: one row each, e.g. a cut-off fitted on the training set, then the
categories in each set); a result that declares none gives its ``n``/``events`` fields, else the
analysed cohort's counts are shown and marked so. The patients it left out, by reason ("missing
outcome", "missing predictor"), come from its result's ``exclusions``. The patients table lists
the events of the binary outcome and of every time-to-event endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from remarkit.engine.missing import describe
from remarkit.engine.population import BINARY, AnalysisPopulation
from remarkit.engine.unit import Exclusion
from remarkit.report.sections import section_title, unit_anchor, unit_section
from remarkit.text import name_ids


@dataclass(frozen=True)
class FlowRow:
    """A row of the profile's patient table."""

    label: str
    n: int | None
    remark: str


@dataclass(frozen=True)
class AnalysisRow:
    """A row of the profile's analysis table."""

    code: str
    unit_id: str
    name: str
    status: str
    n: int | None
    events: int | None
    counts_from: str
    analysis: str
    sets: str
    endpoint: str
    excluded: str
    variables: tuple[str, ...]
    section: str
    anchor: str


@dataclass(frozen=True)
class Profile:
    """The REMARK profile of one run."""

    markers: tuple[str, ...]
    variables: tuple[str, ...]
    patients: tuple[FlowRow, ...]
    analyses: tuple[AnalysisRow, ...]


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def _labels(results: dict[str, Any]) -> dict[str, str]:
    cohort = results.get("cohort", {})
    variables = cohort.get("variables", []) + cohort.get("derived", []) + cohort.get("semantic", [])
    return {v["name"]: v.get("label") or v["name"] for v in variables}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def analysis_variables(unit: dict[str, Any], results: dict[str, Any]) -> tuple[str, ...]:
    """Cohort variables and upstream derived columns named in a unit's parameters."""
    labels = _labels(results)
    units = {u["id"] for u in results.get("units", [])}
    found: list[str] = []
    for text in _strings(unit.get("params", {})):
        if text in labels:
            name = labels[text]
        elif "." in text and text.split(".", 1)[0] in units:
            name = text
        else:
            continue
        if name not in found:
            found.append(name)
    return tuple(found)


def patient_rows(cohort: dict[str, Any]) -> tuple[FlowRow, ...]:
    """Flow steps, then the analysed cohort with its splits and events."""
    rows = [
        FlowRow(
            step["label"],
            step.get("n") if step.get("n") is not None else step.get("excluded"),
            "remaining" if step.get("n") is not None else "excluded",
        )
        for step in cohort.get("flow", [])
    ]
    positive = cohort.get("positive", "")
    events = int(cohort["events_train"]) + int(cohort["events_test"])
    rows.append(FlowRow("Included in the analysis", int(cohort["n"]), "analysed cohort"))
    splits = (("test", "External validation set"),) if cohort.get("external") else SPLITS
    for split, name in splits:
        remark = f"{cohort[f'events_{split}']} {positive}" if positive else "no binary outcome"
        unknown = int(cohort.get(f"missing_outcome_{split}", 0))
        if positive and unknown:
            remark += f", {unknown} with a missing outcome"
        rows.append(FlowRow(name, int(cohort[f"n_{split}"]), remark))
    if positive:
        rows.append(
            FlowRow(
                f"With the outcome ({cohort.get('outcome', '')} = {positive})", events, "events"
            )
        )
        unknown = sum(int(cohort.get(f"missing_outcome_{s}", 0)) for s, _ in SPLITS)
        if unknown:
            rows.append(
                FlowRow(
                    "Outcome missing",
                    unknown,
                    "left out of the analyses of the outcome only",
                )
            )
    for endpoint in cohort.get("endpoints", []):
        rows.extend(_endpoint_rows(endpoint, external=bool(cohort.get("external"))))
    return tuple(rows)


def _endpoint_rows(endpoint: dict[str, Any], *, external: bool) -> list[FlowRow]:
    """The events of one time-to-event endpoint per set, and the patients without its data."""
    train, test = int(endpoint["events_train"]), int(endpoint["events_test"])
    n = int(endpoint["n_train"]) + int(endpoint["n_test"])
    remark = (
        f"of {n} with follow-up"
        if external
        else f"{train} of {endpoint['n_train']} training, {test} of {endpoint['n_test']} test"
    )
    rows = [FlowRow(f"{endpoint['label']}: events ({endpoint['event']} = 1)", train + test, remark)]
    if endpoint.get("missing"):
        rows.append(
            FlowRow(
                f"{endpoint['label']}: time or event missing",
                int(endpoint["missing"]),
                "left out of the analyses of this endpoint only",
            )
        )
    return rows


SPLITS = (("train", "Training set"), ("test", "Test set"))


def exclusion_notes(result: dict[str, Any] | None) -> list[str]:
    """A unit's notes on the patients it left out: n and events analysed, then each exclusion."""
    result = result or {}
    items = [Exclusion.model_validate(e) for e in result.get("exclusions") or []]
    if not items:
        return []
    n, events = _int(result.get("n")), _int(result.get("events"))
    notes = []
    if n is not None:
        notes.append(
            f"Analysed: {n} patients" + (f", {events} events" if events is not None else "") + "."
        )
    for item in items:
        scope = f"{item.scope}: " if item.scope else ""
        notes.append(
            f"{scope}{item.n} patient(s) left out for a {item.reason} ({name_ids(item.ids)})."
        )
    return notes


def excluded_phrase(result: dict[str, Any]) -> str:
    """The patients an analysis left out by reason, e.g. '3 for a missing outcome', or ''."""
    return describe(Exclusion.model_validate(e) for e in result.get("exclusions") or [])


def endpoint_names(cohort: dict[str, Any]) -> dict[str, str]:
    """Display name of each endpoint an analysis may declare: the outcome, then survival ones."""
    names = {"": ""}
    if cohort.get("positive"):
        names[BINARY] = (
            cohort.get("positive_label") or f"{cohort['outcome']} = {cohort['positive']}"
        )
    for endpoint in cohort.get("endpoints", []):
        names[endpoint["name"]] = f"{endpoint['label']} ({endpoint['event']})"
    return names


def set_names(cohort: dict[str, Any]) -> dict[str, str]:
    """Display name of each set an analysis may declare."""
    if cohort.get("external"):
        return {"test": "External validation set", "all": "External validation set", "train": ""}
    return {"train": "Training set", "test": "Test set", "all": "Whole cohort"}


def _population_rows(
    base: dict[str, Any], result: dict[str, Any], cohort: dict[str, Any]
) -> list[AnalysisRow]:
    populations = [AnalysisPopulation.model_validate(p) for p in result["populations"]]
    sets, endpoints = set_names(cohort), endpoint_names(cohort)
    rows = []
    for k, item in enumerate(populations):
        code = base["code"] + (chr(ord("a") + k) if len(populations) > 1 else "")
        rows.append(
            AnalysisRow(
                **{**base, "code": code},
                n=item.n,
                events=item.events,
                counts_from="analysis",
                analysis=item.analysis,
                sets=" and ".join(sets.get(s, s) for s in item.sets),
                endpoint=endpoints.get(item.endpoint, item.endpoint),
            )
        )
    return rows


def build_profile(results: dict[str, Any]) -> Profile:
    """The profile of a run (every unit that was planned, failed ones included)."""
    cohort = results["cohort"]
    default_n = int(cohort["n"])
    default_events = (
        int(cohort["events_train"]) + int(cohort["events_test"]) if cohort.get("positive") else None
    )
    analyses: list[AnalysisRow] = []
    for index, unit in enumerate(results.get("units", []), start=1):
        result = unit.get("result") or {}
        base: dict[str, Any] = {
            "code": f"A{index}",
            "unit_id": str(unit["id"]),
            "name": str(unit["name"]),
            "status": str(unit.get("status")),
            "excluded": excluded_phrase(result),
            "variables": analysis_variables(unit, results),
            "section": section_title(unit_section(unit)),
            "anchor": unit_anchor(str(unit["id"])),
        }
        if unit.get("status") == "ok" and result.get("populations"):
            analyses.extend(_population_rows(base, result, cohort))
            continue
        n, events = _int(result.get("n")), _int(result.get("events"))
        from_unit = n is not None
        if unit.get("status") != "ok":
            counts_from = "not run"
        else:
            counts_from = "analysis" if from_unit else "cohort"
            # a cohort-wide exclusion (no scope, e.g. every missing outcome) shrinks the cohort
            dropped = {
                i for e in result.get("exclusions") or [] if not e.get("scope") for i in e["ids"]
            }
            n = n if from_unit else default_n - len(dropped)
            events = events if events is not None or from_unit else default_events
        analyses.append(
            AnalysisRow(
                **base,
                n=n,
                events=events,
                counts_from=counts_from,
                analysis="",
                sets="",
                endpoint="",
            )
        )
    markers = tuple(results.get("study", {}).get("markers", []))
    return Profile(
        markers=markers,
        variables=tuple(_labels(results).values()),
        patients=patient_rows(cohort),
        analyses=tuple(analyses),
    )
