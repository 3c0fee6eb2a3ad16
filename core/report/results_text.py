"""The generated Results section: the units' sentences, numbers printed by the table filters.

Each unit record may carry ``sentences`` (see :mod:`remarkit.engine.sentences`): text with
placeholders and, per placeholder, raw numbers and the report filter that prints them. Here they
are printed with the very filters the tables use, grouped by topic, linked to the table that
holds the numbers (``Table N``), and marked exploratory when the study declared a primary
analysis ([study.primary]) they are not part of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from remarkit.engine.sentences import TOPICS
from remarkit.report.formatting import FILTERS, n_pct

#: Stands in the rendered body for the Results text, filled in once every table has its number.
PLACEHOLDER = Markup("<!--remarkit:results-text-->")
#: "p = <0.001" reads "p < 0.001" (a bound printed by the p filter after an equals sign).
_BOUND = re.compile(r"= (&lt;|&gt;)(?=\d)")
COHORT_TABLE = "Analysed cohort: patients and outcome events by split"
TOPIC_TITLES: dict[str, str] = {
    "cohort": "Patients",
    "marker": "The marker",
    "performance": "Model performance",
    "calibration": "Calibration",
    "survival": "Survival",
    "other": "Further results",
}


@dataclass(frozen=True)
class ResultLine:
    """One printed sentence: its HTML, the table it links to and whether it is exploratory."""

    html: Markup
    unit_id: str
    table: int | None
    exploratory: bool

    def markup(self) -> Markup:
        """The sentence with its table link and exploratory mark before the closing stop."""
        text = str(self.html).rstrip()
        stop = text[-1] if text and text[-1] in ".;:" else ""
        body = Markup(text[: len(text) - len(stop)])
        marks: list[Markup] = []
        if self.table is not None:
            marks.append(Markup('<a href="#table-{n}">Table {n}</a>').format(n=self.table))
        if self.exploratory:
            marks.append(Markup("<em>exploratory</em>"))
        if marks:
            body += Markup(" (") + Markup("; ").join(marks) + Markup(")")
        return body + Markup(stop)


def format_number(spec: dict[str, Any]) -> str:
    """One placeholder's text, printed by the report filter the sentence names."""
    name = str(spec["filter"])
    values = list(spec.get("values", []))
    if name == "int":
        return FILTERS["num"](values[0], 0)
    digits = spec.get("digits")
    args = [*values, digits] if digits is not None else values
    return FILTERS[name](*args)


def sentence_html(sentence: dict[str, Any]) -> Markup:
    """The sentence's text (escaped) with every placeholder's number printed."""
    numbers = {k: format_number(v) for k, v in sentence.get("numbers", {}).items()}
    html = Markup(escape(str(sentence["text"]))).format(**numbers)
    return Markup(_BOUND.sub(r"\1 ", str(html)))


def primary_columns(study: dict[str, Any]) -> tuple[str | None, frozenset[str]]:
    """The declared primary model's column and the primary comparison's columns."""
    primary = study.get("primary") or {}
    return primary.get("model"), frozenset(primary.get("comparison") or ())


def is_exploratory(about: list[str], study: dict[str, Any]) -> bool:
    """Whether a sentence on ``about`` falls outside the declared primary analysis."""
    model, comparison = primary_columns(study)
    if model is None or not about:
        return False
    return not (about == [model] or (comparison and set(about) == set(comparison)))


def cohort_line(cohort: dict[str, Any], table: int | None) -> ResultLine | None:
    """The cohort sentence, with the counts of the analysed-cohort table."""
    if cohort.get("external"):
        text = f"The external validation cohort comprised {cohort['n']} patients"
    else:
        text = (
            f"The analysis included {cohort['n']} patients: {cohort['n_train']} in the training "
            f"set and {cohort['n_test']} in the test set"
        )
    if cohort.get("positive"):
        outcome = cohort.get("positive_label") or f"{cohort['outcome']} = {cohort['positive']}"
        train = n_pct(cohort["events_train"], cohort["n_train"] - cohort["missing_outcome_train"])
        test = n_pct(cohort["events_test"], cohort["n_test"] - cohort["missing_outcome_test"])
        where = (
            f"{test} patients had the outcome ({outcome})"
            if cohort.get("external")
            else f"{train} training and {test} test patients had the outcome ({outcome})"
        )
        text += f"; {where}"
    return ResultLine(Markup(escape(text + ".")), "", table, False)


def results_lines(
    results: dict[str, Any],
    unit_tables: dict[tuple[str, int], int],
    captions: list[str],
    problems: list[str],
) -> dict[str, list[ResultLine]]:
    """The Results sentences by topic (in :data:`TOPICS` order), each linked to its table.

    A sentence that cannot be printed (a placeholder without its number) is left out and noted
    in ``problems``.
    """
    study = results.get("study", {})
    cohort_table = captions.index(COHORT_TABLE) + 1 if COHORT_TABLE in captions else None
    out: dict[str, list[ResultLine]] = {}
    first = cohort_line(results["cohort"], cohort_table)
    if first is not None:
        out["cohort"] = [first]
    for unit in results.get("units", []):
        if unit.get("status") != "ok":
            continue
        uid = str(unit["id"])
        for sentence in unit.get("sentences", []):
            k = int(sentence.get("table", 1))
            try:
                html = sentence_html(sentence)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                problems.append(f"unit {uid}: a Results sentence not printed: {exc!r}")
                continue
            line = ResultLine(
                html,
                uid,
                unit_tables.get((uid, k)) if k else None,
                is_exploratory(list(sentence.get("about", [])), study),
            )
            topic = str(sentence.get("topic", "other"))
            out.setdefault(topic if topic in TOPICS else "other", []).append(line)
    return {t: out[t] for t in TOPICS if t in out}
