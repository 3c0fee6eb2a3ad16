"""The study specification (study.toml) as pydantic models."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit.engine.semantic.spec import SemanticSpec
from remarkit.engine.spec_applicability import NotApplicableWhen
from remarkit.engine.spec_narrative import Narrative
from remarkit.engine.spec_primary import (
    PRIMARY_HELP,
    PrimaryAnalysis,
)
from remarkit.errors import InputError
from remarkit.io.images import ManifestColumns

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
    checklists: list[str] = Field(
        default_factory=list,
        description="Reporting checklists that apply (remark, tripod-ai, clear, claim); default: "
        "REMARK, plus TRIPOD+AI when a model is fitted, CLEAR when radiomics ran and CLAIM when a "
        "deep-learning unit ran",
    )
    narrative: Narrative = Field(default_factory=Narrative)
    primary: PrimaryAnalysis | None = Field(default=None, description=PRIMARY_HELP)


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
    """A time-to-event endpoint: time and event columns, time unit, label and time origin."""

    time: str = Field(description="Column of follow-up times (numeric, >= 0)")
    event: str = Field(description="Column of event indicators")
    unit: str = Field(default="months", description="Unit of the times, e.g. 'days', 'months'")
    event_value: str = Field(default="1", description="Value of the event column that is an event")
    label: str = Field(default="", description="Display name, e.g. 'Recurrence-free survival'")
    origin: str = Field(default="", description="Time origin (REMARK 7), e.g. 'date of surgery'")


#: Name of the endpoint given by ``[cohort.survival]``.
DEFAULT_ENDPOINT = "survival"


class VariableSpec(_Strict):
    """A cohort variable: its type, label, and for categorical ones the levels and reference."""

    type: Literal["continuous", "categorical"]
    label: str = ""
    unit: str = ""
    levels: list[str] | None = None
    reference: str | None = None
    summary: Literal["auto", "mean", "median"] = "auto"
    range: tuple[float, float] | None = Field(
        default=None, description="Plausible [low, high] of a continuous variable's values"
    )
    on_out_of_range: Literal["error", "warning"] = Field(
        default="error", description="A value outside `range` is an error, or a recorded warning"
    )
    not_applicable_when: NotApplicableWhen | None = Field(
        default=None,
        description="When the variable does not apply: an absent value is then 'not "
        "applicable', not missing (e.g. {column = 'vascular_invasion', levels = ['No']})",
    )

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
    split: SplitSpec | None = Field(
        default=None,
        description="Train/test split; required by `remarkit run`. `remarkit apply` ignores it: "
        "every patient of an external cohort is in its one validation set",
    )
    outcome: OutcomeSpec | None = Field(
        default=None,
        description="Binary outcome. A study without one (survival endpoints only, or a cohort "
        "scored by `remarkit apply`) runs every unit that does not need it; a patient whose "
        "outcome is missing is left out of the analyses of the outcome only",
    )
    survival: SurvivalSpec | None = Field(
        default=None, description="The main time-to-event endpoint (named 'survival')"
    )
    endpoints: dict[str, SurvivalSpec] = Field(
        default_factory=dict,
        description="Further time-to-event endpoints by name ([cohort.endpoints.NAME])",
    )
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    derived: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Derived variables ([cohort.derived.NAME], a `rule` each), evaluated in "
        "declaration order; parsed by remarkit.engine.derive",
    )
    semantic: dict[str, SemanticSpec] = Field(
        default_factory=dict,
        description="Semantic features scored by several readers ([cohort.semantic.NAME]): their "
        "consensus is the categorical variable NAME; see remarkit.engine.semantic",
    )
    flow: list[FlowStep] = Field(default_factory=list)
    sample: str | None = Field(
        default=None,
        description="Column of sample ids when rows are samples (a patient's id then repeats)",
    )
    samples: Literal["error", "first"] = Field(
        default="error",
        description="Several rows of one patient: 'error' (stop, listing the duplicate ids) or "
        "'first' (keep the patient's first row in file order; needs `sample`; split, outcome and "
        "endpoints must agree across the patient's rows)",
    )

    @model_validator(mode="after")
    def _first_needs_sample(self) -> CohortSpec:
        if self.samples == "first" and self.sample is None:
            raise ValueError("samples = 'first' needs the sample id column: set `sample`")
        return self

    @model_validator(mode="after")
    def _endpoint_names(self) -> CohortSpec:
        for name in self.endpoints:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                raise ValueError(
                    f"endpoint name '{name}' must start with a letter and hold only letters, "
                    "digits and '_'"
                )
        if self.survival is not None and DEFAULT_ENDPOINT in self.endpoints:
            raise ValueError(
                f"endpoint '{DEFAULT_ENDPOINT}' is given twice: as [cohort.survival] and as "
                f"[cohort.endpoints.{DEFAULT_ENDPOINT}]"
            )
        return self

    def all_endpoints(self) -> dict[str, SurvivalSpec]:
        """Every time-to-event endpoint by name, ``[cohort.survival]`` first as 'survival'."""
        found = {} if self.survival is None else {DEFAULT_ENDPOINT: self.survival}
        found.update(self.endpoints)
        return found

    def default_endpoint(self) -> str | None:
        """The endpoint a unit analyses when it names none: 'survival', else the only one."""
        names = list(self.all_endpoints())
        if self.survival is not None:
            return DEFAULT_ENDPOINT
        return names[0] if len(names) == 1 else None

    def binary_outcome(self) -> OutcomeSpec:
        """The binary outcome, for units that need it; an InputError when the cohort has none."""
        if self.outcome is None:
            raise InputError(
                "the cohort has no binary outcome, which this analysis needs",
                field="cohort.outcome",
            )
        return self.outcome


class ImagesSpec(_Strict):
    """Image manifest (used by phase scorers): one row per patient and phase."""

    manifest: Path
    patient_column: str = Field(default="patient", description="Manifest column of patient ids")
    phase_column: str = Field(default="phase", description="Manifest column of the CT phase")
    image_column: str = Field(default="image", description="Manifest column of the CT image")
    mask_column: str = Field(default="mask", description="Manifest column of the tumour mask")
    liver_column: str = Field(default="liver_mask", description="Manifest column of the liver mask")
    second_mask_column: str = Field(
        default="mask2",
        description="Manifest column of an optional second tumour segmentation (another "
        "reader's contour, for feature reproducibility); an empty cell means none for that row",
    )
    label: int = Field(default=1, description="Tumour label value in the tumour masks")
    liver_label: int = Field(default=1, description="Liver label value in the liver masks")
    tolerance: float = Field(
        default=1e-3,
        gt=0,
        description="Largest image/mask difference in spacing and origin (mm) and direction",
    )

    def manifest_columns(self) -> ManifestColumns:
        """The manifest's column names as :func:`remarkit.io.read_manifest` takes them."""
        return ManifestColumns(
            patient=self.patient_column,
            phase=self.phase_column,
            image=self.image_column,
            mask=self.mask_column,
            liver_mask=self.liver_column,
            second_mask=self.second_mask_column,
        )


