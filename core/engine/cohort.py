"""The validated cohort: typed columns indexed by patient id, plus derived columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from remarkit.engine.derive.records import Derivation
from remarkit.engine.semantic.records import SemanticSet
from remarkit.engine.spec import DEFAULT_ENDPOINT, CohortSpec, SurvivalSpec, VariableSpec
from remarkit.engine.unit import DerivedColumn
from remarkit.errors import InputError


@dataclass(frozen=True)
class Endpoint:
    """One time-to-event endpoint of the cohort: times and 0/1 events indexed by patient id.

    Patients without a time or an event indicator for this endpoint hold NaN; analyses of the
    endpoint leave them out (``complete``).
    """

    name: str
    spec: SurvivalSpec
    time: pd.Series
    event: pd.Series

    @property
    def label(self) -> str:
        """Display name: the spec's label, else the name."""
        return self.spec.label or self.name.replace("_", " ").capitalize()

    @property
    def complete(self) -> pd.Series:
        """Boolean mask of patients with both a time and an event indicator."""
        return self.time.notna() & self.event.notna()


@dataclass(frozen=True)
class Cohort:
    """Patients (rows, indexed by id) with typed variables and derived columns.

    ``data`` holds continuous variables as float and categorical ones as ordered pandas
    Categoricals whose first level is the reference. ``split`` is 'train'/'test'; ``outcome`` 0/1,
    NaN where it is missing (or the study has no binary outcome): analyses of the outcome leave
    those patients out (``outcome_known``), every other analysis keeps them.
    ``dropped_samples``: sample ids of rows left out by ``samples = "first"``.
    ``input_warnings``: problems of the table that are not errors, recorded in results.json.
    """

    data: pd.DataFrame
    split: pd.Series
    outcome: pd.Series
    spec: CohortSpec
    time: pd.Series | None = None
    event: pd.Series | None = None
    missing_counts: dict[str, int] = field(default_factory=dict)
    #: Per variable with ``not_applicable_when``: patients whose value is absent because the
    #: variable does not apply to them (not counted in ``missing_counts``).
    not_applicable: dict[str, pd.Series] = field(default_factory=dict)
    derived_kinds: dict[str, str] = field(default_factory=dict)
    #: Labels of derived columns ('<unit id>.<name>'), from their DerivedColumn.label.
    derived_labels: dict[str, str] = field(default_factory=dict)
    #: True for an external validation cohort scored by ``remarkit apply``: no training set,
    #: every patient in the 'test' split (name it with :meth:`set_label`).
    external: bool = False
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    #: Derived variables ([cohort.derived.NAME]) held in ``data``: rules, counts, range warnings.
    derivation: Derivation | None = None
    dropped_samples: tuple[str, ...] = ()
    #: Warnings about the cohort table itself (e.g. column names differing only in case).
    input_warnings: tuple[str, ...] = ()
    #: Semantic features ([cohort.semantic.NAME]): readers' levels, consensus records.
    semantic: SemanticSet | None = None

    def endpoint(self, name: str | None = None) -> Endpoint:
        """The named time-to-event endpoint, or the study's default one when ``name`` is None.

        Raises :class:`InputError` naming the endpoints the study declares when there is none.
        """
        key = name if name is not None else self.spec.default_endpoint()
        if (
            key == DEFAULT_ENDPOINT
            and key not in self.endpoints
            and self.spec.survival is not None
            and self.time is not None
            and self.event is not None
        ):  # a cohort built by hand with time and event only
            return Endpoint(key, self.spec.survival, self.time, self.event)
        if key is None or key not in self.endpoints:
            known = ", ".join(sorted(self.endpoints)) or "none"
            what = f"endpoint '{key}'" if key is not None else "a default endpoint"
            raise InputError(
                f"the study has no {what} (declared endpoints: {known})", field="cohort.endpoints"
            )
        return self.endpoints[key]

    @property
    def has_outcome(self) -> bool:
        """Whether the study declares a binary outcome ([cohort.outcome])."""
        return self.spec.outcome is not None

    @property
    def outcome_known(self) -> pd.Series:
        """Boolean mask of patients whose binary outcome is known."""
        return self.outcome.notna()

    @property
    def train(self) -> pd.Series:
        """Boolean mask of training patients."""
        return self.split == "train"

    @property
    def test(self) -> pd.Series:
        """Boolean mask of test patients."""
        return self.split == "test"

    @property
    def has_training_set(self) -> bool:
        """False for an external validation cohort (``remarkit apply``): every patient is 'test'."""
        return bool(self.train.any())

    def set_label(self, which: str) -> str:
        """Display name of a set: 'Whole cohort' ('all'), 'Training set' ('train'), 'Test set'
        ('test'), or 'External validation set' for the 'test' split of an external cohort
        (``remarkit apply``, :attr:`external`), whose patients are all in that split."""
        if which == "train":
            return "Training set"
        if which == "test":
            return "External validation set" if self.external else "Test set"
        return "Whole cohort"

    def split_name(self, split: str) -> str:
        """The same as :meth:`set_label` (its earlier name)."""
        return self.set_label(split)

    def variable(self, name: str) -> VariableSpec | None:
        """The spec of a declared, [cohort.derived] or [cohort.semantic] variable, else None."""
        found = self.spec.variables.get(name)
        if found is None and self.derivation is not None:
            found = self.derivation.variable(name)
        if found is None and self.semantic is not None:
            found = self.semantic.variable(name)
        return found

    def label(self, name: str) -> str:
        """Human-readable label of a column: a variable's declared label, a derived column's
        label (``DerivedColumn.label``), else the name itself."""
        var = self.variable(name)
        if var and var.label:
            return var.label
        return self.derived_labels.get(name) or name

    def with_derived(self, unit_id: str, columns: list[DerivedColumn]) -> Cohort:
        """Return a cohort with ``columns`` merged in as ``<unit_id>.<name>``."""
        data = self.data.copy()
        kinds = dict(self.derived_kinds)
        labels = dict(self.derived_labels)
        for col in columns:
            full = f"{unit_id}.{col.name}"
            if col.label:
                labels[full] = col.label
            series = pd.Series(col.values, index=pd.Index(col.ids, dtype=str), dtype=object)
            series = series.reindex(data.index)
            if col.kind == "continuous":
                data[full] = pd.to_numeric(series, errors="coerce").astype(float)
            else:
                levels: list[float | str] = (
                    list(col.levels)
                    if col.levels
                    else sorted({v for v in col.values if v is not None}, key=str)
                )
                data[full] = pd.Categorical(series, categories=levels, ordered=False)
            kinds[full] = col.kind
        return Cohort(
            data=data,
            split=self.split,
            outcome=self.outcome,
            spec=self.spec,
            time=self.time,
            event=self.event,
            missing_counts=self.missing_counts,
            not_applicable=self.not_applicable,
            derived_kinds=kinds,
            derived_labels=labels,
            external=self.external,
            endpoints=self.endpoints,
            derivation=self.derivation,
            dropped_samples=self.dropped_samples,
            input_warnings=self.input_warnings,
            semantic=self.semantic,
        )

    def fingerprint(self) -> str:
        """A stable hash of the typed cohort (data, split, outcome, survival)."""
        import hashlib

        digest = hashlib.sha256()
        frame = self.data.copy()
        frame["__split"] = self.split
        frame["__outcome"] = self.outcome
        if self.time is not None and self.event is not None:
            frame["__time"] = self.time
            frame["__event"] = self.event
        for name, endpoint in sorted(self.endpoints.items()):
            if name != self.spec.default_endpoint():
                frame[f"__time.{name}"] = endpoint.time
                frame[f"__event.{name}"] = endpoint.event
        digest.update(
            pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy().tobytes()
        )
        digest.update(",".join(map(str, frame.columns)).encode())
        if self.derivation is not None:
            digest.update(self.derivation.fingerprint().encode())
        if self.semantic is not None:
            digest.update(self.semantic.fingerprint().encode())
        return digest.hexdigest()


def categorical(values: pd.Series, spec: VariableSpec | None) -> pd.Categorical:
    """Make an unordered categorical whose first category is the reference level."""
    present = sorted({str(v) for v in values.dropna()}, key=_natural_key)
    levels = list(spec.levels) if spec and spec.levels else present
    if spec and spec.reference and spec.reference in levels:
        levels.remove(spec.reference)
        levels.insert(0, spec.reference)
    return pd.Categorical(values, categories=levels, ordered=False)


def _natural_key(text: str) -> tuple[float, str]:
    try:
        return (float(text), text)
    except ValueError:
        return (np.inf, text)
