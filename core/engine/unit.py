"""The analytic-unit contract: the base classes every built-in and third-party unit uses."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from remarkit.engine.families import FAMILIES as FAMILIES
from remarkit.engine.families import Family as Family
from remarkit.engine.population import AnalysisPopulation

if TYPE_CHECKING:
    from remarkit.engine.context import UnitContext
    from remarkit.engine.sentences import Sentence


#: Report sections in paper order; units land in one by ``report_section`` or their family.
REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("patients", "Study and patients"),
    ("baseline", "Patient characteristics"),
    ("agreement", "Reproducibility and agreement"),
    ("marker", "Marker response"),
    ("regression", "Univariable and multivariable analyses"),
    ("models", "Scores and models"),
    ("performance", "Model performance"),
    ("calibration", "Calibration"),
    ("survival", "Survival"),
    ("groups", "Scores across patient groups"),
    ("radiogenomics", "Radiogenomics"),
    ("other", "Further analyses"),
)
DEFAULT_SECTIONS: dict[str, str] = {
    "marker_response": "marker",
    "clinical": "regression",
    "phase_scorer": "models",
    "integrator": "models",
    "evaluator": "performance",
    "radiogenomics": "radiogenomics",
}


#: The results.json form of non-finite floats (see remarkit.engine.results.NON_FINITE).
_NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def pretty_name(name: str) -> str:
    """A unit name as a title: ``'univariable_logistic'`` -> ``'Univariable logistic'``."""
    words = name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


class UnitParams(BaseModel):
    """Base of every unit's ``Params`` model: the unit's ``[[unit]]`` table in study.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FigureRef(BaseModel):
    """A figure a unit wrote through the context's figure sink."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Figure name, unique within its unit")
    path: str = Field(description="Path of the figure file, relative to the output folder")
    caption: str = Field(description="Caption shown under the figure in the report")


class DerivedColumn(BaseModel):
    """A patient-level output that the core merges into the cohort as ``<unit id>.<name>``."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Column name; the cohort column becomes '<unit id>.<name>'")
    kind: Literal["continuous", "categorical"] = Field(description="Column type")
    ids: list[str] = Field(description="Patient ids, in the cohort's order")
    values: list[float | str | None] = Field(description="One value per id; None when missing")
    levels: list[str] | None = Field(
        default=None, description="Category levels in order (first = reference)"
    )
    label: str = Field(default="", description="Human-readable label")

    @field_validator("values")
    @classmethod
    def _non_finite_values(
        cls, values: list[float | str | None], info: ValidationInfo
    ) -> list[float | str | None]:
        """A continuous column's 'Infinity'/'-Infinity'/'NaN' (results.json form) is a float."""
        if info.data.get("kind") != "continuous":
            return values
        return [_NON_FINITE.get(v, v) if isinstance(v, str) else v for v in values]


class Exclusion(BaseModel):
    """Patients an analysis left out for one reason (complete-case analysis, REMARK 12)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str = Field(description="Why, e.g. 'missing outcome', 'missing predictor'")
    ids: list[str] = Field(description="The patients left out, in cohort order")
    scope: str = Field(default="", description="The analysis it applies to, '' for the whole unit")

    @property
    def n(self) -> int:
        """Number of patients left out."""
        return len(self.ids)


def _empty(value: Any) -> bool:
    return not value


class UnitResult(BaseModel):
    """Base of every unit's ``Result`` model: raw numbers only, frozen, tagged by ``kind``."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        arbitrary_types_allowed=False,
        ser_json_inf_nan="strings",
        defer_build=True,
    )

    kind: str = Field(description="Result kind; selects the report template fragment")
    figures: list[FigureRef] = Field(default_factory=list, description="Figures of this result")
    columns: list[DerivedColumn] = Field(
        default_factory=list, description="Patient-level columns merged into the cohort"
    )
    warnings: list[str] = Field(default_factory=list, description="Named warnings for the report")
    exclusions: list[Exclusion] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="Patients left out of the analysis by reason ('missing outcome', 'missing "
        "predictor', ...); absent when none were",
    )
    populations: list[AnalysisPopulation] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="The set(s), endpoint, patients and events of each analysis the unit ran "
        "(the REMARK profile lists them); absent when the unit declares none",
    )


