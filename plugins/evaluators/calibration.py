"""``calibration``: calibration curves and statistics of predicted probabilities, train and test.

Per model and set: ``rms::val.prob``'s intercept, slope, Brier score, Emax/Eavg and lowess
curve, Hosmer-Lemeshow (g groups by quantiles of p), Spiegelhalter's Z; a figure per model with
the training and test curves (the reference paper's Figure 4D-G). Sets without patients are left
out (an external validation cohort has one set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import (
    BINARY_OUTCOME,
    InputError,
    Needs,
    Sentence,
    StatisticsError,
    Unit,
    UnitContext,
    merged,
)
from remarkit import population as counts_of
from remarkit.cells import cell_float, cell_int
from remarkit.plugins.evaluators._common import (
    SPLIT,
    Row,
    ScoresParams,
    Split,
    Y,
    add_warning,
    drop_missing,
    finite,
    join_labels,
    outcome_table,
    require_classes,
    score_exclusions,
    stat,
)
from remarkit.plugins.evaluators._sentences import calibration_sentences
from remarkit.plugins.evaluators._sets import (
    EvaluatorResult,
    present_splits,
    result_set_name,
    set_name,
    set_names,
)
from remarkit.report.formatting import p_phrase
from remarkit.text import versions

if TYPE_CHECKING:
    from remarkit.report.plots.calibration import CalibrationPanel
    from remarkit.stats import CalibrationResult as StatCalibration


class CalibrationParams(ScoresParams):
    """The ``[[unit]]`` table of ``calibration``; every score must be a probability in (0, 1)."""

    groups: int = Field(default=10, ge=3, description="Hosmer-Lemeshow groups (quantiles of p)")
    bins: int = Field(default=10, ge=2, description="Quantile groups drawn as points in the figure")
    level: float = Field(default=0.95, gt=0.0, lt=1.0, description="Level of the binned CIs")


class CalibrationBin(Row):
    """A quantile group of predictions: mean predicted risk and observed proportion (exact CI)."""

    n: int = Field(description="Patients in the group")
    mean_predicted: float = Field(description="Mean predicted probability")
    observed: float = Field(description="Observed event proportion")
    lower: float | None = Field(description="Clopper-Pearson lower bound")
    upper: float | None = Field(description="Clopper-Pearson upper bound")


class SetCalibration(Row):
    """Calibration of one model in one set."""

    split: Split = Field(description="train or test")
    n: int = Field(description="Patients analysed")
    events: int = Field(description="Patients with the outcome")
    intercept: float | None = Field(description="val.prob Intercept (None under separation)")
    slope: float | None = Field(description="val.prob Slope (None under separation)")
    calibration_in_the_large: float | None = Field(description="Intercept with slope fixed at 1")
    brier: float = Field(description="Brier score")
    emax: float = Field(description="Max |p - lowess curve|")
    eavg: float = Field(description="Mean |p - lowess curve|")
    hl_chi_square: float | None = Field(description="Hosmer-Lemeshow chi-square")
    hl_df: int | None = Field(description="Hosmer-Lemeshow degrees of freedom")
    hl_p_value: float | None = Field(description="Hosmer-Lemeshow p-value")
    spiegelhalter_z: float | None = Field(description="Spiegelhalter's Z")
    spiegelhalter_p_value: float | None = Field(description="Two-sided p-value of Z")
    bins: list[CalibrationBin] = Field(description="Quantile groups drawn in the figure")


class ModelCalibration(Row):
    """A model's calibration in the training and test sets."""

    column: str = Field(description="Probability column")
    label: str = Field(description="Display label")
    sets: list[SetCalibration] = Field(description="Training then test set")
    excluded: list[str] = Field(description="Patients left out for a missing probability")


class CalibrationUnitResult(EvaluatorResult):
    """Calibration statistics and curves of every model."""

    kind: Literal["calibration"] = "calibration"
    groups: int = Field(description="Hosmer-Lemeshow groups")
    level: float = Field(description="Confidence level of the binned proportions")
    models: list[ModelCalibration] = Field(description="One entry per model")


