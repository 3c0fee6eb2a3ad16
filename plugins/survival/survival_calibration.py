"""survival_calibration: a frozen Cox model's predicted vs observed survival at a horizon.

For the derived columns of a multivariable_cox unit with ``horizons`` (``<id>.lp`` and
``<id>.surv_<h>``, also on an external cohort scored by ``remarkit apply``) and each set:
Kaplan-Meier survival at the horizon (with its CI) against the mean predicted survival in
quantile groups of predicted risk, and the calibration slope of the linear predictor
(``coxph(Surv(time, event) ~ lp)``; 1 = ideal), from
:func:`remarkit.stats.survival_calibration_scores`. Nothing is refitted on the model's side.
"""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitParams, UnitResult
from remarkit import population as counts_of
from remarkit.modeling.columns import check_columns, is_categorical
from remarkit.plugins.survival._text import endpoint_phrase

Set = Literal["all", "train", "test"]
_SURV_COLUMN = re.compile(r"surv_([0-9.eE+-]+)$")


def _default_sets() -> list[Set]:
    return ["test"]


class SurvivalCalibrationParams(UnitParams):
    """The ``[[unit]]`` table of a survival_calibration unit."""

    lp: str = Field(description="Linear predictor column of the frozen model, e.g. 'cox.lp'")
    survival: str = Field(
        description="Predicted survival at the horizon, e.g. 'cox.surv_1826' (a multivariable_cox "
        "unit's derived column for one of its horizons)"
    )
    horizon: float = Field(gt=0, description="Time of the comparison, in the endpoint's unit")
    groups: int = Field(default=5, ge=2, le=20, description="Quantile groups of predicted risk")
    endpoint: str | None = Field(default=None, description="Endpoint (default: the study's)")
    sets: list[Set] = Field(
        default_factory=_default_sets,
        description="Sets: 'test' (the test set, or the external validation set of an applied "
        "cohort), 'train', 'all'; sets without patients are left out",
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")

    @field_validator("sets")
    @classmethod
    def _distinct(cls, value: list[Set]) -> list[Set]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sets must be non-empty and list each set once")
        return value


class CalibrationGroup(BaseModel):
    """One risk group: mean predicted and Kaplan-Meier observed survival at the horizon."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: int = Field(description="Group number, 1 = lowest predicted survival (highest risk)")
    n: int = Field(description="Patients in the group")
    events: int = Field(description="Events up to the horizon")
    predicted: float = Field(description="Mean predicted survival at the horizon")
    observed: float = Field(description="Kaplan-Meier survival at the horizon")
    observed_lower: float = Field(description="Lower bound of the KM estimate (log scale CI)")
    observed_upper: float = Field(description="Upper bound of the KM estimate")


class SetCalibration(BaseModel):
    """Calibration of the model in one set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set: Set = Field(description="'all', 'train' or 'test'")
    set_name: str = Field(description="Display name of the set")
    n: int = Field(description="Patients with both predictions, a time and an event indicator")
    events: int = Field(description="Of those, with an event (at any time)")
    excluded: int = Field(description="Patients of the set left out for a missing value")
    groups: list[CalibrationGroup] = Field(description="Risk groups, highest risk first")
    slope: float = Field(description="Calibration slope: coefficient of lp in coxph(Surv ~ lp)")
    slope_se: float = Field(description="Standard error of the slope")
    slope_lower: float = Field(description="Lower Wald bound of the slope")
    slope_upper: float = Field(description="Upper Wald bound of the slope")


class SurvivalCalibrationUnitResult(UnitResult):
    """Predicted vs observed survival at the horizon per set."""

    kind: Literal["survival_calibration"] = "survival_calibration"
    endpoint_label: str = Field(description="Endpoint display name")
    time_unit: str = Field(description="Unit of the times")
    horizon: float = Field(description="Time of the comparison")
    lp: str = Field(description="Linear predictor column")
    survival: str = Field(description="Predicted survival column")
    level: float = Field(description="Confidence level")
    sets: list[SetCalibration] = Field(description="One entry per set with patients")


def _mask(ctx: UnitContext, which: Set) -> pd.Series:
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which


class SurvivalCalibration(Unit[SurvivalCalibrationParams, SurvivalCalibrationUnitResult]):
    """Kaplan-Meier vs predicted survival in risk groups and the calibration slope per set."""

    name = "survival_calibration"
    title = "Survival calibration"
    family = "evaluator"
    version = "1.0"
    Params = SurvivalCalibrationParams
    Result = SurvivalCalibrationUnitResult
    remark_items = (18,)
    citations = (
        "Royston P, Altman DG. BMC Med Res Methodol 2013;13:33.",
        "Van Houwelingen HC. Stat Med 2000;19:3401-15.",
    )
    report_section = "survival"

    def needs(self, params: SurvivalCalibrationParams) -> Needs:
        """The two prediction columns and the endpoint."""
        return Needs(
            columns=[params.lp, params.survival],
            survival=True,
            endpoint=params.endpoint,
            split=any(s != "all" for s in params.sets),
        )

    def run(
        self, ctx: UnitContext, params: SurvivalCalibrationParams
    ) -> SurvivalCalibrationUnitResult:
        """Groups and slope in each set with patients."""
        from remarkit.report.plots.survival_calibration import (
            SurvivalCalibrationPanel,
            survival_calibration_figure,
        )
        from remarkit.stats import survival_calibration_scores

        for field, column in (("lp", params.lp), ("survival", params.survival)):
            check_columns(ctx, [column], field)
            if is_categorical(ctx.cohort.data[column]):
                raise InputError(f"column '{column}' is categorical", field=field)
        hit = _SURV_COLUMN.search(params.survival)
        if hit and _number(hit.group(1)) not in (None, params.horizon):
            raise InputError(
                f"column '{params.survival}' holds survival at {hit.group(1)}, not at the "
                f"horizon {params.horizon:g}",
                field="horizon",
            )
        endpoint = ctx.cohort.endpoint(params.endpoint)
        sets = [s for s in params.sets if bool(_mask(ctx, s).any())]
        if not sets:
            raise InputError("none of the sets has patients", field="sets")
        data = ctx.cohort.data
        notes: list[str] = []
        out: list[SetCalibration] = []
        for which in sets:
            mask = _mask(ctx, which)
            ok = mask & endpoint.complete & data[params.lp].notna() & data[params.survival].notna()
            name = ctx.cohort.set_label(which)
            events = int(endpoint.event[ok].sum())
            if events == 0:
                notes.append(f"{name}: no events among the {int(ok.sum())} patients; skipped")
                continue
            try:
                res = survival_calibration_scores(
                    endpoint.time[ok].to_numpy(dtype=float),
                    endpoint.event[ok].to_numpy(dtype=float),
                    data.loc[ok, params.lp].to_numpy(dtype=float),
                    data.loc[ok, params.survival].to_numpy(dtype=float),
                    params.horizon,
                    groups=params.groups,
                    level=params.level,
                )
            except StatisticsError as exc:
                notes.append(f"{name}: calibration not computed, {exc}")
                continue
            groups = [CalibrationGroup.model_validate(row) for row in res.groups.to_dict("records")]
            out.append(
                SetCalibration(
                    set=which,
                    set_name=name,
                    n=res.n,
                    events=res.events,
                    excluded=int((mask & ~ok).sum()),
                    groups=groups,
                    slope=res.slope,
                    slope_se=res.slope_se,
                    slope_lower=res.slope_lower,
                    slope_upper=res.slope_upper,
                )
            )
        unit = endpoint.spec.unit
        figures = []
        if out:
            panels = [
                SurvivalCalibrationPanel(
                    title=s.set_name,
                    predicted=[g.predicted for g in s.groups],
                    observed=[g.observed for g in s.groups],
                    lower=[g.observed_lower for g in s.groups],
                    upper=[g.observed_upper for g in s.groups],
                    annotation=f"Slope {s.slope:.2f} ({s.slope_lower:.2f}-{s.slope_upper:.2f})",
                )
                for s in out
            ]
            figures.append(
                ctx.save_figure(
                    "survival_calibration",
                    survival_calibration_figure(
                        panels, horizon_label=f"{params.horizon:g} {unit}", level=params.level
                    ),
                    f"Calibration of the frozen model at {params.horizon:g} {unit}: Kaplan-Meier "
                    f"survival with {100 * params.level:g}% CIs against the mean predicted "
                    f"survival in {params.groups} quantile groups of predicted risk; dashed line, "
                    "ideal calibration.",
                )
            )
        return SurvivalCalibrationUnitResult(
            endpoint_label=endpoint.label,
            time_unit=unit,
            horizon=params.horizon,
            lp=params.lp,
            survival=params.survival,
            level=params.level,
            sets=out,
            figures=figures,
            warnings=notes,
            populations=[counts_of(s.set, endpoint.name, s.n, s.events) for s in out],
        )

    def methods(
        self, result: SurvivalCalibrationUnitResult, params: SurvivalCalibrationParams
    ) -> str:
        """The Methods paragraph."""
        pct = f"{100 * result.level:g}%"
        return (
            "Calibration of the frozen model for "
            f"{endpoint_phrase(result.endpoint_label, result.time_unit)} was assessed at "
            f"{result.horizon:g} {result.time_unit}: patients were divided into {params.groups} "
            "groups at quantiles of their predicted survival, and each group's mean predicted "
            f"survival was compared with its Kaplan-Meier estimate ({pct} confidence interval "
            "on the log scale). The calibration slope is the coefficient of the model's linear "
            "predictor as the only covariate of a Cox model refitted in the evaluation set "
            f"(Efron ties; Wald {pct} confidence interval; 1 is ideal, below 1 indicates "
            "overfitting), as survival::coxph. The model's predictions were used as they are, "
            "with nothing refitted."
        )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