class Needs(BaseModel):
    """What a unit needs before it can run: cohort columns (incl. derived) and upstream units."""

    model_config = ConfigDict(frozen=True)

    columns: list[str] = Field(default_factory=list, description="Cohort or derived columns")
    units: list[str] = Field(default_factory=list, description="Upstream unit ids")
    outcome: bool = Field(default=False, description="Needs the binary outcome")
    survival: bool = Field(default=False, description="Needs survival time and event")
    endpoint: str | None = Field(
        default=None,
        description="The time-to-event endpoint it analyses (default: the study's default "
        "endpoint); implies survival",
    )
    split: bool = Field(default=True, description="Needs the train/test split")
    images: bool = Field(default=False, description="Needs the [images] manifest")
    genomics: bool = Field(default=False, description="Needs the [genomics] section")


class AppliedResult(UnitResult):
    """What a fitted unit produced on a new cohort under ``remarkit apply``: frozen, not refitted.

    ``columns`` carry the new cohort's patient-level outputs under the fitted unit's own column
    names, so downstream units (integrators, evaluators) read them exactly as in the training run.
    """

    kind: Literal["applied"] = "applied"
    unit: str = Field(description="Registered name of the fitted unit")
    fitted_result_sha256: str = Field(
        default="",
        description="sha256 of the fitted unit's result in the training run (set by the engine)",
    )
    n: int = Field(description="Patients in the new cohort")
    scored: int = Field(description="Patients who received every output")
    unscored: list[str] = Field(
        default_factory=list, description="Ids left without an output (missing input)"
    )
    frozen: dict[str, int | float | str] = Field(
        default_factory=dict,
        description="Frozen quantities applied (thresholds, settings digests), by name",
    )
    summary: str = Field(default="", description="One sentence on what was applied")


P = TypeVar("P", bound=UnitParams)
R = TypeVar("R", bound=UnitResult)


class Unit(ABC, Generic[P, R]):
    """An analytic unit. Subclasses set the class attributes and implement the three methods."""

    name: ClassVar[str]
    family: ClassVar[Family]
    version: ClassVar[str]
    Params: ClassVar[type[UnitParams]]
    Result: ClassVar[type[UnitResult]]
    remark_items: ClassVar[tuple[int, ...]] = ()
    citations: ClassVar[tuple[str, ...]] = ()
    report_section: ClassVar[str | None] = None
    #: Human title of the unit's Methods paragraph and results block (default: its name, pretty).
    title: ClassVar[str] = ""

    def needs(self, params: P) -> Needs:
        """Return what this unit needs for ``params`` (default: the split only)."""
        return Needs()

    @abstractmethod
    def run(self, ctx: UnitContext, params: P) -> R:
        """Compute the result from the read-only context."""

    @abstractmethod
    def methods(self, result: R, params: P) -> str:
        """Return this unit's paragraph of the generated Methods section."""

    def results_sentences(self, result: R, params: P) -> list[Sentence]:
        """Sentences for the generated Results section, linked to this unit's tables.

        Default: none. See :mod:`remarkit.engine.sentences`; numbers are raw values with the
        report filter that prints them, so they read as in the unit's tables.
        """
        return []

    @classmethod
    def can_apply(cls) -> bool:
        """Whether this unit can score a new cohort with its fitted state (``remarkit apply``).

        A unit that can defines ``apply(self, ctx, params, fitted) -> AppliedResult`` (see
        :class:`~remarkit.AppliesFitted`): ``fitted`` is a :class:`~remarkit.Fitted` holding its
        result from the training run and its saved files, verified by the engine; nothing may be
        refitted. Units whose outputs depend on nothing fitted, or that have no patient-level
        outputs, define none.
        """
        return callable(getattr(cls, "apply", None))

    def fixed_thresholds(self, unit_id: str, result: R) -> dict[str, float]:
        """Decision thresholds this result fixed on the training set, by cohort column.

        ``remarkit apply`` hands them to the evaluators of an external cohort, which has no
        training set of its own to fix them on. Default: none.
        """
        return {}

    @classmethod
    def display_title(cls) -> str:
        """The unit's human title: ``title``, else its name made readable."""
        return cls.title or pretty_name(cls.name)

    @classmethod
    def section(cls) -> str:
        """The report section this unit's result appears in (default: by family)."""
        return cls.report_section or DEFAULT_SECTIONS[cls.family]

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """Return the unit's identity for listings and provenance."""
        return {
            "name": cls.name,
            "family": cls.family,
            "version": cls.version,
            "remark_items": list(cls.remark_items),
        }