def check_probabilities(values: pd.Series, column: str) -> None:
    """Calibration needs predicted probabilities strictly inside (0, 1): say so if not."""
    v = values.dropna()
    outside = v[(v <= 0) | (v >= 1)]
    if len(outside):
        raise InputError(
            f"column '{column}' is not a predicted probability: {len(outside)} value(s) lie "
            f"outside (0, 1) (range {v.min():.4g} to {v.max():.4g}); calibration needs "
            "probabilities, e.g. a logistic model's '<id>.probability' column"
        )


def _set_calibration(
    split: Split,
    y: np.ndarray,
    p: np.ndarray,
    params: CalibrationParams,
    sink: list[str],
    prefix: str,
) -> tuple[SetCalibration, StatCalibration]:
    from remarkit.stats import calibration, hosmer_lemeshow, spiegelhalter_z

    cal = stat(sink, prefix, calibration, y, p, groups=params.bins, level=params.level)
    hl_chi = hl_p = None
    hl_df: int | None = None
    try:
        hl = stat(sink, prefix, hosmer_lemeshow, y, p, groups=params.groups)
        hl_chi, hl_df, hl_p = hl.chi_square, hl.df, hl.p_value
    except StatisticsError as exc:
        add_warning(sink, f"Hosmer-Lemeshow not computed: {exc}")
    sz = sp = None
    try:
        sz_res = stat(sink, prefix, spiegelhalter_z, y, p)
        sz, sp = sz_res.z, sz_res.p_value
    except StatisticsError as exc:
        add_warning(sink, f"Spiegelhalter's Z not computed: {exc}")
    bins = [
        CalibrationBin(
            n=cell_int(r.n),
            mean_predicted=cell_float(r.mean_predicted),
            observed=cell_float(r.observed),
            lower=finite(r.observed_lower),
            upper=finite(r.observed_upper),
        )
        for r in cal.bins.itertuples()
    ]
    row = SetCalibration(
        split=split,
        n=int(y.size),
        events=int(y.sum()),
        intercept=finite(cal.intercept),
        slope=finite(cal.slope),
        calibration_in_the_large=finite(cal.calibration_in_the_large),
        brier=cal.brier,
        emax=cal.emax,
        eavg=cal.eavg,
        hl_chi_square=finite(hl_chi),
        hl_df=hl_df,
        hl_p_value=finite(hl_p),
        spiegelhalter_z=finite(sz),
        spiegelhalter_p_value=finite(sp),
        bins=bins,
    )
    return row, cal


def _panel(
    title: str, row: SetCalibration, cal: StatCalibration, p: np.ndarray
) -> CalibrationPanel:
    from remarkit.report.plots.calibration import CalibrationPanel

    note = f"HL {p_phrase(row.hl_p_value)}\nSpiegelhalter {p_phrase(row.spiegelhalter_p_value)}"
    return CalibrationPanel(
        title=title,
        curve_predicted=cal.curve["predicted"].tolist(),
        curve_observed=cal.curve["observed"].tolist(),
        bin_predicted=[b.mean_predicted for b in row.bins],
        bin_observed=[b.observed for b in row.bins],
        bin_lower=[b.lower if b.lower is not None else b.observed for b in row.bins],
        bin_upper=[b.upper if b.upper is not None else b.observed for b in row.bins],
        predictions=p.tolist(),
        annotation=note,
    )


