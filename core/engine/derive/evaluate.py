"""Derive a cohort's variables and check plausible ranges (``remarkit run``, ``validate``, ``apply``).

``remarkit run`` evaluates the study's ``[cohort.derived.NAME]`` rules in declaration order.
``remarkit apply`` first re-applies the training run's derivations (read from its results.json,
standardisations with the training mean and SD, never refitted), then the new study's own rules;
a rule of the new study with a training derivation's name must equal the training rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from remarkit.engine.cohort import Cohort
from remarkit.engine.derive import rules
from remarkit.engine.derive.expression import ExpressionError, names, parse
from remarkit.engine.derive.methods import methods_paragraph
from remarkit.engine.derive.ranges import check_range_spec, declared_range_errors, out_of_range
from remarkit.engine.derive.records import (
    AnyRecord,
    CutRecord,
    Derivation,
    RangeWarning,
    StandardizeRecord,
)
from remarkit.engine.derive.regroup import regroup
from remarkit.engine.derive.spec import (
    RULES,
    CutSpec,
    ExpressionSpec,
    RegroupSpec,
    RuleSpec,
    StandardizeSpec,
    TransformSpec,
    field_of,
    parse_rules,
)
from remarkit.engine.spec import Study
from remarkit.errors import InputError


def derived_names(study: Study, frozen: Sequence[AnyRecord] = ()) -> set[str]:
    """Names of the derived variables a study will have (its own and a training run's)."""
    return set(study.cohort.derived) | {r.name for r in frozen}


def spec_of(record: AnyRecord) -> RuleSpec:
    """The rule a record was derived by (its spec fields; breaks back to numbers)."""
    model = RULES[record.rule]
    data = {k: v for k, v in record.model_dump().items() if k in model.model_fields}
    if isinstance(record, CutRecord) and record.breaks is not None:
        data["breaks"] = [float(b) for b in record.breaks]
    return model.model_validate(data)


def _uses(spec: RuleSpec) -> list[str]:
    if isinstance(spec, ExpressionSpec):
        try:
            return names(parse(spec.expression))
        except ExpressionError:
            return []
    return [spec.variable]


def derive_cohort(
    study: Study,
    cohort: Cohort | None,
    *,
    frozen: Sequence[AnyRecord] = (),
    spec_file: str | None = None,
) -> tuple[Cohort | None, list[InputError]]:
    """The cohort with its derived variables added and ranges checked, and every problem.

    With ``cohort`` None (the table did not validate) only the spec is checked.
    """
    variables = study.cohort.variables
    declared, errors = parse_rules(study.cohort.derived, file=spec_file, reserved=set(variables))
    errors += [replace_file(e, spec_file) for e in declared_range_errors(variables)]
    for name, spec in declared.items():
        if not isinstance(spec, CutSpec | RegroupSpec):
            problem = check_range_spec(field_of(name, "range"), "continuous", spec.range)
            if problem is not None:
                errors.append(replace_file(problem, spec_file))
    plan: list[tuple[str, RuleSpec, AnyRecord | None]] = []
    for fitted in frozen:
        spec = spec_of(fitted)
        mine = declared.pop(fitted.name, None)
        if mine is not None and mine != spec:
            errors.append(
                InputError(
                    f"differs from the training run's rule for '{fitted.name}'; remove it "
                    "(apply re-uses the training derivation) or rename it",
                    file=spec_file,
                    field=field_of(fitted.name),
                )
            )
        if fitted.name in variables:
            errors.append(
                InputError(
                    f"'{fitted.name}' is a derived variable of the training run; the new "
                    "cohort may not declare a column of that name",
                    file=spec_file,
                    field=f"cohort.variables.{fitted.name}",
                )
            )
        plan.append((fitted.name, spec, fitted))
    plan += [(name, spec, None) for name, spec in declared.items()]
    if cohort is None or errors:
        return None, errors
    file = str(study.resolve(study.cohort.table))
    warnings: list[RangeWarning] = []
    for name, var in variables.items():
        if var.range is not None:
            _range(
                cohort.data[name],
                name,
                var.range,
                var.on_out_of_range,
                errors,
                warnings,
                column=name,
                field=None,
                file=file,
            )
    frame = cohort.data.copy()
    records: list[AnyRecord] = []
    failed: set[str] = set()
    for i, (name, spec, record) in enumerate(plan):
        if failed & set(_uses(spec)):
            failed.add(name)
            continue
        later = [n for n, _, _ in plan[i + 1 :]]
        try:
            series, made = _evaluate(name, spec, frame, later, cohort.train, record)
        except rules.DeriveError as exc:
            where = "training run's " if record is not None else ""
            errors.append(
                InputError(
                    (f"re-applying the {where}derivation: " if record is not None else "")
                    + exc.message,
                    file=spec_file,
                    field=field_of(name, exc.sub),
                )
            )
            failed.add(name)
            continue
        frame[name] = series
        records.append(made)
        if not isinstance(spec, CutSpec | RegroupSpec) and spec.range is not None:
            _range(
                series,
                name,
                spec.range,
                spec.on_out_of_range,
                errors,
                warnings,
                column=None,
                field=field_of(name, "range"),
                file=spec_file,
            )
    if errors:
        return None, errors
    derivation = Derivation(records=records, range_warnings=warnings)
    derivation = replace(derivation, methods=methods_paragraph(derivation, cohort))
    missing = dict(cohort.missing_counts)
    missing.update({r.name: r.n_missing for r in records})
    return replace(cohort, data=frame, missing_counts=missing, derivation=derivation), []


def _evaluate(
    name: str,
    spec: RuleSpec,
    frame: pd.DataFrame,
    later: list[str],
    train: pd.Series,
    record: AnyRecord | None,
) -> tuple[pd.Series, AnyRecord]:
    if isinstance(spec, CutSpec):
        return rules.cut(name, spec, frame, later)
    if isinstance(spec, RegroupSpec):
        return regroup(name, spec, frame, later)
    if isinstance(spec, TransformSpec):
        return rules.transform(name, spec, frame, later)
    if isinstance(spec, StandardizeSpec):
        frozen = record if isinstance(record, StandardizeRecord) else None
        return rules.standardize(name, spec, frame, later, train, frozen)
    return rules.expression(name, spec, frame, later)


def _range(
    values: pd.Series,
    name: str,
    bounds: tuple[float, float],
    action: str,
    errors: list[InputError],
    warnings: list[RangeWarning],
    *,
    column: str | None,
    field: str | None,
    file: str | None,
) -> None:
    found = out_of_range(values, name, bounds, action, column=column, field=field, file=file)
    if isinstance(found, InputError):
        errors.append(found)
    elif found is not None:
        warnings.append(found)


def replace_file(error: InputError, file: str | None) -> InputError:
    """``error`` naming ``file`` (the spec) when it names none."""
    if error.file is not None or file is None:
        return error
    return InputError(
        error.message, file=file, row=error.row, column=error.column, field=error.field
    )
