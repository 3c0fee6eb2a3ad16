"""marker_reproducibility: agreement of a continuous marker measured twice (REMARK item 5).

Two cohort columns hold two measurements of the same marker per patient (two laboratories, two
readers, test and retest). Among the patients with both values in each requested set, the unit
reports the six Shrout-Fleiss intraclass correlations (:func:`remarkit.stats.icc`, as
``psych::ICC``; ICC(2,1) is the headline) and the Bland-Altman bias and limits of agreement with
their confidence intervals (:func:`remarkit.stats.bland_altman`), optionally on log values (limits
then read as ratios). Nothing is fitted to an outcome, so no set is held out: by default all
patients with both values are used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitParams
from remarkit.modeling.columns import check_columns, column_label, is_categorical
from remarkit.plugins.agreement._marker_repro_results import (
    MarkerReproducibilityResult,
    Set,
    SetReproducibility,
    ba_summary,
    icc_rows,
    ratio_summary,
)
from remarkit.text import name_ids

MIN_PATIENTS = 3


def _default_sets() -> list[Set]:
    return ["all"]


class MarkerReproducibilityParams(UnitParams):
    """The ``[[unit]]`` table of a marker_reproducibility unit."""

    first: str = Field(description="Continuous column of the first measurement")
    second: str = Field(description="Continuous column of the second measurement (same marker)")
    log: bool = Field(
        default=False,
        description="Analyse log values (for markers whose error grows with their level); the "
        "limits of agreement are then shown as ratios first / second",
    )
    sets: list[Set] = Field(
        default_factory=_default_sets,
        description="Sets analysed, each on its own: 'all' (every patient with both values; no "
        "outcome is involved, so nothing leaks), 'train', 'test'; sets without patients are "
        "left out",
    )
    level: float = Field(
        default=0.95, gt=0.5, lt=1.0, description="Confidence level and limits' coverage"
    )

    @field_validator("sets")
    @classmethod
    def _distinct(cls, value: list[Set]) -> list[Set]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sets must be non-empty and list each set once")
        return value


def _mask(ctx: UnitContext, which: Set) -> pd.Series:
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which


def _values(ctx: UnitContext, params: MarkerReproducibilityParams) -> pd.DataFrame:
    """The two columns as floats; unknown, categorical or (with log) non-positive is an error."""
    data = ctx.cohort.data
    if params.first == params.second:
        raise InputError(f"'{params.first}' is given as both measurements", field="second")
    out = {}
    for field, column in (("first", params.first), ("second", params.second)):
        check_columns(ctx, [column], field)
        series = data[column]
        if is_categorical(series):
            raise InputError(f"column '{column}' is categorical, not continuous", field=field)
        try:
            values = pd.to_numeric(series, errors="raise").astype(float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"column '{column}' is not numeric", field=field) from exc
        if params.log:
            bad = values.index[values.notna() & (values <= 0)]
            if len(bad):
                raise InputError(
                    f"log = true needs positive values; column '{column}' has {len(bad)} value(s) "
                    f"<= 0 (patients {name_ids([str(i) for i in bad])})",
                    field="log",
                )
        out[field] = values
    return pd.DataFrame(out)


class MarkerReproducibility(Unit[MarkerReproducibilityParams, MarkerReproducibilityResult]):
    """ICC (all Shrout-Fleiss forms) and Bland-Altman limits of agreement of two measurements."""

    name = "marker_reproducibility"
    title = "Reproducibility of the marker measurement"
    family = "marker_response"
    version = "1.0"
    Params = MarkerReproducibilityParams
    Result = MarkerReproducibilityResult
    remark_items = (5,)
    citations = (
        "Shrout PE, Fleiss JL. Psychol Bull 1979;86:420-8.",
        "Bland JM, Altman DG. Lancet 1986;327:307-10.",
        "Bland JM, Altman DG. Stat Methods Med Res 1999;8:135-60.",
        "Koo TK, Li MY. J Chiropr Med 2016;15:155-63.",
    )
    report_section = "agreement"

    def needs(self, params: MarkerReproducibilityParams) -> Needs:
        """The two measurement columns (and the split when a set other than 'all' is asked)."""
        return Needs(
            columns=[params.first, params.second], split=any(s != "all" for s in params.sets)
        )

    def run(
        self, ctx: UnitContext, params: MarkerReproducibilityParams
    ) -> MarkerReproducibilityResult:
        """ICC and Bland-Altman per set with patients."""
        from remarkit.report.plots.agreement import BlandAltmanLines, agreement_figure
        from remarkit.stats import bland_altman, icc

        values = _values(ctx, params)
        both = values.notna().all(axis=1)
        if int(both.sum()) < MIN_PATIENTS:
            raise InputError(
                f"only {int(both.sum())} patient(s) have both '{params.first}' and "
                f"'{params.second}'; at least {MIN_PATIENTS} are needed",
                field="second",
            )
        sets = [s for s in params.sets if bool(_mask(ctx, s).any())]
        if not sets:
            raise InputError("none of the sets has patients", field="sets")
        first_label, unit = column_label(ctx, params.first, {})
        second_label, _ = column_label(ctx, params.second, {})
        analysed = values.apply(np.log) if params.log else values
        notes: list[str] = []
        out: list[SetReproducibility] = []
        figures = []
        z = float("nan")
        for which in sets:
            mask = _mask(ctx, which)
            ok = mask & both
            name = ctx.cohort.set_label(which)
            n = int(ok.sum())
            if n < MIN_PATIENTS:
                notes.append(f"{name}: only {n} patient(s) with both measurements; skipped")
                continue
            table = analysed.loc[ok, ["first", "second"]].to_numpy(dtype=float)
            try:
                icc_res = icc(table, level=params.level)
                ba_res = bland_altman(table[:, 0], table[:, 1], level=params.level)
            except StatisticsError as exc:
                notes.append(f"{name}: agreement not computed, {exc}")
                continue
            z = ba_res.z
            summary = ba_summary(ba_res)
            rows = icc_rows(icc_res)
            entry = SetReproducibility(
                set=which,
                set_name=name,
                n=n,
                n_missing=int((mask & ~both).sum()),
                mean_first=float(table[:, 0].mean()),
                mean_second=float(table[:, 1].mean()),
                icc=rows,
                headline=next(r for r in rows if r.form == "ICC2"),
                bland_altman=summary,
                ratio=ratio_summary(summary) if params.log else None,
            )
            out.append(entry)
            shown = entry.ratio if entry.ratio is not None else summary
            lines = BlandAltmanLines(
                bias=shown.bias,
                bias_ci=(shown.bias_lower, shown.bias_upper),
                lower=shown.lower_loa,
                lower_ci=(shown.lower_loa_lower, shown.lower_loa_upper),
                upper=shown.upper_loa,
                upper_ci=(shown.upper_loa_lower, shown.upper_loa_upper),
            )
            raw = values.loc[ok, ["first", "second"]].to_numpy(dtype=float)
            pct = f"{100 * params.level:g}%"
            what = "ratio" if params.log else "difference"
            figures.append(
                ctx.save_figure(
                    f"agreement_{which}",
                    agreement_figure(
                        raw[:, 0],
                        raw[:, 1],
                        lines,
                        labels=(first_label, second_label),
                        log=params.log,
                        title=f"{name} (n = {n})",
                    ),
                    f"{name}: {second_label} against {first_label} with the line of identity "
                    f"(left), and the Bland-Altman plot (right): the {what} of the two against "
                    f"their {'geometric ' if params.log else ''}mean, with the bias (solid) and "
                    f"the {pct} limits of agreement (dashed); shaded bands are their {pct} "
                    "confidence intervals.",
                )
            )
        return MarkerReproducibilityResult(
            first=params.first,
            second=params.second,
            first_label=first_label,
            second_label=second_label,
            unit=unit,
            log=params.log,
            level=params.level,
            z=z,
            sets=out,
            figures=figures,
            warnings=notes,
        )

    def methods(
        self, result: MarkerReproducibilityResult, params: MarkerReproducibilityParams
    ) -> str:
        """The Methods paragraph."""
        pct = f"{100 * result.level:g}%"
        scale = (
            "Both measurements were log-transformed before the analysis, so that the limits of "
            "agreement, back-transformed, are ratios of the first to the second measurement. "
            if result.log
            else ""
        )
        sets = ", ".join(s.set_name.lower() for s in result.sets) or "no set"
        return (
            f"The reproducibility of the marker measurement was assessed by comparing "
            f"{result.first_label} with {result.second_label} in the patients with both "
            f"measurements ({sets}); the comparison involves no outcome, so no patients were "
            "held out. " + scale + "Intraclass correlation coefficients were computed in all six "
            "forms of Shrout and Fleiss from the two-way analysis of variance, with ICC(2,1) "
            "(two-way random effects, absolute agreement, single measurement) as the main "
            f"measure, with F-based {pct} confidence intervals, as R psych::ICC. Agreement was "
            "further described by the Bland-Altman method: the bias (mean difference, with a "
            f"t-based {pct} confidence interval) and the {pct} limits of agreement (bias ± "
            f"{result.z:.3f} SD of the differences), each with the approximate confidence "
            "interval of Bland and Altman (1999); proportional bias was examined by regressing "
            "the differences on the means."
        )
