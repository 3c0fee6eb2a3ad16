"""Feature reproducibility across two tumour segmentations: ICC per feature, optional filter.

Training patients with a second tumour mask (the manifest's ``second_mask_column``) are
extracted a second time with the same settings (cached per case like the first extraction);
each feature's intraclass correlation between the two segmentations (``remarkit.stats.icc``, as
``psych::ICC``) is computed over them. With ``icc_threshold`` set, features whose ICC is below it
(or cannot be computed) are dropped before feature selection. Only training patients are used,
and no outcome: the filter is fitted on the training set and the kept features are frozen into
the model (``remarkit apply`` needs no second masks).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import InputError, InputErrors, StatisticsError, UnitContext
from remarkit.plugins.radiomics.artefacts import feature_frame
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.settings import ExtractionSettings

if TYPE_CHECKING:
    from remarkit.plugins.radiomics.cases import CaseTask

#: psych's form name -> the Shrout-Fleiss notation the report prints.
FORM_LABELS = {
    "ICC1": "ICC(1,1)",
    "ICC2": "ICC(2,1)",
    "ICC3": "ICC(3,1)",
    "ICC1k": "ICC(1,k)",
    "ICC2k": "ICC(2,k)",
    "ICC3k": "ICC(3,k)",
}
#: Bands of Koo & Li (2016) for reporting the distribution: lower bound of each band.
BANDS = (("excellent (>= 0.9)", 0.9), ("good (0.75-0.9)", 0.75), ("moderate (0.5-0.75)", 0.5))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeatureIcc(_Frozen):
    """One feature's agreement between the two segmentations (training patients with both)."""

    feature: str = Field(description="pyradiomics feature name")
    icc: float | None = Field(
        description="Intraclass correlation of the chosen form; None when it cannot be computed "
        "(a non-finite value, or no variation between patients)"
    )
    lower: float | None = Field(description="Lower confidence bound (None when not computed)")
    upper: float | None = Field(description="Upper confidence bound (None when not computed)")
    kept: bool = Field(description="Passed the ICC filter (True for every feature without one)")


class Reproducibility(_Frozen):
    """Feature reproducibility across two segmentations and the ICC filter's outcome."""

    form: str = Field(description="psych::ICC form (ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k)")
    form_label: str = Field(description="Shrout-Fleiss notation of the form, e.g. ICC(2,1)")
    level: float = Field(description="Confidence level of the ICC intervals")
    n_patients: int = Field(
        description="Training patients with features from both segmentations (the ICC's subjects)"
    )
    n_second_masks: int = Field(
        description="Cohort patients with a second segmentation of this phase (any split)"
    )
    failed: list[str] = Field(
        description="Training patients whose second segmentation could not be extracted"
    )
    threshold: float | None = Field(
        description="Features with an ICC below this were dropped before selection (None: no "
        "filter, ICCs only reported)"
    )
    n_features: int = Field(description="Features assessed")
    n_removed: int = Field(description="Features the ICC filter removed (0 without a filter)")
    n_undefined: int = Field(description="Features whose ICC could not be computed")
    median_icc: float | None = Field(description="Median ICC over the features that have one")
    bands: dict[str, int] = Field(
        description="Features per band of Koo & Li (2016): excellent, good, moderate, poor"
    )
    features: list[FeatureIcc] = Field(description="Every feature's ICC with its CI")


@dataclass(frozen=True)
class Assessment:
    """What the unit needs from the reproducibility step: the result and the kept features."""

    result: Reproducibility
    kept: list[str] | None  # None: no filter
    warnings: list[str]
    second: pd.DataFrame  # training patients x features of the second segmentations


def second_mask_tasks(
    ctx: UnitContext,
    phase: str,
    settings: ExtractionSettings,
    patients: list[str],
    template: list[CaseTask],
) -> tuple[list[CaseTask], int]:
    """Tasks extracting the second masks of ``patients`` (phase ``phase``), and how many cohort
    patients (``template``'s) have a second mask of this phase."""
    from remarkit.io import read_manifest

    images = ctx.study.images
    if images is None:
        raise InputError("radiomics_score needs the [images] section", field="images")
    manifest = read_manifest(ctx.study.resolve(images.manifest), columns=images.manifest_columns())
    records = manifest.for_phase(phase)
    wanted = set(patients)
    tasks: list[CaseTask] = []
    n_second = 0
    for task in template:
        record = records.get(task.patient)
        if record is None or record.second_mask is None:
            continue
        n_second += 1
        if task.patient in wanted:
            tasks.append(
                replace(
                    task,
                    mask=record.second_mask,
                    mask_kind=f"second tumour mask (image manifest row {record.row})",
                )
            )
    return tasks, n_second


