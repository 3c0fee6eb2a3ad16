"""The schema-versioned run record written as results.json."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema, to_json, to_jsonable_python

from remarkit.engine.cohort_counts import EndpointCount
from remarkit.engine.derive.records import DerivedRecord, RangeWarning
from remarkit.engine.semantic.records import SemanticRecord
from remarkit.engine.sentences import Sentence

#: 1.2: a unit's ``result_sha256`` binds the files it wrote (see :func:`bound_result_sha256`).
SCHEMA_VERSION = "1.2"
#: The run record every output folder holds (read by apply, audit and the report compiler).
RESULTS_FILE = "results.json"

#: How results.json, the cache and the JSON Schema write +inf, -inf and NaN: as these strings
#: (pydantic's ``ser_json_inf_nan="strings"``), which float fields read back losslessly. A bare
#: JSON ``null`` stays "no value" (None).
NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
NON_FINITE_NOTE = (
    "A float that is not finite is written as the string 'Infinity', '-Infinity' or 'NaN' "
    "(e.g. the unbounded upper confidence limit of a level with no events); null means no value."
)


def result_json(result: BaseModel) -> str:
    """The canonical JSON text of a unit result (cache entries, ``result_sha256``).

    Every non-finite float, in nested models and untyped values too, is written as one of the
    :data:`NON_FINITE` strings; ``Result.model_validate_json`` reads it back unchanged.
    """
    return to_json(result.model_dump(), inf_nan_mode="strings").decode("utf-8")


def stored_result_json(result: dict[str, Any]) -> str:
    """:func:`result_json`'s text again from a result as results.json stores it (parsed JSON)."""
    return to_json(result, inf_nan_mode="strings").decode("utf-8")


def bound_result_sha256(text: str, files: Sequence[UnitFile]) -> str:
    """A unit's ``result_sha256``: sha256 of its result JSON bound to every file it wrote.

    With files, the text is followed by one ``\n<sha256>  <path>`` line per file in path order,
    so a changed, added or removed file (or ``units[].files`` entry) changes the hash; without
    files it is the sha256 of the result JSON alone.
    """
    lines = "".join(f"\n{f.sha256}  {f.path}" for f in sorted(files, key=lambda f: f.path))
    return hashlib.sha256((text + lines).encode("utf-8")).hexdigest()


def results_document(results: RunResults) -> dict[str, Any]:
    """results.json as a JSON-ready dict (non-finite floats as :data:`NON_FINITE` strings)."""
    data: dict[str, Any] = to_jsonable_python(results.model_dump(), inf_nan_mode="strings")
    return data


def dump_results(results: RunResults) -> str:
    """The text of results.json: indented, strict JSON (no bare NaN/Infinity)."""
    return json.dumps(results_document(results), indent=2, allow_nan=False) + "\n"


class ResultsJsonSchema(GenerateJsonSchema):
    """JSON Schema generator for results.json: a float is a number or a :data:`NON_FINITE` string."""

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        """A number, or 'Infinity' / '-Infinity' / 'NaN' unless the field forbids them."""
        number = super().float_schema(schema)
        if schema.get("allow_inf_nan") is False:
            return number
        return {"anyOf": [number, {"type": "string", "enum": list(NON_FINITE)}]}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="strings")


class InputFile(_Model):
    """A file the run read, with its hash."""

    role: str = Field(description="What the file is (cohort table, image, MAF, ...)")
    path: str = Field(description="Path relative to the study file's folder when inside it")
    sha256: str = Field(description="sha256 of the file's bytes")


class UnitFile(_Model):
    """A file a unit wrote into its folder (figures, saved models), with its hash."""

    path: str = Field(description="Path relative to the output folder")
    sha256: str = Field(description="sha256 of the file's bytes")


class Execution(_Model):
    """Run-dependent facts about a unit's execution (excluded from determinism checks)."""

    seconds: float = Field(description="Wall time of the unit, in seconds")
    cache_hit: bool = Field(description="Whether the result came from the cache")


class UnitRecord(_Model):
    """One unit's entry: identity, parameters, status, typed result and provenance."""

    id: str = Field(description="Unit id in study.toml")
    name: str = Field(description="Registered unit name")
    title: str = Field(
        default="", description="The unit's human title (Methods and results headings)"
    )
    version: str = Field(description="Unit version")
    family: str = Field(description="Unit family")
    section: str = Field(description="Report section the result appears in")
    source: str = Field(description="Distribution that provided the unit, with its version")
    params: dict[str, Any] = Field(description="Validated parameters, defaults included")
    status: Literal["ok", "failed", "skipped"] = Field(description="Outcome of the unit")
    error: str | None = Field(default=None, description="Error message when failed or skipped")
    depends_on: list[str] = Field(description="Upstream unit ids")
    remark_items: list[int] = Field(description="REMARK items this unit's result evidences")
    result: dict[str, Any] | None = Field(default=None, description="The unit's typed result")
    result_sha256: str | None = Field(
        default=None,
        description="sha256 of the result JSON bound to the files the unit wrote (every "
        "'files' entry: path and sha256)",
    )
    methods: str = Field(default="", description="The unit's Methods paragraph")
    sentences: list[Sentence] = Field(
        default_factory=list,
        exclude_if=lambda v: not v,
        description="The unit's sentences of the generated Results section; absent when none",
    )
    citations: list[str] = Field(
        default_factory=list, description="References the unit asks the report to cite"
    )
    cache_key: str = Field(description="Content address of the result in the cache")
    inputs: list[InputFile] = Field(description="Files this unit read (fingerprints)")
    files: list[UnitFile] = Field(
        default_factory=list,
        description="Files the unit wrote (remarkit apply verifies saved models against them)",
    )
    execution: Execution = Field(description="Timing and cache facts (run-dependent)")


