"""The evaluators' sentences for the generated Results section (numbers as their tables print)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from remarkit import Sentence, number
from remarkit.plugins.evaluators._sets import result_set_name

if TYPE_CHECKING:
    from remarkit.plugins.evaluators.calibration import CalibrationUnitResult
    from remarkit.plugins.evaluators.discrimination import DiscriminationResult
    from remarkit.plugins.evaluators.model_comparison import ModelComparisonResult
    from remarkit.plugins.evaluators.survival_stratification import (
        SurvivalStratificationResult,
    )


def _level(level: float) -> str:
    return f"{100 * level:g}%"


def discrimination_sentences(result: DiscriminationResult) -> list[Sentence]:
    """One sentence per score: its AUC with CI in each set (the performance table)."""
    out: list[Sentence] = []
    lv = _level(result.level)
    for score in result.scores:
        parts: list[str] = []
        numbers = {}
        sets = [("train", score.train), ("test", score.test)]
        for split, perf in sets:
            if perf is None:
                continue
            name = result_set_name(result.set_names, split).lower()
            parts.append(
                f"{{auc_{split}}} ({lv} CI {{lo_{split}}} to {{hi_{split}}}; "
                f"n = {{n_{split}}}) in the {name}"
            )
            numbers[f"auc_{split}"] = number("num", perf.auc)
            numbers[f"lo_{split}"] = number("num", perf.auc_lower)
            numbers[f"hi_{split}"] = number("num", perf.auc_upper)
            numbers[f"n_{split}"] = number("int", perf.n)
        text = f"The AUC of {score.label} for {result.outcome} was " + " and ".join(parts) + "."
        out.append(
            Sentence(text=text, numbers=numbers, topic="performance", table=1, about=[score.column])
        )
    return out


def calibration_sentences(result: CalibrationUnitResult) -> list[Sentence]:
    """One sentence per model: calibration intercept, slope and Brier score in its last set."""
    out: list[Sentence] = []
    for model in result.models:
        if not model.sets:
            continue
        part = model.sets[-1]
        name = result_set_name(result.set_names, part.split).lower()
        out.append(
            Sentence(
                text=f"In the {name}, {model.label} had a calibration intercept of {{a}} and a "
                "slope of {b} (ideal 0 and 1) and a Brier score of {brier}.",
                numbers={
                    "a": number("num", part.intercept),
                    "b": number("num", part.slope),
                    "brier": number("num", part.brier, digits=3),
                },
                topic="calibration",
                table=1,
                about=[model.column],
            )
        )
    return out


def comparison_sentences(result: ModelComparisonResult) -> list[Sentence]:
    """The primary pair in each set, else the first model against each other in the last set."""
    rows = [c for c in result.comparisons if c.primary]
    splits = list(dict.fromkeys(c.split for c in result.comparisons))
    if not rows and splits:
        rows = [c for c in result.comparisons if c.split == splits[-1] and c.a == 0]
    tables = {s: i + 1 for i, s in enumerate(splits)}
    lv = _level(result.level)
    out: list[Sentence] = []
    for c in rows:
        a, b = result.models[c.a], result.models[c.b]
        name = result_set_name(result.set_names, c.split).lower()
        adjusted = result.p_adjust != "none" and not c.primary
        text = (
            f"In the {name}, the AUC of {a.label} differed from that of {b.label} by {{d}} "
            f"({lv} CI {{lo}} to {{hi}}; DeLong p = {{p}}"
            + ("; adjusted p = {padj}" if adjusted else "")
            + ")."
        )
        numbers = {
            "d": number("num", c.difference, digits=3),
            "lo": number("num", c.lower, digits=3),
            "hi": number("num", c.upper, digits=3),
            "p": number("p", c.p_value),
        }
        if adjusted:
            numbers["padj"] = number("p", c.p_adjusted)
        out.append(
            Sentence(
                text=text,
                numbers=numbers,
                topic="performance",
                table=tables[c.split],
                about=[a.column, b.column],
            )
        )
    return out


def survival_sentences(result: SurvivalStratificationResult) -> list[Sentence]:
    """One sentence per score and population: events, log-rank p and the HR with its CI."""
    out: list[Sentence] = []
    lv = _level(result.level)
    for score in result.scores:
        other = (
            score.negative_label
            if score.hr_reference == score.positive_label
            else score.positive_label
        )
        for pop in score.populations:
            if pop.hr is None:
                continue
            name = result_set_name(result.set_names, pop.population).lower()
            out.append(
                Sentence(
                    text=f"For {result.endpoint_label.lower() or 'survival'} in the {name} "
                    f"({{n}} patients, {{events}} events), the {other} group by {score.label} "
                    f"had a hazard ratio of {{hr}} ({lv} CI {{lo}} to {{hi}}) against the "
                    f"{score.hr_reference} group (log-rank p = {{p}}).",
                    numbers={
                        "n": number("int", pop.n),
                        "events": number("int", pop.events),
                        "hr": number("num", pop.hr),
                        "lo": number("num", pop.hr_lower),
                        "hi": number("num", pop.hr_upper),
                        "p": number("p", pop.logrank_p_value),
                    },
                    topic="survival",
                    table=1,
                    about=[score.column],
                )
            )
    return out
