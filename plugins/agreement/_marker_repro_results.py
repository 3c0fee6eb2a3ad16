"""Result models of the marker_reproducibility unit and their construction from remarkit.stats."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from remarkit import UnitResult

if TYPE_CHECKING:
    from remarkit.stats import BlandAltmanResult, IccResult

Set = Literal["all", "train", "test"]


class IccRow(BaseModel):
    """One Shrout-Fleiss form of the ICC (psych::ICC)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    form: str = Field(description="psych's name: ICC1, ICC2, ICC3, ICC1k, ICC2k or ICC3k")
    description: str = Field(description="Model, type and unit of the form in words")
    estimate: float = Field(description="Intraclass correlation")
    lower: float = Field(description="Lower confidence bound")
    upper: float = Field(description="Upper confidence bound")
    f: float = Field(description="F statistic of the test of ICC = 0")
    df1: float = Field(description="Numerator degrees of freedom")
    df2: float = Field(description="Denominator degrees of freedom")
    p_value: float = Field(description="p-value of the F test")


class BlandAltmanSummary(BaseModel):
    """Bland-Altman numbers on the analysed scale (log values when ``log``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bias: float = Field(description="Mean difference first - second")
    sd: float = Field(description="SD of the differences")
    bias_lower: float = Field(description="Lower CI bound of the bias (t-based)")
    bias_upper: float = Field(description="Upper CI bound of the bias")
    lower_loa: float = Field(description="Lower limit of agreement, bias - z SD")
    upper_loa: float = Field(description="Upper limit of agreement, bias + z SD")
    lower_loa_lower: float = Field(description="Lower CI bound of the lower limit")
    lower_loa_upper: float = Field(description="Upper CI bound of the lower limit")
    upper_loa_lower: float = Field(description="Lower CI bound of the upper limit")
    upper_loa_upper: float = Field(description="Upper CI bound of the upper limit")
    slope: float | None = Field(description="Proportional bias: slope of difference on mean")
    slope_p: float | None = Field(description="p-value of that slope")


class SetReproducibility(BaseModel):
    """Agreement of the two measurements among the patients of one set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set: Set = Field(description="'all', 'train' or 'test'")
    set_name: str = Field(description="Display name of the set")
    n: int = Field(description="Patients with both measurements")
    n_missing: int = Field(description="Patients of the set lacking one or both measurements")
    mean_first: float = Field(description="Mean of the first measurement (analysed scale)")
    mean_second: float = Field(description="Mean of the second measurement (analysed scale)")
    icc: list[IccRow] = Field(description="The six ICC forms, psych's order")
    headline: IccRow = Field(description="ICC(2,1): two-way random, absolute agreement, single")
    bland_altman: BlandAltmanSummary = Field(description="Bland-Altman numbers (analysed scale)")
    ratio: BlandAltmanSummary | None = Field(
        default=None,
        description="With log = true: the Bland-Altman numbers back-transformed by exp (ratios "
        "first / second; slope and its p stay on the log scale)",
    )


class MarkerReproducibilityResult(UnitResult):
    """ICC and Bland-Altman agreement of a marker measured twice, per set."""

    kind: Literal["marker_reproducibility"] = "marker_reproducibility"
    first: str = Field(description="Column of the first measurement")
    second: str = Field(description="Column of the second measurement")
    first_label: str = Field(description="Display name of the first measurement")
    second_label: str = Field(description="Display name of the second measurement")
    unit: str = Field(description="Measurement unit of the first column ('' if none)")
    log: bool = Field(description="Whether log values were analysed")
    level: float = Field(description="Confidence level and coverage of the limits of agreement")
    z: float = Field(description="Normal quantile of the limits of agreement")
    sets: list[SetReproducibility] = Field(description="One entry per analysed set")


def icc_rows(res: IccResult) -> list[IccRow]:
    """The six forms of ``res`` as result rows."""
    return [IccRow.model_validate(f.model_dump(exclude={"kind"})) for f in res.forms]


def ba_summary(res: BlandAltmanResult) -> BlandAltmanSummary:
    """The Bland-Altman numbers the report shows."""
    return BlandAltmanSummary.model_validate(
        {name: getattr(res, name) for name in BlandAltmanSummary.model_fields}
    )


def ratio_summary(log_scale: BlandAltmanSummary) -> BlandAltmanSummary:
    """Back-transform a log-scale summary to ratios (exp of each bound; SD stays on log scale)."""
    values = log_scale.model_dump()
    keep = {"sd", "slope", "slope_p"}
    return BlandAltmanSummary.model_validate(
        {k: v if k in keep else math.exp(v) for k, v in values.items()}
    )
