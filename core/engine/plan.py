"""Planner: validate every [[unit]] table, resolve dependencies, order units (reject cycles)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from remarkit.engine.load import pydantic_errors
from remarkit.engine.registry import UnitRegistry
from remarkit.engine.spec import Study
from remarkit.engine.spec_primary import primary_problems
from remarkit.engine.suggest import did_you_mean
from remarkit.engine.unit import Needs, Unit, UnitParams
from remarkit.errors import InputError, InputErrors


@dataclass(frozen=True)
class PlannedUnit:
    """A unit ready to run: its class, validated params, needs and upstream unit ids."""

    id: str
    unit_cls: type[Unit[Any, Any]]
    params: UnitParams
    needs: Needs
    depends_on: tuple[str, ...]


def plan_study(
    study: Study,
    registry: UnitRegistry,
    cohort_columns: set[str],
    *,
    spec_file: str,
    plugin_problems: list[str] | None = None,
    upstream: Sequence[PlannedUnit] = (),
) -> list[PlannedUnit]:
    """Return the units in a valid run order; raise :class:`InputErrors` with every problem.

    ``upstream``: units planned already (``remarkit apply``'s frozen pipeline); the study's units
    may use their columns, and they come first in the returned order.
    """
    errors: list[InputError] = []
    draft: dict[str, tuple[type[Unit[Any, Any]], UnitParams, Needs]] = {
        u.id: (u.unit_cls, u.params, u.needs) for u in upstream
    }
    for i, spec in enumerate(study.unit):
        field = f"unit[{i}]"
        if any(u.id == spec.id for u in upstream):
            errors.append(
                InputError(
                    f"unit id '{spec.id}' is a unit of the applied model; choose another id",
                    file=spec_file,
                    field=f"{field}.id",
                )
            )
            continue
        if spec.id in draft:
            errors.append(
                InputError(f"duplicate unit id '{spec.id}'", file=spec_file, field=f"{field}.id")
            )
            continue
        unit_cls = registry.units.get(spec.use)
        if unit_cls is None:
            known = ", ".join(sorted(registry.units)) or "none"
            broken = "; ".join(plugin_problems or [])
            hint = f"; plugins that failed to load: {broken}" if broken else ""
            guess = did_you_mean(spec.use, registry.units)
            errors.append(
                InputError(
                    f"unknown unit '{spec.use}'{guess} (known: {known}){hint}",
                    file=spec_file,
                    field=f"{field}.use",
                )
            )
            continue
        try:
            params = unit_cls.Params.model_validate(spec.params())
        except ValidationError as exc:
            errors.extend(
                pydantic_errors(
                    exc, file=spec_file, prefix=f"{field}({spec.id})", model=unit_cls.Params
                )
            )
            continue
        try:
            needs = unit_cls().needs(params)
        except Exception as exc:  # a plugin's needs() must not crash the CLI
            origin = registry.origins.get(unit_cls.name)
            errors.append(
                InputError(
                    f"unit '{spec.use}' ({origin or 'unknown origin'}) could not state its "
                    f"needs: {type(exc).__name__}: {exc}",
                    file=spec_file,
                    field=f"{field}({spec.id})",
                )
            )
            continue
        draft[spec.id] = (unit_cls, params, needs)
    planned: dict[str, PlannedUnit] = {}
    fixed = {u.id for u in upstream}
    for uid, (unit_cls, params, needs) in draft.items():
        if uid in fixed:
            _dependencies(uid, needs, study, draft, cohort_columns, spec_file, errors)
            continue
        deps = _dependencies(uid, needs, study, draft, cohort_columns, spec_file, errors)
        planned[uid] = PlannedUnit(uid, unit_cls, params, needs, tuple(deps))
    errors += primary_problems(study.study.primary, draft, cohort_columns, spec_file=spec_file)
    if errors:
        raise InputErrors(errors)
    return [*upstream, *_order(planned, spec_file, done=fixed)]


def _dependencies(
    uid: str,
    needs: Needs,
    study: Study,
    draft: dict[str, Any],
    cohort_columns: set[str],
    spec_file: str,
    errors: list[InputError],
) -> list[str]:
    field = f"unit({uid})"
    deps: list[str] = []
    for upstream in needs.units:
        if upstream not in draft:
            errors.append(
                InputError(
                    f"needs unit '{upstream}', which the study does not define",
                    file=spec_file,
                    field=field,
                )
            )
        elif upstream not in deps:
            deps.append(upstream)
    for column in needs.columns:
        if column in cohort_columns:
            continue
        prefix = column.split(".", 1)[0]
        if "." in column and prefix in draft:
            if prefix not in deps:
                deps.append(prefix)
        else:
            errors.append(
                InputError(
                    f"needs column '{column}', which is neither a declared cohort variable "
                    "nor a column of another unit",
                    file=spec_file,
                    field=field,
                )
            )
    for flag, section in (("images", study.images), ("genomics", study.genomics)):
        if getattr(needs, flag) and section is None:
            errors.append(
                InputError(
                    f"needs the [{flag}] section, which the study lacks",
                    file=spec_file,
                    field=field,
                )
            )
    if needs.outcome and study.cohort.outcome is None:
        errors.append(
            InputError(
                "needs the outcome ([cohort.outcome]), which the study lacks",
                file=spec_file,
                field=field,
            )
        )
    endpoints = study.cohort.all_endpoints()
    if needs.endpoint is not None and needs.endpoint not in endpoints:
        known = ", ".join(endpoints) or "none"
        errors.append(
            InputError(
                f"needs endpoint '{needs.endpoint}', which the study does not declare "
                f"(endpoints: {known})",
                file=spec_file,
                field=field,
            )
        )
    elif needs.survival and needs.endpoint is None and study.cohort.default_endpoint() is None:
        what = (
            "[cohort.survival] or [cohort.endpoints.NAME], which the study lacks"
            if not endpoints
            else f"an endpoint named in its parameters (the study declares {', '.join(endpoints)})"
        )
        errors.append(InputError(f"needs {what}", file=spec_file, field=field))
    return deps


def _order(
    planned: dict[str, PlannedUnit], spec_file: str, done: set[str] | None = None
) -> list[PlannedUnit]:
    """Kahn's algorithm, keeping the spec's order among ready units (deterministic)."""
    remaining = dict(planned)
    done = set(done or ())
    order: list[PlannedUnit] = []
    while remaining:
        ready = [u for u in remaining.values() if set(u.depends_on) <= done]
        if not ready:
            cycle = " -> ".join(_find_cycle(remaining))
            raise InputErrors(
                [
                    InputError(
                        f"units depend on each other in a cycle: {cycle}",
                        file=spec_file,
                        field="unit",
                    )
                ]
            )
        for unit in ready:
            order.append(unit)
            done.add(unit.id)
            del remaining[unit.id]
    return order


def _find_cycle(remaining: dict[str, PlannedUnit]) -> list[str]:
    """Follow dependencies among units that cannot be ordered until one repeats."""
    path: list[str] = []
    node = sorted(remaining)[0]
    while node not in path:
        path.append(node)
        node = next(d for d in remaining[node].depends_on if d in remaining)
    return [*path[path.index(node) :], node]
