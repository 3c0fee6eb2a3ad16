"""Check a study's cohort table against its spec and build the typed :class:`Cohort`.

Every problem is collected (not just the first) and each names the file, row and column.
Rows are numbered as a spreadsheet shows them: the header is row 1, the first patient row 2.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from remarkit.engine.applicability import applicability_errors, not_applicable_masks
from remarkit.engine.cohort import Cohort, Endpoint, categorical
from remarkit.engine.samples import first_samples
from remarkit.engine.semantic.read import (
    consensus_columns,
    read_semantic,
    required_columns,
    semantic_set,
    spec_errors,
)
from remarkit.engine.spec import CohortSpec, Study, SurvivalSpec
from remarkit.engine.spec_narrative import check_remark_variables
from remarkit.errors import InputError, InputErrors
from remarkit.io import not_finite, read_table, to_numeric
from remarkit.io.table import MAX_MAGNITUDE
from remarkit.text import name_ids

MAX_ROWS_NAMED = 5


def _rows(positions: list[int]) -> str:
    shown = name_ids([p + 2 for p in positions], MAX_ROWS_NAMED)
    return f"{'row' if len(positions) == 1 else 'rows'} {shown}"


def load_cohort(study: Study, *, external: bool = False) -> Cohort:
    """Read and validate the cohort table; raise :class:`InputErrors` with every problem.

    ``external``: an external validation cohort (``remarkit apply``): every patient is put in
    the 'test' split and a ``[cohort.split]`` table, if any, is ignored.
    """
    spec = study.cohort
    missing_tables = [
        InputError(
            f"the study has no [cohort.{name}] table ({what}); `remarkit run` {why}",
            field=f"cohort.{name}",
        )
        for name, what, why, absent in (
            (
                "split",
                "train/test column and labels",
                "fits on the training set and needs it",
                spec.split is None,
            ),
        )
        if absent and not external
    ]
    if missing_tables:
        raise InputErrors(missing_tables)
    path = study.resolve(spec.table)
    notes: list[str] = []
    try:
        table = read_table(path, missing=spec.missing, notes=notes)
    except InputError as exc:
        raise InputErrors([exc]) from exc
    errors: list[InputError] = []
    checker = _CohortChecker(table, spec, str(path), errors, external=external)
    cohort = checker.build()
    if cohort is not None and notes:
        cohort = replace(cohort, input_warnings=(*notes, *cohort.input_warnings))
    patients = len(table) if spec.samples == "error" else int(table[spec.id].nunique())
    errors.extend(check_flow(study, patients))
    declared = set(study.cohort.variables) | set(study.cohort.semantic) | set(study.cohort.derived)
    for field, problem in check_remark_variables(study.study.narrative.remark, declared):
        errors.append(InputError(problem, field=field))
    if errors or cohort is None:
        raise InputErrors(errors)
    return cohort


class _CohortChecker:
    def __init__(
        self,
        table: pd.DataFrame,
        spec: CohortSpec,
        file: str,
        errors: list[InputError],
        *,
        external: bool = False,
    ) -> None:
        self.external = external
        self.table = table
        self.spec = spec
        self.file = file
        self.errors = errors

    def error(self, message: str, *, column: str | None = None, field: str | None = None) -> None:
        self.errors.append(InputError(message, file=self.file, column=column, field=field))

    def build(self) -> Cohort | None:
        spec = self.spec
        required = {"cohort.id": spec.id}
        if spec.outcome is not None:
            required["cohort.outcome.column"] = spec.outcome.column
        if spec.split is not None and not self.external:
            required["cohort.split.column"] = spec.split.column
        for endpoint, surv in spec.all_endpoints().items():
            where = "cohort.survival" if spec.survival is surv else f"cohort.endpoints.{endpoint}"
            required[f"{where}.time"] = surv.time
            required[f"{where}.event"] = surv.event
        for name in spec.variables:
            required[f"cohort.variables.{name}"] = name
        required.update(required_columns(spec))
        self.errors.extend(spec_errors(spec, None))
        self.errors.extend(applicability_errors(spec, None))
        absent = False
        for field, column in required.items():
            if column not in self.table.columns:
                self.error(f"column '{column}' named in the spec is not in the table", field=field)
                absent = True
        if absent:
            return None
        ids = self.check_ids()
        split = self.check_split()
        outcome = self.check_outcome()
        data = self.typed_variables()
        endpoints = self.check_endpoints()
        semantic = read_semantic(self.table, spec, self.file, self.errors)
        if self.errors or ids is None or split is None or outcome is None or data is None:
            return None
        dropped: tuple[str, ...] = ()
        if spec.samples == "first":  # rows are samples: keep each patient's first row
            choice, problems = first_samples(self.table, spec, self.file, external=self.external)
            self.errors.extend(problems)
            if choice is None:
                return None
            keep, dropped = choice.keep, choice.dropped
            ids = [i for i, k in zip(ids, keep, strict=True) if k]
            split, outcome, data = split[keep], outcome[keep], data[keep]
            semantic = semantic.rows(keep)
            endpoints = {n: (t[keep], e[keep], s) for n, (t, e, s) in endpoints.items()}
        if self.spec.outcome is not None:
            self.check_events_per_split(split, outcome)
        if self.errors:
            return None
        index = pd.Index(ids, name=spec.id, dtype=str)
        for name, values in consensus_columns(spec, semantic).items():
            data[name] = values
        data.index = index
        missing_counts = {name: int(data[name].isna().sum()) for name in data.columns}
        not_applicable, applies_notes = not_applicable_masks(spec, data, outcome)
        for name, mask in not_applicable.items():
            missing_counts[name] -= int(mask.sum())
        typed_endpoints = {
            name: Endpoint(
                name=name,
                spec=surv,
                time=pd.Series(time.to_numpy(dtype=float), index=index, name="time"),
                event=pd.Series(event.to_numpy(dtype=float), index=index, name="event"),
            )
            for name, (time, event, surv) in endpoints.items()
        }
        default = typed_endpoints.get(spec.default_endpoint() or "")
        return Cohort(
            data=data,
            split=pd.Series(split.to_numpy(), index=index, name="split"),
            outcome=pd.Series(outcome.to_numpy(), index=index, name="outcome"),
            spec=spec,
            time=None if default is None else default.time,
            event=None if default is None else default.event,
            missing_counts=missing_counts,
            not_applicable=not_applicable,
            input_warnings=tuple(applies_notes),
            external=self.external,
            endpoints=typed_endpoints,
            dropped_samples=dropped,
            semantic=semantic_set(spec, semantic, index) if spec.semantic else None,
        )

    def check_ids(self) -> list[str] | None:
        ids = self.table[self.spec.id]
        missing = [int(i) for i in ids.isna().to_numpy().nonzero()[0]]
        if missing:
            self.error(f"patient id is missing in {_rows(missing)}", column=self.spec.id)
        dup_mask = ids.duplicated(keep=False) & ids.notna()
        if self.spec.samples == "first":  # several samples per patient: resolved in build()
            dup_mask &= False
        if dup_mask.any():
            dups = sorted(set(ids[dup_mask]))
            positions = [int(i) for i in dup_mask.to_numpy().nonzero()[0]]
            hint = (
                "; set samples = 'first' to keep each patient's first sample"
                if self.spec.sample is not None
                else ""
            )
            self.error(
                f"duplicate patient ids {', '.join(dups[:MAX_ROWS_NAMED])} in {_rows(positions)}"
                + hint,
                column=self.spec.id,
            )
        return None if missing or dup_mask.any() else [str(v) for v in ids]

    def check_split(self) -> pd.Series | None:
        split = self.spec.split
        if split is None or self.external:
            return pd.Series("test", index=self.table.index)
        values = self.table[split.column]
        labels = {split.train: "train", split.test: "test"}
        bad = [int(i) for i in (~values.isin(list(labels))).to_numpy().nonzero()[0]]
        if bad:
            seen = sorted({str(v) for v in values.iloc[bad]})
            self.error(
                f"split value(s) {seen} in {_rows(bad)} are neither the train label "
                f"'{split.train}' nor the test label '{split.test}'",
                column=split.column,
            )
        ok = True
        for label, field in (
            (split.train, "cohort.split.train"),
            (split.test, "cohort.split.test"),
        ):
            if not (values == label).any():
                self.error(f"split label '{label}' does not occur in the table", field=field)
                ok = False
        return values.map(labels) if ok and not bad else None

    def check_outcome(self) -> pd.Series | None:
        out = self.spec.outcome
        if out is None:  # an external cohort without outcomes: scored only
            return pd.Series(np.nan, index=self.table.index)
        values = self.table[out.column]
        levels = sorted({str(v) for v in values.dropna()})
        if out.positive not in levels:
            self.error(
                f"positive label '{out.positive}' does not occur (values: {levels})",
                field="cohort.outcome.positive",
            )
            return None
        if len(levels) != 2:
            self.error(f"outcome is not binary: {len(levels)} values {levels}", column=out.column)
            return None
        # a missing outcome is NaN: that patient is left out of the analyses of the outcome only
        return (values == out.positive).astype(float).where(values.notna())

    def typed_variables(self) -> pd.DataFrame | None:
        columns: dict[str, object] = {}
        for name, var in self.spec.variables.items():
            raw = self.table[name]
            if var.type == "continuous":
                numeric, bad = to_numeric(raw)
                if bad:
                    shown = ", ".join(repr(str(raw.iloc[i])) for i in bad[:3])
                    self.error(f"non-numeric value(s) {shown} in {_rows(bad)}", column=name)
                self.check_finite(raw, numeric, name, "value(s)")
                columns[name] = numeric
            else:
                if var.levels:
                    unknown = [
                        int(i)
                        for i in (raw.notna() & ~raw.isin(var.levels)).to_numpy().nonzero()[0]
                    ]
                    if unknown:
                        seen = sorted({str(raw.iloc[i]) for i in unknown})
                        self.error(
                            f"value(s) {seen} in {_rows(unknown)} are not among the declared "
                            f"levels {var.levels}",
                            column=name,
                        )
                elif var.reference is not None and not (raw == var.reference).any():
                    self.error(
                        f"reference level '{var.reference}' does not occur in the data",
                        field=f"cohort.variables.{name}.reference",
                    )
                columns[name] = categorical(raw, var)
        return pd.DataFrame(columns, index=self.table.index)

    def check_finite(
        self, raw: pd.Series, numeric: pd.Series, column: str, what: str, where: str = ""
    ) -> None:
        """Infinite values ('inf', '1e309') and values beyond MAX_MAGNITUDE are errors."""
        bad = not_finite(numeric)
        if bad:
            shown = ", ".join(repr(str(raw.iloc[i])) for i in bad[:3])
            self.error(
                f"non-finite {what} {shown} in {_rows(bad)}{where} (a value must be a finite number "
                f"of magnitude at most {MAX_MAGNITUDE:g})",
                column=column,
            )

    def check_endpoints(self) -> dict[str, tuple[pd.Series, pd.Series, SurvivalSpec]]:
        """Every endpoint's times (numeric, >= 0; 0 allowed as in R's survival) and 0/1 events."""
        found: dict[str, tuple[pd.Series, pd.Series, SurvivalSpec]] = {}
        for name, surv in self.spec.all_endpoints().items():
            time, bad = to_numeric(self.table[surv.time])
            if bad:
                self.error(
                    f"non-numeric survival time of endpoint '{name}' in {_rows(bad)}",
                    column=surv.time,
                )
            self.check_finite(
                self.table[surv.time],
                time,
                surv.time,
                "survival time(s)",
                f" of endpoint '{name}'",
            )
            negative = [int(i) for i in ((time < 0) & (time > -np.inf)).to_numpy().nonzero()[0]]
            if negative:
                self.error(
                    f"negative survival time of endpoint '{name}' in {_rows(negative)}",
                    column=surv.time,
                )
            raw_event = self.table[surv.event]
            event = (raw_event == surv.event_value).astype(float).where(raw_event.notna())
            others = sorted({str(v) for v in raw_event.dropna()} - {surv.event_value, "0"})
            if others:
                positions = [int(i) for i in raw_event.isin(others).to_numpy().nonzero()[0]]
                self.error(
                    f"event values {others} in {_rows(positions)} are neither "
                    f"'{surv.event_value}' (event) nor '0' (censored)",
                    column=surv.event,
                )
            found[name] = (time, event, surv)
        return found

    def check_events_per_split(self, split: pd.Series, outcome: pd.Series) -> None:
        """Each split needs events and non-events among its patients with a known outcome."""
        assert self.spec.outcome is not None
        for label in ("test",) if self.external else ("train", "test"):
            part = outcome[split == label].dropna()
            name = "external cohort" if self.external else f"{label} split"
            if part.sum() == 0:
                self.error(
                    f"the {name} has no events ('{self.spec.outcome.positive}')",
                    column=self.spec.outcome.column,
                )
            elif part.sum() == len(part):
                self.error(
                    f"the {name} has no non-events (every patient is "
                    f"'{self.spec.outcome.positive}')",
                    column=self.spec.outcome.column,
                )


def check_flow(study: Study, n_rows: int) -> list[InputError]:
    """Check that every patient-flow step reconciles and the flow ends at the cohort's size.

    An ``excluded`` step leaves the previous count minus the excluded; a step's ``n`` must equal
    what the steps before it leave (the arithmetic since the last ``n`` is shown when not).
    """
    steps = study.cohort.flow
    if not steps:
        return []
    errors: list[InputError] = []
    current: int | None = None
    arithmetic = ""
    for i, step in enumerate(steps):
        field = f"cohort.flow[{i}]"
        if step.n is None and step.excluded is None:
            errors.append(InputError("a flow step needs 'n' or 'excluded'", field=field))
            continue
        if current is None:
            if step.n is None:  # nothing after it can be reconciled
                errors.append(InputError("the first flow step must give 'n'", field=field))
                return errors
            if step.excluded is None:
                current, arithmetic = step.n, str(step.n)
                continue
        if current is not None and step.excluded is not None:
            current -= step.excluded
            arithmetic += f" - {step.excluded}"
        if step.n is not None and current is not None and step.n != current:
            shown = f"{arithmetic} = {current}" if " - " in arithmetic else arithmetic
            hint = (
                f" (add an 'excluded' step for the {current - step.n} patient(s))"
                if step.excluded is None and step.n < current
                else ""
            )
            errors.append(
                InputError(
                    f"step '{step.label}' gives n = {step.n} but the steps before it leave "
                    f"{shown}{hint}",
                    field=field,
                )
            )
        if step.n is not None:
            current, arithmetic = step.n, str(step.n)
    if current is not None and current != n_rows:
        errors.append(
            InputError(
                f"the patient flow ends at {current} patients but the cohort table has {n_rows}",
                field="cohort.flow",
            )
        )
    return errors
