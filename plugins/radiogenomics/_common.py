"""Shared pieces of the radiogenomics units: parameters, sample matching, score groups.

Sample -> patient: each genomic sample id maps to a cohort patient id by the ``[genomics]`` rule
(``barcode_prefix_length``, ``sample_id_pattern``, or the id itself). Samples that map to no
cohort patient, cohort patients with no sample and patients with several samples (the first
sample id in sorted order is kept, e.g. TCGA's ``-01A`` before ``-01B``) are all listed in the
result and named in its warnings. Patients whose score is missing are left out, also named.

Groups: patients are split by their score at ``threshold`` when given (e.g. one fixed on a
training set), else at the median score of the patients analysed by the unit; a patient is in the
high group when score >= threshold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import InputError, Needs, UnitContext, UnitParams
from remarkit.text import name_ids

MAX_IDS_SHOWN = 10


class GenomicsSpec(Protocol):
    """The fields of the study's [genomics] section the units read."""

    @property
    def expression(self) -> Path | None: ...
    @property
    def expression_gene_column(self) -> str | None: ...
    @property
    def duplicate_genes(self) -> Literal["highest_mean", "first", "mean", "error"]: ...
    @property
    def gene_sets(self) -> list[Path]: ...
    @property
    def maf(self) -> Path | None: ...
    @property
    def vcf(self) -> Path | None: ...
    @property
    def vcf_pass_only(self) -> bool: ...
    @property
    def neoantigens(self) -> Path | None: ...
    @property
    def neoantigen_sample_column(self) -> str | None: ...
    @property
    def neoantigen_count_column(self) -> str | None: ...
    @property
    def neoantigen_ic50_column(self) -> str | None: ...
    @property
    def neoantigen_ic50_nm(self) -> float: ...
    @property
    def capture_mb(self) -> float: ...
    @property
    def barcode_prefix_length(self) -> int | None: ...
    @property
    def sample_id_pattern(self) -> str | None: ...


class Row(BaseModel):
    """Base of the nested result rows: frozen, no extra fields, numbers as numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ScoreParams(UnitParams):
    """The score the genomic features are related to."""

    score: str = Field(description="Cohort or derived column, e.g. 'integrated.probability'")
    score_label: str = Field(default="", description="Display label (default: column label)")


class GroupParams(ScoreParams):
    """A score split into a high and a low group."""

    threshold: float | Literal["training"] | None = Field(
        default=None,
        description="Split the score here (high = score >= threshold); 'training': at the "
        "threshold the applied model fixed on its training set (remarkit apply); default: the "
        "median score of the patients with genomic data",
    )
    high_label: str = Field(default="High score", min_length=1, description="High-score group")
    low_label: str = Field(default="Low score", min_length=1, description="Low-score group")

    @model_validator(mode="after")
    def _labels_differ(self) -> GroupParams:
        if self.high_label == self.low_label:
            raise ValueError("high_label and low_label must differ")
        if isinstance(self.threshold, float) and not math.isfinite(self.threshold):
            raise ValueError("threshold must be a finite number")
        return self


class SampleMatch(Row):
    """How the samples of one genomic data type matched the cohort's patients."""

    data: str = Field(description="Data type, e.g. 'RNA expression'")
    n_samples: int = Field(description="Samples in the file")
    n_patients: int = Field(description="Cohort patients analysed (a sample and a score)")
    samples_without_patient: list[str] = Field(description="Samples mapping to no cohort patient")
    patients_without_sample: list[str] = Field(description="Cohort patients with no sample")
    extra_samples: list[str] = Field(
        description="Further samples of a patient who already has one (not analysed)"
    )
    patients_without_score: list[str] = Field(description="Patients with a sample but no score")