class FlowRecord(_Model):
    """A patient-flow step as reported."""

    label: str
    n: int | None = None
    excluded: int | None = None


class VariableRecord(_Model):
    """A declared cohort variable (a candidate variable, REMARK 8)."""

    name: str = Field(description="Column name in the cohort table")
    type: Literal["continuous", "categorical"] = Field(description="Variable type")
    label: str = Field(default="", description="Human-readable label")
    unit: str = Field(default="", description="Measurement unit")
    levels: list[str] | None = Field(default=None, description="Levels, reference first")


class CohortSummary(_Model):
    """Size, split, events and missing values of the analysed cohort."""

    n: int
    n_train: int
    n_test: int
    events_train: int = Field(description="Training patients with the positive outcome")
    events_test: int = Field(description="Test patients with the positive outcome")
    missing_outcome_train: int = Field(
        default=0,
        description="Training patients whose binary outcome is missing (left out of the analyses "
        "of the outcome, kept in every other analysis); 0 when the study has no outcome",
    )
    missing_outcome_test: int = Field(
        default=0,
        description="Test (or external) patients whose binary outcome is missing; 0 when the "
        "study has no outcome",
    )
    dropped_samples: list[str] = Field(
        default_factory=list,
        description="Sample ids of the cohort rows left out by samples = 'first' (a patient's "
        "later samples)",
    )
    external: bool = Field(
        default=False, description="An external validation cohort (remarkit apply): no split"
    )
    outcome: str
    positive: str
    positive_label: str = Field(
        default="", description="Name of the positive outcome level (its label, not a raw code)"
    )
    missing: dict[str, int] = Field(
        description="Missing values per variable (absences where it does not apply excluded)"
    )
    not_applicable: dict[str, int] = Field(
        default_factory=dict,
        description="Per variable with not_applicable_when: patients it does not apply to whose "
        "value is absent (not missing)",
    )
    flow: list[FlowRecord] = Field(default_factory=list)
    variables: list[VariableRecord] = Field(
        default_factory=list, description="Declared variables, in the spec's order"
    )
    derived: list[DerivedRecord] = Field(
        default_factory=list,
        description="Derived variables ([cohort.derived.NAME]) in evaluation order: rule, "
        "counts and fitted values (remarkit apply re-applies them)",
    )
    range_warnings: list[RangeWarning] = Field(
        default_factory=list,
        description="Values outside a plausible range accepted with on_out_of_range = 'warning'",
    )
    derived_methods: str = Field(
        default="", description="Methods paragraph describing the derived variables"
    )
    input_warnings: list[str] = Field(
        default_factory=list,
        description="Warnings about the cohort table that are not errors (e.g. column names "
        "differing only in case)",
    )
    semantic: list[SemanticRecord] = Field(
        default_factory=list,
        description="Semantic features ([cohort.semantic.NAME]): readers, levels, consensus rule "
        "and counts (disagreements, adjudicated patients)",
    )
    semantic_methods: str = Field(
        default="", description="Methods paragraph describing the semantic features' consensus"
    )
    endpoints: list[EndpointCount] = Field(
        default_factory=list,
        description="Every time-to-event endpoint: label, unit, time origin (REMARK 7), and its "
        "patients and events per set",
    )


class StudySummary(_Model):
    """The study's metadata and narrative, as given in the spec."""

    title: str
    markers: list[str]
    objective: str
    hypotheses: str
    design: str
    period: str
    endpoints: list[str]
    checklists: list[str] = Field(
        default_factory=list, description="Checklists the study declared ([study] checklists)"
    )
    narrative: dict[str, Any] = Field(
        description="[study.narrative]: statements, and the structured facts under 'remark'"
    )
    primary: dict[str, Any] | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="The declared primary analysis ([study.primary]); absent when none",
    )


class AppliedModel(_Model):
    """The frozen model a ``remarkit apply`` run scored this cohort with."""

    model_dir: str = Field(description="The training run's output folder, as given")
    results_sha256: str = Field(description="sha256 of the training run's results.json")
    spec_sha256: str = Field(description="sha256 of the training run's study file")
    remarkit_version: str = Field(description="remarkit version of the training run")
    models: list[str] = Field(description="Applied model unit ids (integrators)")
    units: list[str] = Field(description="Every applied unit id, in run order")
    thresholds: dict[str, float] = Field(
        description="Thresholds fixed on the training set, by column, handed to the evaluators"
    )
    threshold_sources: dict[str, str] = Field(description="Column -> training unit id")


class RunResults(_Model):
    """Everything a run produced, with the provenance a reviewer needs."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="results.json schema version")
    remarkit_version: str
    seed: int
    spec_file: str
    spec_sha256: str
    study_dir: str = Field(
        default="",
        description="The spec's folder relative to the output folder (for re-hashing inputs)",
    )
    study: StudySummary
    cohort: CohortSummary
    platform: dict[str, str]
    libraries: dict[str, str]
    inputs: list[InputFile]
    plugin_problems: list[str] = Field(default_factory=list)
    applied_model: AppliedModel | None = Field(
        default=None, description="Set by `remarkit apply`: the frozen model that scored the cohort"
    )
    units: list[UnitRecord]

    @property
    def failed(self) -> bool:
        """Whether any unit failed or was skipped."""
        return any(u.status != "ok" for u in self.units)
