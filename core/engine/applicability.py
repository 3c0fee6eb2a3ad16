"""Structural absences: the patients a variable does not apply to (``not_applicable_when``).

:func:`applicability_errors` checks the conditions against the spec (each names its field);
:func:`not_applicable_masks` gives, per variable, the patients whose value is absent because
the variable does not apply to them. The cohort's missing counts leave those patients out and
record them separately; a value present where the variable does not apply is kept, with a
warning.
"""

from __future__ import annotations

import pandas as pd

from remarkit.engine.spec import CohortSpec
from remarkit.engine.spec_applicability import NotApplicableWhen
from remarkit.errors import InputError


def _field(name: str, sub: str) -> str:
    return f"cohort.variables.{name}.not_applicable_when.{sub}"


def applicability_errors(spec: CohortSpec, file: str | None) -> list[InputError]:
    """Conditions naming an undeclared column, the variable itself, unknown levels or a cycle."""
    errors = []
    outcome = spec.outcome.column if spec.outcome is not None else None
    for name, var in spec.variables.items():
        rule = var.not_applicable_when
        if rule is None:
            continue
        other = spec.variables.get(rule.column)
        problem, sub = "", "column"
        if rule.column == name:
            problem = f"'{name}' cannot depend on itself"
        elif rule.column == outcome:
            pass  # the binary outcome: its positive value, or any other value for the negatives
        elif other is None:
            problem = (
                f"'{rule.column}' is not a declared variable ([cohort.variables]) nor the "
                "binary outcome's column"
            )
        elif _cycle(spec, name):
            problem = f"the conditions of '{name}' and '{rule.column}' depend on each other"
        elif other.type == "categorical" and other.levels is not None:
            unknown = [str(v) for v in rule.levels if str(v) not in other.levels]
            if unknown:
                problem, sub = (
                    f"{unknown} are not levels of '{rule.column}' {other.levels}",
                    "levels",
                )
        elif other.type == "continuous":
            bad = [v for v in rule.levels if not _is_number(v)]
            if bad:
                problem, sub = f"{bad} are not numbers ('{rule.column}' is continuous)", "levels"
        if problem:
            errors.append(InputError(problem, file=file, field=_field(name, sub)))
    return errors


def _cycle(spec: CohortSpec, name: str) -> bool:
    seen = {name}
    rule = spec.variables[name].not_applicable_when
    while rule is not None and rule.column in spec.variables:
        if rule.column in seen:
            return True
        seen.add(rule.column)
        rule = spec.variables[rule.column].not_applicable_when
    return False


def _is_number(value: str | float) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _condition(data: pd.DataFrame, rule: NotApplicableWhen) -> pd.Series:
    """Patients for whom the rule's column has one of its levels (a missing value: no)."""
    column = data[rule.column]
    if isinstance(column.dtype, pd.CategoricalDtype):
        held = column.astype(object).isin([str(v) for v in rule.levels])
    else:
        held = column.isin([float(v) for v in rule.levels])
    return held.fillna(False).astype(bool)


def not_applicable_masks(
    spec: CohortSpec, data: pd.DataFrame, outcome: pd.Series | None = None
) -> tuple[dict[str, pd.Series], list[str]]:
    """Per variable with a rule: patients whose value is absent because it does not apply.

    The variable does not apply where its rule's column has one of the rule's levels, and where
    that column itself does not apply (pathological response after no resection, resection
    after no response). The rule's column may be the binary outcome's (``outcome``: 0/1 by
    patient, NaN when missing): its positive value selects the patients with the outcome, any
    other value those without. Also returns warnings for values present where the variable
    does not apply (the values are kept).
    """
    applies_not: dict[str, pd.Series] = {}

    def condition(name: str) -> pd.Series | None:
        rule = spec.variables[name].not_applicable_when
        if rule is None or name not in data.columns:
            return None
        if name in applies_not:
            return applies_not[name]
        if rule.column in data.columns:
            held = _condition(data, rule)
            upstream = condition(rule.column) if rule.column in spec.variables else None
            if upstream is not None:
                held = held | (upstream & data[rule.column].isna())
        elif outcome is not None and spec.outcome is not None:
            wanted = [1.0 if str(v) == spec.outcome.positive else 0.0 for v in rule.levels]
            held = pd.Series(outcome.to_numpy(), index=data.index).isin(wanted)
        else:
            return None
        applies_not[name] = held
        return held

    masks: dict[str, pd.Series] = {}
    warnings: list[str] = []
    for name in spec.variables:
        held = condition(name)
        if held is None:
            continue
        masks[name] = held & data[name].isna()
        present = int((held & data[name].notna()).sum())
        if present:
            rule = spec.variables[name].not_applicable_when
            assert rule is not None
            shown = " or ".join(str(v) for v in rule.levels)
            warnings.append(
                f"{name}: {present} patient(s) have a value although it does not apply "
                f"({rule.column} = {shown}); the values are kept"
            )
    return masks, warnings