class GroupDefinition(Row):
    """The score groups compared by a unit."""

    score: str = Field(description="Score column")
    score_label: str = Field(description="Score label")
    threshold: float = Field(description="high = score >= threshold")
    rule: Literal["median", "given", "training"] = Field(
        description="Median of analysed patients, given, or fixed on the applied model's training set"
    )
    high_label: str = Field(description="High-score group label")
    low_label: str = Field(description="Low-score group label")
    n_high: int = Field(description="Patients in the high group")
    n_low: int = Field(description="Patients in the low group")


class GroupSummary(Row):
    """Distribution of a quantity in one group."""

    group: str = Field(description="Group label")
    n: int = Field(description="Patients")
    median: float = Field(description="Median")
    q1: float = Field(description="First quartile (type 7)")
    q3: float = Field(description="Third quartile (type 7)")
    mean: float = Field(description="Mean")
    minimum: float = Field(description="Minimum")
    maximum: float = Field(description="Maximum")


@dataclass(frozen=True)
class Matched:
    """Analysed patients (cohort order) with their sample id and score."""

    samples: pd.Series  # patient id -> sample id
    scores: pd.Series  # patient id -> score (float)
    match: SampleMatch


def genomics(ctx: UnitContext, unit: str) -> GenomicsSpec:
    """The study's [genomics] section (an InputError naming ``unit`` if absent)."""
    spec = ctx.study.genomics
    if spec is None:
        raise InputError(f"{unit} needs the [genomics] section")
    return spec


def genomics_needs(params: ScoreParams) -> Needs:
    """What every radiogenomics unit needs: its score column and [genomics]; no split."""
    return Needs(columns=[params.score], genomics=True, split=False)


def patient_of(sample: str, spec: GenomicsSpec) -> str | None:
    """The patient id a sample id maps to by the [genomics] rule (None: no patient)."""
    if spec.barcode_prefix_length is not None:
        n = spec.barcode_prefix_length
        return sample[:n] if len(sample) >= n else None
    if spec.sample_id_pattern is not None:
        found = re.search(spec.sample_id_pattern, sample)
        if found is None:
            return None
        if "patient" in found.groupdict():
            return found.group("patient")
        return found.group(1) if found.groups() else found.group(0)
    return sample


def match_samples(
    ctx: UnitContext, spec: GenomicsSpec, samples: Iterable[str], data: str, score: str
) -> Matched:
    """Map ``samples`` to cohort patients and attach the score (see the module docstring)."""
    cohort = ctx.cohort.data
    if score not in cohort.columns:
        raise InputError(f"column '{score}' is not in the cohort (nor derived by an upstream unit)")
    if not pd.api.types.is_numeric_dtype(cohort[score]):
        raise InputError(f"column '{score}' is categorical; the score must be continuous")
    ids = sorted({str(s) for s in samples})
    patients = set(cohort.index)
    chosen: dict[str, str] = {}
    no_patient: list[str] = []
    extra: list[str] = []
    for sample in ids:
        patient = patient_of(sample, spec)
        if patient is None or patient not in patients:
            no_patient.append(sample)
        elif patient in chosen:
            extra.append(sample)
        else:
            chosen[patient] = sample
    order = [p for p in cohort.index if p in chosen]
    values = cohort.loc[order, score].astype(float)
    if np.isinf(values.to_numpy()).any():
        raise InputError(f"column '{score}' has infinite values")
    no_score = [str(p) for p in values.index[values.isna()]]
    values = values.dropna()
    match = SampleMatch(
        data=data,
        n_samples=len(ids),
        n_patients=len(values),
        samples_without_patient=no_patient,
        patients_without_sample=[str(p) for p in cohort.index if p not in chosen],
        extra_samples=extra,
        patients_without_score=no_score,
    )
    if len(values) == 0:
        raise InputError(
            f"no {data} sample matches a cohort patient with a '{score}' value "
            f"({len(ids)} samples, e.g. {name_ids(ids[:3])}; check the [genomics] sample-id rule)"
        )
    sample_of = pd.Series({p: chosen[p] for p in values.index}, dtype=object)
    return Matched(samples=sample_of, scores=values, match=match)


