"""The Discussion scaffold: limitations the results themselves show, for the authors to edit.

Each rule reads the typed results (as in results.json) and fires only when its trigger holds:

- events per variable below 10 in a fitted model (``epv`` of its result; a multivariable Cox
  model's events per model term);
- a small test set: fewer than 100 patients with the outcome, or an AUC CI wider than 0.2;
- a test-set calibration slope outside 0.8-1.2 (over- or underfitting);
- p-values not adjusted for multiplicity (a result with ``p_adjust = "none"``), and no declared
  primary analysis ([study.primary]: every result is exploratory);
- a single centre ([study.narrative] centres).

``[study.narrative] limitations`` replaces the list in the report when the authors give it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from remarkit.report.formatting import ci, num
from remarkit.report.sections import unit_anchor
from remarkit.report.software import unit_title

EPV_MIN = 10.0
TEST_EVENTS_MIN = 100
AUC_CI_WIDTH_MAX = 0.2
SLOPE_RANGE = (0.8, 1.2)
_SINGLE = re.compile(r"^\s*(1|one)\b|\b(single|mono)[- ]?(cent(re|er|ric)|institution|site)", re.I)


@dataclass(frozen=True)
class Limitation:
    """One limitation: its rule, the sentence (without its full stop) and its evidence's anchor."""

    rule: str
    text: str
    anchor: str = ""


def _ok(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for u in results.get("units", []) if u.get("status") == "ok" and u.get("result")]


def _events_per_variable(result: dict[str, Any]) -> float | None:
    """A model's events per variable: its ``epv``, or a Cox model's events per model term."""
    epv = result.get("epv")
    if isinstance(epv, int | float) and not isinstance(epv, bool):
        return float(epv)
    model = result.get("model")
    if result.get("kind") == "multivariable_cox" and isinstance(model, dict):
        terms = sum(len(v.get("terms", [])) for v in model.get("variables", []))
        return model["events"] / terms if terms else None
    return None


def _epv(units: list[dict[str, Any]]) -> list[Limitation]:
    out: list[Limitation] = []
    for unit in units:
        epv = _events_per_variable(unit["result"])
        if epv is not None and epv < EPV_MIN:
            out.append(
                Limitation(
                    "events_per_variable",
                    f"{unit_title(unit)} ({unit['id']}) was fitted with {num(epv, 1)} events per "
                    f"variable (fewer than {EPV_MIN:g}): its estimates may be overfitted",
                    unit_anchor(str(unit["id"])),
                )
            )
    return out


def _test_set(units: list[dict[str, Any]]) -> list[Limitation]:
    out: list[Limitation] = []
    for unit in units:
        result = unit["result"]
        if result.get("kind") != "discrimination":
            continue
        tests = [(s["label"], s["test"]) for s in result.get("scores", []) if s.get("test")]
        widths = [
            (t["auc_upper"] - t["auc_lower"], label, t)
            for label, t in tests
            if t.get("auc_lower") is not None and t.get("auc_upper") is not None
        ]
        if not widths:
            continue
        width, label, widest = max(widths, key=lambda w: w[0])
        events = min(t["n_cases"] for _, t in tests)
        if events >= TEST_EVENTS_MIN and width <= AUC_CI_WIDTH_MAX:
            continue
        lv = f"{100 * float(result.get('level', 0.95)):g}%"
        out.append(
            Limitation(
                "test_set_size",
                f"The test set is small ({widest['n']} patients, {events} with the outcome; "
                f"{TEST_EVENTS_MIN} events are advised for validation): the AUC of {label} has "
                f"a {lv} CI of {ci(widest['auc_lower'], widest['auc_upper'])} "
                f"(width {num(width)})",
                unit_anchor(str(unit["id"])),
            )
        )
    return out


def _calibration(units: list[dict[str, Any]]) -> list[Limitation]:
    out: list[Limitation] = []
    low, high = SLOPE_RANGE
    for unit in units:
        result = unit["result"]
        if result.get("kind") != "calibration":
            continue
        for model in result.get("models", []):
            for part in model.get("sets", []):
                slope = part.get("slope")
                if part.get("split") != "test" or slope is None or low <= slope <= high:
                    continue
                reading = (
                    "predictions are too extreme (overfitting)"
                    if slope < low
                    else "predictions are too moderate"
                )
                out.append(
                    Limitation(
                        "calibration_slope",
                        f"The calibration slope of {model['label']} in the test set is "
                        f"{num(slope)} (ideal 1): {reading}",
                        unit_anchor(str(unit["id"])),
                    )
                )
    return out


def _multiplicity(results: dict[str, Any], units: list[dict[str, Any]]) -> list[Limitation]:
    out: list[Limitation] = []
    raw = [u for u in units if u["result"].get("p_adjust") == "none"]
    if raw:
        names = ", ".join(f"{unit_title(u)} ({u['id']})" for u in raw)
        out.append(
            Limitation(
                "multiplicity",
                f"p-values are not adjusted for multiple comparisons in: {names}",
                unit_anchor(str(raw[0]["id"])),
            )
        )
    if not results.get("study", {}).get("primary"):
        out.append(
            Limitation(
                "no_primary",
                "No primary analysis was declared ([study.primary]): every result is "
                "exploratory and needs confirmation",
            )
        )
    return out


def _centres(results: dict[str, Any]) -> list[Limitation]:
    centres = str(results.get("study", {}).get("narrative", {}).get("centres", ""))
    if not _SINGLE.search(centres):
        return []
    return [
        Limitation(
            "single_centre",
            "All patients came from a single centre: the results may not generalise to other "
            "centres, scanners or populations",
        )
    ]


def limitations(results: dict[str, Any]) -> list[Limitation]:
    """The limitations the results show, in a fixed order (deterministic)."""
    units = _ok(results)
    return [
        *_epv(units),
        *_test_set(units),
        *_calibration(units),
        *_multiplicity(results, units),
        *_centres(results),
    ]