class GenomicsSpec(_Strict):
    """Genomics inputs (used by radiogenomics units).

    Sample ids (expression columns, MAF ``Tumor_Sample_Barcode``, VCF sample columns, the
    neoantigen table's sample column) map to cohort patient ids by one rule: the first
    ``barcode_prefix_length`` characters (12 for TCGA barcodes), or ``sample_id_pattern`` (a
    regular expression searched in the id: its group ``patient``, else its first group, else the
    whole match is the patient id; a sample it does not match has no patient), or with neither
    the sample id itself.
    """

    expression: Path | None = None
    expression_gene_column: str | None = Field(
        default=None, description="Expression column of gene identifiers (default: the first)"
    )
    duplicate_genes: Literal["highest_mean", "first", "mean", "error"] = Field(
        default="highest_mean",
        description="Rows sharing a gene identifier: keep the row with the highest mean "
        "(ties: the first), keep the first, average them, or stop with an error",
    )
    gene_sets: list[Path] = Field(default_factory=list)
    maf: Path | None = None
    vcf: Path | None = None
    vcf_pass_only: bool = Field(
        default=True, description="Keep only VCF records whose FILTER is PASS (or '.')"
    )
    neoantigens: Path | None = None
    neoantigen_sample_column: str | None = Field(
        default=None, description="Neoantigen table's sample column (default: detected)"
    )
    neoantigen_count_column: str | None = Field(
        default=None, description="Per-sample count column (default: detected)"
    )
    neoantigen_ic50_column: str | None = Field(
        default=None, description="Per-peptide IC50 column, nM (default: detected)"
    )
    neoantigen_ic50_nm: float = Field(
        default=500.0, gt=0, description="A predicted peptide is a binder when IC50 < this (nM)"
    )
    capture_mb: float = Field(default=50.0, gt=0, description="Capture size (Mb) for TMB")
    barcode_prefix_length: int | None = Field(
        default=None, ge=1, description="Patient id = the sample id's first N characters"
    )
    sample_id_pattern: str | None = Field(
        default=None, description="Regular expression extracting the patient id from a sample id"
    )

    @model_validator(mode="after")
    def _one_rule_each(self) -> GenomicsSpec:
        if self.maf is not None and self.vcf is not None:
            raise ValueError("give either maf or vcf, not both")
        if self.barcode_prefix_length is not None and self.sample_id_pattern is not None:
            raise ValueError("give either barcode_prefix_length or sample_id_pattern, not both")
        if self.sample_id_pattern is not None:
            try:
                re.compile(self.sample_id_pattern)
            except re.error as exc:
                raise ValueError(
                    f"sample_id_pattern is not a valid regular expression: {exc}"
                ) from exc
        return self


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
