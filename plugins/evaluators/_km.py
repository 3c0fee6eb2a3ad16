"""Kaplan-Meier, log-rank, Cox and reverse-KM follow-up for two predicted groups in one population."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import StatisticsError
from remarkit.plugins.evaluators._common import Row, add_warning, finite, stat
from remarkit.report.formatting import num, p_phrase

if TYPE_CHECKING:
    from remarkit.report.plots.km import KmPanel, KmSeries

#: Columns of the frames ``analyse_population`` reads.
TIME, EVENT, GROUP = "__time__", "__event__", "__group__"


class KmGroup(Row):
    """One predicted group's Kaplan-Meier summary."""

    label: str = Field(description="Group label")
    n: int = Field(description="Patients")
    events: int = Field(description="Events")
    median: float | None = Field(description="Median survival (None if not reached)")
    median_lower: float | None = Field(description="Lower CI bound of the median (None = NA)")
    median_upper: float | None = Field(description="Upper CI bound of the median (None = NA)")
    at_risk: list[int] = Field(description="Numbers at risk at the result's risk_times")


class PopulationSurvival(Row):
    """Survival of the two predicted groups within one population (whole cohort or a split)."""

    population: str = Field(description="all, train or test")
    n: int = Field(description="Patients")
    events: int = Field(description="Events")
    follow_up: float | None = Field(description="Median follow-up, reverse Kaplan-Meier")
    follow_up_lower: float | None = Field(description="Its lower CI bound")
    follow_up_upper: float | None = Field(description="Its upper CI bound")
    groups: list[KmGroup] = Field(description="Predicted positive, then predicted negative")
    logrank_chi_square: float | None = Field(description="survdiff chi-square")
    logrank_df: int | None = Field(description="Its degrees of freedom")
    logrank_p_value: float | None = Field(description="Log-rank p-value")
    hr: float | None = Field(description="Cox HR of the non-reference group vs the reference")
    hr_lower: float | None = Field(description="Wald CI lower bound")
    hr_upper: float | None = Field(description="Wald CI upper bound")
    hr_p_value: float | None = Field(description="Wald p-value of the HR")


def analyse_population(
    population: str,
    data: pd.DataFrame,
    labels: tuple[str, str],
    *,
    reference: str,
    times: list[float],
    level: float,
    conf_type: str,
    sink: list[str],
    prefix: str,
) -> tuple[PopulationSurvival, list[KmSeries]]:
    """``data`` has columns TIME, EVENT and GROUP (one of ``labels``) for one population."""
    from remarkit.report.plots.km import KmSeries
    from remarkit.stats import (
        cox_regression,
        kaplan_meier,
        logrank_test,
        median_follow_up,
        survival_at,
    )

    t = data[TIME].to_numpy(dtype=np.float64)
    e = data[EVENT].to_numpy(dtype=np.int64)
    fu = stat(sink, prefix, median_follow_up, t, e, level=level, conf_type=conf_type)
    groups: list[KmGroup] = []
    series: list[KmSeries] = []
    for label in labels:
        part = data[data[GROUP] == label]
        if part.empty:
            add_warning(sink, f"{prefix}: no patient is in the group '{label}'")
            continue
        tg = part[TIME].to_numpy(dtype=np.float64)
        eg = part[EVENT].to_numpy(dtype=np.int64)
        km = stat(
            sink, f"{prefix}, {label}", kaplan_meier, tg, eg, conf_type=conf_type, level=level
        )
        at_risk = [int(v) for v in survival_at(km, times).table["n_risk"]]
        table = km.table
        groups.append(
            KmGroup(
                label=label,
                n=km.n,
                events=km.events,
                median=finite(km.median),
                median_lower=finite(km.median_lower),
                median_upper=finite(km.median_upper),
                at_risk=at_risk,
            )
        )
        series.append(
            KmSeries(
                label=label,
                time=table["time"].tolist(),
                surv=table["surv"].tolist(),
                lower=table["lower"].tolist(),
                upper=table["upper"].tolist(),
                censor_times=table.loc[table["n_censor"] > 0, "time"].tolist(),
                at_risk=at_risk,
            )
        )
    lr_chi = lr_p = None
    lr_df: int | None = None
    hr = hr_lo = hr_hi = hr_p = None
    if len(groups) == 2:
        try:
            lr = stat(sink, prefix, logrank_test, t, e, data[GROUP])
            lr_chi, lr_df, lr_p = lr.chisq, lr.df, lr.p_value
            other = labels[1] if reference == labels[0] else labels[0]
            frame = pd.DataFrame(
                {
                    "time": t,
                    "event": e,
                    "group": pd.Categorical(data[GROUP], categories=[reference, other]),
                }
            )
            cox = stat(
                sink,
                prefix,
                cox_regression,
                frame,
                "time",
                "event",
                ["group"],
                level=level,
                concordance_index=False,
            )
            row = cox.table.iloc[0]
            hr, hr_lo, hr_hi, hr_p = row["hr"], row["lower"], row["upper"], row["p_value"]
        except StatisticsError as exc:
            add_warning(sink, f"groups not compared: {exc}")
    result = PopulationSurvival(
        population=population,
        n=int(t.size),
        events=int(e.sum()),
        follow_up=finite(fu.median),
        follow_up_lower=finite(fu.lower),
        follow_up_upper=finite(fu.upper),
        groups=groups,
        logrank_chi_square=finite(lr_chi),
        logrank_df=lr_df,
        logrank_p_value=finite(lr_p),
        hr=finite(hr),
        hr_lower=finite(hr_lo),
        hr_upper=finite(hr_hi),
        hr_p_value=finite(hr_p),
    )
    return result, series


def panel(
    title: str,
    row: PopulationSurvival,
    series: list[KmSeries],
    times: list[float],
    time_label: str,
    *,
    hr_of: tuple[str, str] | None = None,
) -> KmPanel:
    """A KM panel annotated with the log-rank p and the HR (``hr_of``: the group the HR is of
    and its reference, named in the annotation)."""
    from remarkit.report.plots.km import KmPanel

    lines = []
    if row.logrank_p_value is not None:
        lines.append(f"Log-rank {p_phrase(row.logrank_p_value)}")
    if row.hr is not None:
        of = f" {hr_of[0]} vs {hr_of[1]}" if hr_of else ""
        lines.append(f"HR{of} {num(row.hr)} ({num(row.hr_lower)}\u2013{num(row.hr_upper)})")
    return KmPanel(
        title=title,
        series=series,
        risk_times=times,
        annotation="; ".join(lines),
        time_label=time_label,
    )
