"""marker_response: percentage decline of a serum marker, a train-fitted threshold, categories."""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING, Literal

import pandas as pd

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    AppliedResult,
    DerivedColumn,
    FigureRef,
    Fitted,
    Needs,
    StatisticsError,
    Unit,
    UnitContext,
    exclusion,
    population,
    unknown_outcome,
)
from remarkit.modeling.thresholds import finite_optimum, finite_ties
from remarkit.plugins.marker_response.compute import (
    check_baseline,
    check_follow_up,
    classify,
    numeric_marker,
    percent_decline,
)
from remarkit.plugins.marker_response.results import (
    CategoryCount,
    MarkerResponseParams,
    MarkerResponseResult,
)
from remarkit.plugins.marker_response.threshold import fit_threshold
from remarkit.report.labels import outcome_names
from remarkit.text import name_ids

if TYPE_CHECKING:
    from remarkit.report.plots.marker import RocMark
    from remarkit.stats import AucResult, RocCurveResult, YoudenResult


class MarkerResponse(Unit[MarkerResponseParams, MarkerResponseResult]):
    """Decline of a marker from baseline to follow-up; Youden threshold fitted on train only."""

    name = "marker_response"
    family = "marker_response"
    version = "1.0"
    Params = MarkerResponseParams
    Result = MarkerResponseResult
    remark_items = (10, 11)
    citations = (
        "Robin X, Turck N, Hainard A, et al. pROC: an open-source package for R and S+ to "
        "analyze and compare ROC curves. BMC Bioinformatics 2011;12:77.",
        "Youden WJ. Index for rating diagnostic tests. Cancer 1950;3:32-35.",
    )

    def needs(self, params: MarkerResponseParams) -> Needs:
        """The two marker columns and the binary outcome."""
        return Needs(columns=[params.baseline, params.follow_up], outcome=True)

    def run(self, ctx: UnitContext, params: MarkerResponseParams) -> MarkerResponseResult:
        """Fit the threshold on the training set and classify every patient with it."""
        cohort = ctx.cohort
        baseline = numeric_marker(cohort.data, params.baseline)
        check_baseline(baseline)
        follow_up = numeric_marker(cohort.data, params.follow_up)
        missing = check_follow_up(follow_up)
        decline = percent_decline(baseline, follow_up)
        marker = params.marker or cohort.label(params.baseline)
        spec = cohort.variable(params.baseline)
        unit = spec.unit if spec is not None else ""
        outcome_label = outcome_names(cohort.spec.binary_outcome())[0]

        eligible = cohort.train & (baseline >= params.normal_limit) & decline.notna()
        unknown = unknown_outcome(cohort.outcome, eligible)
        fit = eligible & cohort.outcome_known
        y = cohort.outcome[fit].to_numpy(dtype=float)
        x = decline[fit].to_numpy(dtype=float)
        events = int(y.sum())
        if events == 0 or events == y.size:
            raise StatisticsError(
                f"the Youden threshold needs both outcomes among training patients with "
                f"baseline >= {params.normal_limit:g} and a follow-up value: {y.size} patients, "
                f"{events} with '{cohort.spec.binary_outcome().positive}'"
            )
        notes: list[str] = []
        if unknown:
            notes.append(
                f"{len(unknown)} training patient(s) with a missing outcome left out of the "
                f"threshold fitting ({name_ids(unknown)}); they are still classified"
            )
        fitted = fit_threshold(
            y,
            x,
            direction=params.direction,
            level=params.level,
            replicates=params.bootstrap,
            rng=ctx.rng,
            notes=notes,
        )
        best, curve, auc = fitted.best, fitted.curve, fitted.auc
        finite = fitted.finite
        if not finite and params.clinical_threshold is None:
            raise StatisticsError(
                f"no finite decline threshold separates the outcomes in training (best Youden "
                f"J = {best.youden:.3g}); give a clinical_threshold"
            )

        clinical = params.clinical_threshold
        source: Literal["youden", "clinical"] = "youden" if clinical is None else "clinical"
        applied = float(best.threshold if clinical is None else clinical)
        positive = x >= applied if params.direction == "<" else x <= applied
        sensitivity = float(positive[y == 1].mean())
        specificity = float((~positive[y == 0]).mean())

        labels = params.labels()
        category = classify(
            baseline, decline, normal_limit=params.normal_limit, threshold=applied, labels=labels
        )
        unclassified = [i for i in missing if category[i] is None]
        if missing:
            notes.append(
                f"follow-up {marker} missing for {len(missing)} patient(s) "
                f"({name_ids(missing)}); "
                + (
                    f"{len(unclassified)} left unclassified (not imputed)"
                    if unclassified
                    else "all have a normal baseline, so their category is known"
                )
            )
        columns = _columns(cohort.data.index, category, decline, labels, marker)
        clinical_point = (sensitivity, specificity) if source == "clinical" else None
        figures = self._roc(ctx, params, marker, outcome_label, best, curve, auc, clinical_point)
        figures.append(self._waterfall(ctx, params, marker, baseline, decline, applied))
        counts = _counts(cohort.split, cohort.outcome, category, labels)
        return MarkerResponseResult(
            marker=marker,
            unit=unit,
            outcome=outcome_label,
            normal_limit=params.normal_limit,
            direction=params.direction,
            levels=list(labels),
            n_train_fit=int(y.size),
            n_train_events=events,
            youden_threshold=float(best.threshold) if finite else None,
            youden_tied=finite_ties(best),
            youden_index=best.youden,
            youden_sensitivity=best.sensitivity,
            youden_specificity=best.specificity,
            auc=auc.auc,
            auc_lower=auc.lower,
            auc_upper=auc.upper,
            bootstrap_lower=fitted.lower,
            bootstrap_upper=fitted.upper,
            bootstrap_replicates=params.bootstrap,
            bootstrap_used=fitted.used,
            level=params.level,
            clinical_threshold=params.clinical_threshold,
            threshold=applied,
            threshold_source=source,
            sensitivity=sensitivity,
            specificity=specificity,
            counts=counts,
            missing_follow_up=missing,
            columns=columns,
            figures=figures,
            warnings=notes,
            exclusions=exclusion(MISSING_OUTCOME, unknown, "threshold fitting"),
            populations=[
                population("train", BINARY_OUTCOME, int(y.size), events, "cut-off fit"),
                *(
                    population(
                        split,
                        BINARY_OUTCOME,
                        sum(c.n for c in counts if c.split == split),
                        sum(c.events for c in counts if c.split == split),
                        "response categories",
                    )
                    for split in ("train", "test")
                    if any(c.split == split for c in counts)
                ),
            ],
        )

    def apply(
        self,
        ctx: UnitContext,
        params: MarkerResponseParams,
        fitted: Fitted[MarkerResponseResult],
    ) -> AppliedResult:
        """Categorise a new cohort with the training run's frozen decline threshold."""
        trained = fitted.result
        data = ctx.cohort.data
        baseline = numeric_marker(data, params.baseline)
        check_baseline(baseline)
        follow_up = numeric_marker(data, params.follow_up)
        check_follow_up(follow_up)
        decline = percent_decline(baseline, follow_up)
        labels = params.labels()
        category = classify(
            baseline,
            decline,
            normal_limit=trained.normal_limit,
            threshold=trained.threshold,
            labels=labels,
        )
        unscored = [str(i) for i in data.index if category[i] is None]
        notes = []
        if unscored:
            notes.append(
                f"follow-up {trained.marker} missing for {len(unscored)} patient(s) with an "
                f"elevated baseline ({name_ids(unscored)}): left unclassified (not imputed)"
            )
        return AppliedResult(
            unit=self.name,
            n=len(data),
            scored=len(data) - len(unscored),
            unscored=unscored,
            frozen={
                "threshold (% decline)": trained.threshold,
                "threshold source": trained.threshold_source,
                "normal limit": trained.normal_limit,
            },
            summary=(
                f"{trained.marker} response assigned with the decline threshold "
                f"{trained.threshold:.4g}% "
                + (
                    "(pre-specified)"
                    if trained.threshold_source == "clinical"
                    else "fixed on the training set"
                )
            ),
            columns=_columns(data.index, category, decline, labels, trained.marker),
            warnings=notes,
        )

    def _roc(
        self,
        ctx: UnitContext,
        params: MarkerResponseParams,
        marker: str,
        outcome: str,
        best: YoudenResult,
        curve: RocCurveResult,
        auc: AucResult,
        clinical_point: tuple[float, float] | None,
    ) -> list[FigureRef]:
        from remarkit.report.plots.marker import RocMark, decline_roc

        marks: list[RocMark] = []
        if finite_optimum(best) is not None:
            marks.append(
                RocMark(
                    1.0 - best.specificity,
                    best.sensitivity,
                    f"Youden optimum {best.threshold:.1f}% (J = {best.youden:.2f})",
                )
            )
        if clinical_point is not None:
            se, sp = clinical_point
            marks.append(
                RocMark(1.0 - sp, se, f"Clinical threshold {params.clinical_threshold:g}%")
            )
        fig = decline_roc(
            curve.table["specificity"],
            curve.table["sensitivity"],
            curve_label=f"AUC {auc.auc:.2f} ({auc.lower:.2f}-{auc.upper:.2f})",
            marks=marks,
        )
        caption = (
            f"ROC curve of the {marker} decline for {outcome} in the training set "
            f"(baseline >= {params.normal_limit:g}, n = {curve.n_cases + curve.n_controls}), "
            "with the Youden-optimal threshold marked."
        )
        return [ctx.save_figure("decline_roc", fig, caption)]

    def _waterfall(
        self,
        ctx: UnitContext,
        params: MarkerResponseParams,
        marker: str,
        baseline: pd.Series,
        decline: pd.Series,
        applied: float,
    ) -> FigureRef:
        from remarkit.report.plots.marker import WaterfallPanel, decline_waterfall

        cohort = ctx.cohort
        keep = (baseline >= params.normal_limit) & decline.notna() & cohort.outcome_known
        panels = [
            WaterfallPanel(
                title=name.capitalize(),
                decline=decline[keep & mask].to_numpy(dtype=float),
                outcome=cohort.outcome[keep & mask].to_numpy(dtype=float),
            )
            for name, mask in (("train", cohort.train), ("test", cohort.test))
        ]
        positive, negative = outcome_names(cohort.spec.binary_outcome())
        fig = decline_waterfall(
            panels,
            threshold=applied,
            threshold_label=f"Threshold {applied:.4g}%",
            outcome_labels=(negative, positive),
            ylabel=f"{marker} decline (%, clipped at -100)",
        )
        caption = (
            f"Waterfall plot of the {marker} decline per patient with baseline >= "
            f"{params.normal_limit:g}, by split and outcome; the dashed line is the applied "
            "threshold."
        )
        return ctx.save_figure("decline_waterfall", fig, caption)

    def methods(self, result: MarkerResponseResult, params: MarkerResponseParams) -> str:
        """The Methods paragraph: decline, normal limit, threshold fitting and bootstrap."""
        unit = f" {result.unit}" if result.unit else ""
        text = (
            f"{result.marker} response was defined from the percentage decline between baseline "
            f"and follow-up, (baseline - follow-up) / baseline x 100. Patients with a baseline "
            f"{result.marker} below {result.normal_limit:g}{unit} formed the "
            f"'{params.normal_label}' category. Among training-set patients with an elevated "
            f"baseline and a follow-up value (n = {result.n_train_fit}, "
            f"{result.n_train_events} with {result.outcome}), the decline threshold maximising "
            "Youden's index (sensitivity + specificity - 1) was found with pROC's rules "
            "(thresholds at midpoints of adjacent distinct values; of tied optima the one with "
            "the highest sensitivity)"
        )
        if result.youden_threshold is not None:
            text += f" at {result.youden_threshold:.1f}%"
            if result.bootstrap_lower is not None and result.bootstrap_upper is not None:
                text += (
                    f" ({100 * result.level:g}% CI {result.bootstrap_lower:.1f}-"
                    f"{result.bootstrap_upper:.1f}%, percentile interval of "
                    f"{result.bootstrap_used} stratified bootstrap replicates)"
                )
        text += "."
        if result.threshold_source == "clinical":
            text += f" For clinical use the rounded threshold {result.threshold:g}% was applied."
        text += (
            f" Patients whose decline reached the threshold were classified as "
            f"'{params.responder_label}', the others as '{params.non_responder_label}'; the "
            + (
                "pre-specified threshold was applied unchanged to the training set and the test set. "
                if result.threshold_source == "clinical"
                else "threshold was fixed on the training set and applied unchanged to the test "
                "set. "
            )
            + "Missing follow-up values were not imputed; those patients were left unclassified. "
            f"Software: remarkit.stats (numpy {version('numpy')}, pandas {version('pandas')})."
        )
        return text