class Calibration(Unit[CalibrationParams, CalibrationUnitResult]):
    """Calibration intercept/slope, Brier, Hosmer-Lemeshow, Spiegelhalter Z and curves."""

    name = "calibration"
    family = "evaluator"
    version = "1.0"
    Params = CalibrationParams
    Result = CalibrationUnitResult
    remark_items = (10, 16)
    citations = (
        "Harrell FE. rms: Regression Modeling Strategies (val.prob).",
        "Hosmer DW, Lemeshow S. Commun Stat Theory Methods 1980;9:1043-69.",
        "Spiegelhalter DJ. Stat Med 1986;5:421-33.",
    )
    report_section = "calibration"

    def needs(self, params: CalibrationParams) -> Needs:
        return Needs(columns=[s.column for s in params.scores], outcome=True)

    def run(self, ctx: UnitContext, params: CalibrationParams) -> CalibrationUnitResult:
        from remarkit.report.plots.calibration import calibration_figure

        sink: list[str] = []
        frame, exclusions = outcome_table(ctx, params.scores, sink)
        models: list[ModelCalibration] = []
        figures = []
        splits = present_splits(ctx)
        for k, spec in enumerate(params.scores):
            label = spec.display(ctx)
            check_probabilities(frame[spec.column], spec.column)
            data = drop_missing(frame[[Y, SPLIT, spec.column]], {spec.column: label}, sink)
            exclusions += score_exclusions(frame, data, label)
            sets: list[SetCalibration] = []
            panels: list[CalibrationPanel] = []
            for split in splits:
                part = data[data[SPLIT] == split]
                y = part[Y].to_numpy(dtype=np.int64)
                p = part[spec.column].to_numpy(dtype=np.float64)
                prefix = f"{label}, {set_name(ctx, split).lower()}"
                require_classes(y, prefix)
                row, cal = _set_calibration(split, y, p, params, sink, prefix)
                sets.append(row)
                panels.append(_panel(set_name(ctx, split), row, cal, p))
            where = "in the training set (left) and the test set (right)"
            if not ctx.cohort.has_training_set:
                where = "in the " + join_labels([set_name(ctx, s).lower() for s in splits])
            figures.append(
                ctx.save_figure(
                    f"calibration_{k + 1}",
                    calibration_figure(panels),
                    f"Calibration of {label} {where}: lowess curve, observed proportions in "
                    f"quantile groups of predicted risk with {100 * params.level:g}% CIs, and "
                    "the distribution of predictions.",
                )
            )
            models.append(
                ModelCalibration(
                    column=spec.column,
                    label=label,
                    sets=sets,
                    excluded=[str(i) for i in frame.index.difference(data.index)],
                )
            )
        return CalibrationUnitResult(
            groups=params.groups,
            level=params.level,
            models=models,
            figures=figures,
            warnings=sink,
            exclusions=exclusions,
            set_names=set_names(ctx),
            populations=merged(
                counts_of(s.split, BINARY_OUTCOME, s.n, s.events, model.label)
                for model in models
                for s in model.sets
            ),
        )

    def results_sentences(
        self, result: CalibrationUnitResult, params: CalibrationParams
    ) -> list[Sentence]:
        return calibration_sentences(result)

    def methods(self, result: CalibrationUnitResult, params: CalibrationParams) -> str:
        labels = join_labels([m.label for m in result.models])
        where = "training and test sets"
        if result.set_names is not None:
            splits = [s.split for s in result.models[0].sets]
            where = join_labels([result_set_name(result.set_names, s).lower() for s in splits])
        return (
            f"Calibration of the predicted probabilities of {labels} was assessed in the "
            f"{where} as rms's val.prob does: calibration intercept and slope "
            "(logistic regression of the outcome on logit(p)), calibration-in-the-large, Brier "
            "score, Spiegelhalter's Z test, and a lowess calibration curve (f = 2/3, no "
            f"robustness iterations). The Hosmer-Lemeshow test used g = {result.groups} groups "
            "at quantiles of p (type 7, right-closed bins; chi-square over events and "
            "non-events, df = groups - 2). Figures show observed proportions in "
            f"{params.bins} quantile groups of p with {100 * result.level:g}% Clopper-Pearson "
            "CIs. Patients with a missing probability were left out (complete-case analysis). "
            f"Software: {versions('numpy', 'scipy', 'statsmodels')}."
        )
