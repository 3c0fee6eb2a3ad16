"""The study specification (study.toml) as pydantic models."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_MISSING = (
    "",
    "NA",
    "N/A",
    "NaN",
    "nan",
    "[Not Available]",
    "[Unknown]",
    "[Not Applicable]",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Narrative(_Strict):
    """Text for REMARK items that no computation can show."""

    patients: str = Field(default="", description="REMARK 2: patient source, inclusion, exclusion")
    treatment: str = Field(default="", description="REMARK 3: treatments received")
    specimens: str = Field(default="", description="REMARK 4: specimen / image characteristics")
    assay: str = Field(default="", description="REMARK 5: assay or imaging methods")
    sample_size: str = Field(default="", description="REMARK 9: rationale for the sample size")
    interpretation: str = Field(default="", description="REMARK 19: interpretation of results")
    implications: str = Field(default="", description="REMARK 20: implications for future research")


class StudyInfo(_Strict):
    """Study metadata (REMARK 1, 6, 7)."""

    title: str = Field(description="Study title")
    markers: list[str] = Field(default_factory=list, description="Marker(s) under study")
    objective: str = Field(default="", description="Objective of the study (REMARK 1)")
    hypotheses: str = Field(default="", description="Pre-specified hypotheses (REMARK 1)")
    design: str = Field(default="", description="Study design, e.g. retrospective cohort")
    period: str = Field(default="", description="Recruitment period (REMARK 6)")
    endpoints: list[str] = Field(default_factory=list, description="Endpoints (REMARK 7)")
    seed: int = Field(default=20250314, description="Seed for every random step")
    narrative: Narrative = Field(default_factory=Narrative)


class SplitSpec(_Strict):
    """Train/test split column and its labels."""

    column: str
    train: str = "train"
    test: str = "test"


class OutcomeSpec(_Strict):
    """Binary outcome column and its positive label."""

    column: str
    positive: str
    label: str = ""


class SurvivalSpec(_Strict):
    """Survival time and event columns."""

    time: str
    event: str
    unit: str = "months"
    event_value: str = "1"


class VariableSpec(_Strict):
    """A cohort variable: its type, label, and for categorical ones the levels and reference."""

    type: Literal["continuous", "categorical"]
    label: str = ""
    unit: str = ""
    levels: list[str] | None = None
    reference: str | None = None
    summary: Literal["auto", "mean", "median"] = "auto"

    @model_validator(mode="after")
    def _reference_in_levels(self) -> VariableSpec:
        if self.type == "continuous" and (self.levels or self.reference):
            raise ValueError("a continuous variable takes no levels or reference")
        if (
            self.levels is not None
            and self.reference is not None
            and (self.reference not in self.levels)
        ):
            raise ValueError(f"reference '{self.reference}' is not one of levels {self.levels}")
        return self


class FlowStep(_Strict):
    """A patient-flow step: patients remaining, or patients excluded with a reason (REMARK 12)."""

    label: str
    n: int | None = Field(default=None, ge=0, description="Patients remaining after this step")
    excluded: int | None = Field(default=None, ge=0, description="Patients excluded at this step")


class CohortSpec(_Strict):
    """The cohort table and what its columns mean."""

    table: Path
    id: str
    missing: list[str] = Field(default_factory=lambda: list(DEFAULT_MISSING))
    split: SplitSpec
    outcome: OutcomeSpec
    survival: SurvivalSpec | None = None
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    flow: list[FlowStep] = Field(default_factory=list)


class ImagesSpec(_Strict):
    """Image manifest (used by phase scorers)."""

    manifest: Path


class GenomicsSpec(_Strict):
    """Genomics inputs (used by radiogenomics units)."""

    expression: Path | None = None
    gene_sets: list[Path] = Field(default_factory=list)
    maf: Path | None = None
    vcf: Path | None = None
    neoantigens: Path | None = None
    capture_mb: float = 50.0


class UnitSpec(BaseModel):
    """One ``[[unit]]`` table: id, registered unit name, and the unit's own parameters."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    use: str

    def params(self) -> dict[str, Any]:
        """The unit's parameters: every key other than ``id`` and ``use``."""
        return dict(self.model_extra or {})


class Study(_Strict):
    """A whole study.toml, with every relative path resolved against its folder."""

    study: StudyInfo
    cohort: CohortSpec
    images: ImagesSpec | None = None
    genomics: GenomicsSpec | None = None
    unit: list[UnitSpec] = Field(default_factory=list)
    base_dir: Path = Field(default=Path("."), exclude=True)

    def resolve(self, path: Path) -> Path:
        """Resolve a spec path against the spec's folder."""
        return path if path.is_absolute() else (self.base_dir / path).resolve()