def match_warnings(match: SampleMatch) -> list[str]:
    """One named warning per kind of mismatch."""
    out: list[str] = []
    data = match.data
    if match.samples_without_patient:
        ids = match.samples_without_patient
        out.append(f"{data}: {len(ids)} sample(s) match no cohort patient: {name_ids(ids)}")
    if match.patients_without_sample:
        ids = match.patients_without_sample
        out.append(f"{data}: {len(ids)} cohort patient(s) have no sample: {name_ids(ids)}")
    if match.extra_samples:
        ids = match.extra_samples
        out.append(
            f"{data}: {len(ids)} further sample(s) of patients who already have one were not "
            f"analysed: {name_ids(ids)}"
        )
    if match.patients_without_score:
        ids = match.patients_without_score
        out.append(f"{data}: {len(ids)} patient(s) with a sample have no score: {name_ids(ids)}")
    return out


def assign_groups(
    params: GroupParams, scores: pd.Series, label: str, training: Mapping[str, float]
) -> tuple[pd.Series, GroupDefinition]:
    """Split patients by the score (see the module docstring); both groups must be non-empty.

    ``training``: the thresholds an applied model fixed on its training set, by column.
    """
    values = scores.to_numpy(dtype=np.float64)
    rule: Literal["median", "given", "training"]
    if params.threshold is None:
        rule, threshold = "median", float(np.median(values))
    elif params.threshold == "training":
        if params.score not in training:
            known = ", ".join(sorted(training)) or "none"
            raise InputError(
                f"threshold = 'training': no threshold was fixed on a training set for "
                f"'{params.score}' (thresholds of the applied model: {known})",
                field="threshold",
            )
        rule, threshold = "training", float(training[params.score])
    else:
        rule, threshold = "given", float(params.threshold)
    high = values >= threshold
    groups = pd.Series(np.where(high, params.high_label, params.low_label), index=scores.index)
    n_high, n_low = int(high.sum()), int((~high).sum())
    if n_high == 0 or n_low == 0:
        empty = params.high_label if n_high == 0 else params.low_label
        raise InputError(
            f"the threshold {threshold:.6g} of '{params.score}' leaves the '{empty}' group "
            f"empty among {len(values)} patients"
        )
    definition = GroupDefinition(
        score=params.score,
        score_label=label,
        threshold=threshold,
        rule=rule,
        high_label=params.high_label,
        low_label=params.low_label,
        n_high=n_high,
        n_low=n_low,
    )
    return groups, definition


def split_phrase(groups: GroupDefinition, data: str) -> str:
    """How the groups were split, for a Methods paragraph."""
    if groups.rule == "median":
        return f"the median score of the patients with {data}"
    if groups.rule == "training":
        return "the threshold fixed on the training set of the applied model"
    return "a pre-specified threshold"


def summarise(values: pd.Series, groups: pd.Series, labels: Sequence[str]) -> list[GroupSummary]:
    """Per-group distribution of ``values`` (type-7 quartiles, as R's ``quantile``)."""
    out: list[GroupSummary] = []
    for label in labels:
        x = values[groups == label].to_numpy(dtype=np.float64)
        q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75])
        out.append(
            GroupSummary(
                group=label,
                n=int(x.size),
                median=float(median),
                q1=float(q1),
                q3=float(q3),
                mean=float(x.mean()),
                minimum=float(x.min()),
                maximum=float(x.max()),
            )
        )
    return out


def score_label(ctx: UnitContext, params: ScoreParams) -> str:
    """The score's display label."""
    return params.score_label or ctx.cohort.label(params.score)


def finite(value: Any) -> float | None:
    """A float, or None for NaN/inf/None (results.json has no NaN)."""
    if value is None:
        return None
    x = float(value)
    return x if math.isfinite(x) else None