def _counts(
    split: pd.Series, outcome: pd.Series, category: pd.Series, labels: tuple[str, str, str]
) -> list[CategoryCount]:
    rows: list[CategoryCount] = []
    for name in ("train", "test"):
        in_split = split == name
        for level in (*labels, None):
            mask = in_split & (category.isna() if level is None else category == level)
            if level is None and not mask.any():
                continue
            known = mask & outcome.notna()
            rows.append(
                CategoryCount(
                    split=name,
                    category=level,
                    n=int(known.sum()),
                    events=int(outcome[known].sum()),
                    missing_outcome=int((mask & outcome.isna()).sum()),
                )
            )
    return rows


def _columns(
    index: pd.Index,
    category: pd.Series,
    decline: pd.Series,
    labels: tuple[str, str, str],
    marker: str,
) -> list[DerivedColumn]:
    """The response category and the decline, per patient."""
    ids = [str(i) for i in index]
    return [
        DerivedColumn(
            name="response",
            kind="categorical",
            ids=ids,
            values=[None if v is None else str(v) for v in category],
            levels=list(labels),
            label=f"{marker} response",
        ),
        DerivedColumn(
            name="decline",
            kind="continuous",
            ids=ids,
            values=[None if pd.isna(v) else float(v) for v in decline],
            label=f"{marker} decline (%)",
        ),
    ]
