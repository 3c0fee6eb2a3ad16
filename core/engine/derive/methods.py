"""The generated Methods paragraph describing the derived variables."""

from __future__ import annotations

from remarkit.engine.cohort import Cohort
from remarkit.engine.derive.records import (
    CutRecord,
    Derivation,
    ExpressionRecord,
    RegroupRecord,
    StandardizeRecord,
    TransformRecord,
)

_FUNCTION = {
    "log": "natural logarithm",
    "log2": "base-2 logarithm",
    "log10": "base-10 logarithm",
    "log1p": "natural logarithm of one plus the value",
    "sqrt": "square root",
}


def _label(name: str, cohort: Cohort, derivation: Derivation) -> str:
    var = cohort.spec.variables.get(name) or derivation.variable(name)
    return var.label if var is not None and var.label else name


def _unit(name: str, cohort: Cohort) -> str:
    var = cohort.spec.variables.get(name)
    return f" {var.unit}" if var is not None and var.unit else ""


def _g(value: float) -> str:
    return f"{value:.4g}"


def _reasons(
    record: CutRecord | RegroupRecord | TransformRecord | StandardizeRecord | ExpressionRecord,
) -> str:
    """Why derived values are missing beyond a missing input, as counted."""
    counts: list[tuple[int, str]] = []
    if isinstance(record, CutRecord):
        counts.append((record.n_outside, "outside the breaks"))
    elif isinstance(record, RegroupRecord):
        counts.append(
            (record.n_unmapped, f"level(s) not regrouped: {', '.join(record.unmapped_values)}")
        )
    elif isinstance(record, TransformRecord):
        counts.append((record.n_invalid, f"outside the domain of {record.function}"))
    elif isinstance(record, ExpressionRecord):
        counts.append((record.n_division_by_zero, "division by zero"))
        counts.append((record.n_invalid, "outside a function's domain"))
    return ", ".join(f"{n} {why}" for n, why in counts if n)


def _sentence(
    record: CutRecord | RegroupRecord | TransformRecord | StandardizeRecord | ExpressionRecord,
    cohort: Cohort,
    derivation: Derivation,
) -> str:
    head = f"{record.label} ({record.name})" if record.label else record.name
    if isinstance(record, ExpressionRecord):
        text = f"{head} was computed as {record.expression}"
    else:
        src = _label(record.variable, cohort, derivation)
        unit = _unit(record.variable, cohort)
        if isinstance(record, CutRecord):
            if record.threshold is not None:
                lo, hi = record.effective_labels
                text = (
                    f"{src} was dichotomised at {record.threshold:g}{unit} ({lo} vs {hi}) as {head}"
                )
            else:
                side = "right" if record.right else "left"
                lowest = (
                    ", the extreme interval closed on both sides" if record.include_lowest else ""
                )
                text = (
                    f"{src} was cut at {', '.join(record.effective_breaks)}{unit} into "
                    f"{', '.join(record.effective_labels)} (intervals closed on the {side}"
                    f"{lowest}) as {head}"
                )
        elif isinstance(record, RegroupRecord):
            groups = {
                lv: [k for k, v in record.assigned.items() if v == lv] for lv in record.levels or []
            }
            shown = "; ".join(f"{lv}: {', '.join(olds)}" for lv, olds in groups.items())
            text = f"{src} was regrouped as {head} ({shown})"
        elif isinstance(record, TransformRecord):
            text = f"{head} is the {_FUNCTION[record.function]} of {src}"
        else:
            where = (
                "the training set"
                if record.fitted_on == "training set"
                else "the training run's training set, re-applied unchanged"
            )
            text = (
                f"{head} is {src} standardised by the mean ({_g(record.mean)}) and SD "
                f"({_g(record.sd)}, n - 1; n = {record.n_fit}) of {where}"
            )
    if record.type == "categorical" and record.levels:
        text += f", reference {record.levels[0]}"
    if record.rationale:
        text += f" ({record.rationale})"
    if record.n_missing:
        reasons = _reasons(record)
        text += f"; {record.n_missing} patient(s) missing" + (f" ({reasons})" if reasons else "")
    return text + "."


def methods_paragraph(derivation: Derivation, cohort: Cohort) -> str:
    """One paragraph: every derived variable's rule, in declaration order, and range checks."""
    if not derivation.records and not derivation.range_warnings:
        return ""
    parts = [_sentence(r, cohort, derivation) for r in derivation.records]
    if derivation.records:
        parts.insert(
            0,
            f"{len(derivation.records)} variable(s) were derived by rules declared in the study "
            "file (evaluated in declaration order, applied identically to every patient):",
        )
    checked = [n for n, v in cohort.spec.variables.items() if v.range is not None]
    checked += [r.name for r in derivation.records if getattr(r, "range", None) is not None]
    if checked:
        parts.append(
            f"Plausible ranges were checked for {', '.join(checked)}"
            + (
                f" ({len(derivation.range_warnings)} variable(s) with values outside, kept "
                "as warned)."
                if derivation.range_warnings
                else "; no value was outside."
            )
        )
    return " ".join(parts)