def feature_iccs(
    first: pd.DataFrame, second: pd.DataFrame, form: str, level: float = 0.95
) -> list[tuple[str, float | None, float | None, float | None]]:
    """(feature, ICC, lower, upper) of every column of ``first`` over the rows of ``second``.

    A feature with a non-finite value or no variation has no ICC (None); one whose two
    segmentations agree exactly for every patient (and varies between patients) has ICC 1 and
    no interval.
    """
    from remarkit.stats import icc

    patients = list(second.index)
    rows: list[tuple[str, float | None, float | None, float | None]] = []
    for name in first.columns:
        if name not in second.columns:
            rows.append((str(name), None, None, None))
            continue
        a = first.loc[patients, name].to_numpy(dtype=float)
        b = second[name].to_numpy(dtype=float)
        ratings = np.column_stack([a, b])
        if not np.isfinite(ratings).all() or np.ptp(ratings) == 0:
            rows.append((str(name), None, None, None))
            continue
        if np.array_equal(a, b):
            rows.append((str(name), 1.0, None, None))
            continue
        try:
            with np.errstate(all="ignore"):  # another form's CI may divide by zero
                found = icc(ratings, level=level).form(form)
        except StatisticsError:
            rows.append((str(name), None, None, None))
            continue
        estimate, lower, upper = (_finite(v) for v in (found.estimate, found.lower, found.upper))
        rows.append(
            (str(name), estimate, *((lower, upper) if estimate is not None else (None, None)))
        )
    return rows


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def assess(
    ctx: UnitContext,
    params: RadiomicsParams,
    template: list[CaseTask],
    features: pd.DataFrame,
    train: list[str],
) -> Assessment | None:
    """Extract the training patients' second masks and compute every feature's ICC.

    None when no patient has a second mask of the phase and no ``icc_threshold`` is set.
    InputErrors name second masks with another geometry or without the label; an InputError
    names ``icc_threshold`` when fewer than ``icc_min_patients`` training patients have both.
    """
    from remarkit.plugins.radiomics.cases import extract_case

    tasks, n_second = second_mask_tasks(ctx, params.phase, template[0].settings, train, template)
    if n_second == 0 and params.icc_threshold is None:
        return None
    outcomes = ctx.executor.map(extract_case, tasks)
    problems = [InputError(m, file=f) for o in outcomes for m, f in o.problems]
    if problems:
        raise InputErrors(problems)
    failed = sorted(o.patient for o in outcomes if o.features is None)
    second = feature_frame(outcomes)
    second = second.loc[[p for p in second.index if p in features.index]]
    if params.icc_threshold is not None and len(second) < params.icc_min_patients:
        raise InputError(
            f"an ICC filter needs at least {params.icc_min_patients} training patients with a "
            f"second segmentation of the {params.phase} phase, and {len(second)} have one",
            field=f"unit.{ctx.unit_id}.icc_threshold",
        )
    warnings: list[str] = []
    if failed:
        warnings.append(
            f"{len(failed)} second segmentation(s) could not be extracted and are left out of "
            f"the ICC: {', '.join(failed[:5])}" + (" ..." if len(failed) > 5 else "")
        )
    if len(second) < 2:
        warnings.append(
            f"feature ICCs were not computed: {len(second)} training patient(s) have features "
            "from a second segmentation (at least 2 are needed)"
        )
        rows: list[tuple[str, float | None, float | None, float | None]] = [
            (str(c), None, None, None) for c in features.columns
        ]
    else:
        rows = feature_iccs(features.loc[second.index], second, params.icc_form)
    found = _summarise(rows, params, len(second), n_second, failed, warnings, second)
    if found.kept == []:
        raise InputError(
            f"no feature has an {found.result.form_label} of at least {params.icc_threshold:g} "
            "between the two segmentations: lower the threshold",
            field=f"unit.{ctx.unit_id}.icc_threshold",
        )
    return found


def _summarise(
    rows: list[tuple[str, float | None, float | None, float | None]],
    params: RadiomicsParams,
    n_patients: int,
    n_second: int,
    failed: list[str],
    warnings: list[str],
    second: pd.DataFrame,
) -> Assessment:
    threshold = params.icc_threshold
    table = [
        FeatureIcc(
            feature=name,
            icc=value,
            lower=lower,
            upper=upper,
            kept=threshold is None or (value is not None and value >= threshold),
        )
        for name, value, lower, upper in rows
    ]
    values = np.array([r.icc for r in table if r.icc is not None], dtype=float)
    bands: dict[str, int] = {}
    upper_bound = np.inf
    for label, lower_bound in BANDS:
        bands[label] = int(np.sum((values >= lower_bound) & (values < upper_bound)))
        upper_bound = lower_bound
    bands["poor (< 0.5)"] = int(np.sum(values < upper_bound))
    kept = [r.feature for r in table if r.kept]
    result = Reproducibility(
        form=params.icc_form,
        form_label=FORM_LABELS[params.icc_form],
        level=0.95,
        n_patients=n_patients,
        n_second_masks=n_second,
        failed=failed,
        threshold=threshold,
        n_features=len(table),
        n_removed=len(table) - len(kept),
        n_undefined=len(table) - len(values),
        median_icc=float(np.median(values)) if len(values) else None,
        bands=bands,
        features=table,
    )
    return Assessment(result, kept if threshold is not None else None, warnings, second)
