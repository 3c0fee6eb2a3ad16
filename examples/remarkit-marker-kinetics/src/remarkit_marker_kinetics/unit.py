"""marker_kinetics: per-patient log2 slope of a serum marker and its relation to the outcome."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pandas as pd
from remarkit import (
    DerivedColumn,
    FigureRef,
    Needs,
    StatisticsError,
    Unit,
    UnitContext,
)

from remarkit_marker_kinetics.association import (
    discrimination,
    hazard_ratio,
    odds_ratio,
    rank_sum_p,
    recorded,
    slope_summary,
)
from remarkit_marker_kinetics.compute import (
    Kinetics,
    log2_kinetics,
    marker_name,
    name_patients,
    numeric_column,
)
from remarkit_marker_kinetics.figure import trajectories
from remarkit_marker_kinetics.models import (
    MarkerKineticsParams,
    MarkerKineticsResult,
    Split,
    SplitKinetics,
)

#: Fewest patients per outcome group for a split's statistics.
MIN_PER_GROUP = 2
SPLITS: tuple[Split, ...] = ("train", "test")


class MarkerKinetics(Unit[MarkerKineticsParams, MarkerKineticsResult]):
    """Log2 slope of a marker between baseline and follow-up; its association with the outcome."""

    name = "marker_kinetics"
    family = "marker_response"
    #: Part of the cache key: bump it whenever the results could change.
    version = "1.0"
    Params = MarkerKineticsParams
    Result = MarkerKineticsResult
    remark_items = (10, 11, 15)
    citations = (
        "Vora SR, Zheng H, Stadler ZK, Fuchs CS, Zhu AX. Serum alpha-fetoprotein response as a "
        "surrogate for clinical outcome in patients receiving systemic therapy for advanced "
        "hepatocellular carcinoma. Oncologist 2009;14:717-725.",
        "DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more "
        "correlated receiver operating characteristic curves: a nonparametric approach. "
        "Biometrics 1988;44:837-845.",
    )

    def needs(self, params: MarkerKineticsParams) -> Needs:
        """The two marker columns (and the interval column), the outcome, survival if asked."""
        columns = [params.baseline, params.follow_up]
        if params.interval_column:
            columns.append(params.interval_column)
        return Needs(columns=columns, outcome=True, survival=params.survival)

    def run(self, ctx: UnitContext, params: MarkerKineticsParams) -> MarkerKineticsResult:
        """Slopes for every patient, then the statistics in the training and the test set."""
        cohort = ctx.cohort
        data = cohort.data
        baseline = numeric_column(data, params.baseline, "baseline")
        follow_up = numeric_column(data, params.follow_up, "follow-up")
        if params.interval_column:
            interval = numeric_column(data, params.interval_column, "interval")
        else:
            interval = pd.Series(params.interval, index=data.index, dtype=float, name="interval")
        kinetics = log2_kinetics(
            baseline, follow_up, interval, detection_limit=params.detection_limit
        )
        marker = params.marker or marker_name(
            cohort.label(params.baseline), cohort.label(params.follow_up)
        )
        spec = cohort.variable(params.baseline)
        outcome = cohort.spec.outcome.label or cohort.spec.outcome.positive
        positive = cohort.spec.outcome.positive
        labels = (positive, f"not {positive}")
        notes: list[str] = []
        splits = [
            s
            for name in SPLITS
            if (s := self._split(ctx, params, kinetics, name, labels, notes)) is not None
        ]
        if not splits or splits[0].split != "train":
            raise StatisticsError(
                f"the training set needs at least {MIN_PER_GROUP} patients with a slope in each "
                "outcome group"
            )
        if kinetics.missing:
            notes.append(
                f"{len(kinetics.missing)} patient(s) without both {marker} values or an interval "
                f"were left out (not imputed): {name_patients(kinetics.missing)}"
            )
        if kinetics.floored:
            notes.append(
                f"{len(kinetics.floored)} patient(s) had a value below the detection limit "
                f"{params.detection_limit:g}, set to the limit"
            )
        return MarkerKineticsResult(
            marker=marker,
            unit=spec.unit if spec is not None else "",
            time_unit=params.time_unit,
            outcome=outcome,
            direction=params.direction,
            interval=params.interval,
            interval_column=params.interval_column,
            detection_limit=params.detection_limit,
            level=params.level,
            splits=splits,
            floored=kinetics.floored,
            excluded=kinetics.missing,
            columns=_columns(kinetics, marker, params.time_unit),
            figures=[self._figure(ctx, params, kinetics, interval, marker, labels)],
            warnings=notes,
        )

    def _split(
        self,
        ctx: UnitContext,
        params: MarkerKineticsParams,
        kinetics: Kinetics,
        name: Split,
        labels: tuple[str, str],
        notes: list[str],
    ) -> SplitKinetics | None:
        cohort = ctx.cohort
        keep = (cohort.split == name) & kinetics.slope.notna()
        slopes = kinetics.slope[keep].to_numpy(dtype=float)
        y = cohort.outcome[keep].to_numpy(dtype=float)
        events = int(y.sum())
        if min(events, y.size - events) < MIN_PER_GROUP:
            notes.append(
                f"{name} set: {y.size} patients with a slope, {events} with the outcome; "
                f"at least {MIN_PER_GROUP} in each group are needed, so it is not analysed"
            )
            return None
        # the effect is per halving (falling) or per doubling (rising) per time unit
        effect_x = -slopes if params.direction == "falling" else slopes
        hr = None
        if params.survival and cohort.time is not None and cohort.event is not None:
            time = cohort.time[keep].to_numpy(dtype=float)
            event = cohort.event[keep].to_numpy(dtype=float)
            hr = recorded(
                notes, f"{name} Cox", lambda: hazard_ratio(effect_x, time, event, params.level)
            )
        auc, lower, upper = recorded(
            notes, f"{name} AUC", lambda: discrimination(slopes, y, params.direction, params.level)
        )
        half_lives = kinetics.half_life[keep].dropna().to_numpy()
        return SplitKinetics(
            split=name,
            n=int(y.size),
            events=events,
            groups=[
                slope_summary(labels[0], slopes[y == 1]),
                slope_summary(labels[1], slopes[y == 0]),
            ],
            mann_whitney_p=rank_sum_p(slopes, y, *labels),
            auc=auc,
            auc_lower=lower,
            auc_upper=upper,
            odds_ratio=recorded(
                notes, f"{name} logistic", lambda: odds_ratio(effect_x, y, params.level)
            ),
            hazard_ratio=hr,
            falling=int(half_lives.size),
            median_half_life=float(np.median(half_lives)) if half_lives.size else None,
        )

    def _figure(
        self,
        ctx: UnitContext,
        params: MarkerKineticsParams,
        kinetics: Kinetics,
        interval: pd.Series,
        marker: str,
        labels: tuple[str, str],
    ) -> FigureRef:
        fig = trajectories(
            kinetics.baseline,
            kinetics.follow_up,
            interval,
            ctx.cohort.outcome,
            ctx.cohort.split,
            marker=marker,
            time_unit=params.time_unit,
            labels=labels,
        )
        caption = (
            f"{marker} from baseline to follow-up per patient (thin lines) on a log2 scale, by "
            "outcome, in the training and the test set; thick lines start at the group's "
            "geometric-mean baseline and follow its median slope."
        )
        return ctx.save_figure("trajectories", fig, caption)

    def methods(self, result: MarkerKineticsResult, params: MarkerKineticsParams) -> str:
        """The Methods paragraph: slope definition, statistics per split, software versions."""
        unit = result.time_unit
        effect = "halving" if result.direction == "falling" else "doubling"
        when = (
            f"over an interval of {result.interval:g} {unit}"
            f"{'' if result.interval == 1 else 's'} for every patient"
            if result.interval is not None
            else f"over each patient's interval ('{result.interval_column}', in {unit})"
        )
        text = (
            f"{result.marker} kinetics were summarised per patient by the log2 slope between "
            f"baseline and follow-up, (log2 follow-up - log2 baseline) / interval, {when}: "
            f"doublings per {unit}, negative for a falling marker, whose half-life is "
            f"1 / |slope| {unit}."
        )
        if result.detection_limit is not None:
            text += (
                f" Values below the detection limit of {result.detection_limit:g} were set to "
                f"the limit ({len(result.floored)} patients)."
            )
        text += (
            f" In the training and the test set separately, slopes were compared between "
            f"patients with and without {result.outcome} by the Wilcoxon rank-sum test (normal "
            "approximation with continuity correction); discrimination was summarised by the "
            f"area under the ROC curve with {100 * result.level:g}% DeLong confidence intervals "
            f"(a {'faster fall' if result.direction == 'falling' else 'faster rise'} counting as "
            f"positive); and the odds ratio per {effect} per {unit} was estimated by univariable "
            "logistic regression with Wald confidence intervals."
        )
        if params.survival:
            text += (
                f" The hazard ratio of death per {effect} per {unit} was estimated by "
                "univariable Cox regression (Efron ties, Wald confidence intervals)."
            )
        text += (
            " Patients without both values were left out, not imputed. Software: "
            f"{self.name} {self.version} (remarkit-marker-kinetics "
            f"{_version('remarkit-marker-kinetics')}), remarkit {version('remarkit')}, "
            f"numpy {version('numpy')}, scipy {version('scipy')}, pandas {version('pandas')}."
        )
        return text


def _version(distribution: str) -> str:
    """A distribution's installed version, or 'not installed' when run from a source tree."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def _columns(kinetics: Kinetics, marker: str, time_unit: str) -> list[DerivedColumn]:
    """The derived columns ``<id>.slope`` and ``<id>.half_life`` (None where undefined)."""
    ids = [str(i) for i in kinetics.slope.index]
    return [
        DerivedColumn(
            name=name,
            kind="continuous",
            ids=ids,
            values=[None if pd.isna(v) else float(v) for v in series],
            label=label,
        )
        for name, series, label in (
            ("slope", kinetics.slope, f"{marker} log2 slope (per {time_unit})"),
            ("half_life", kinetics.half_life, f"{marker} half-life ({time_unit})"),
        )
    ]
