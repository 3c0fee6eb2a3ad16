"""``decision_curve``: net benefit of each model over a threshold range vs treat-all / treat-none.

As ``dcurves::dca`` for a binary outcome (a patient is treated when p >= the threshold
probability), on one population (default: the test set). The table reads the curves at chosen
thresholds and lists where each model beats both default strategies.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from remarkit import BINARY_OUTCOME, MISSING_SCORE, InputError, Needs, Unit, UnitContext, exclusion
from remarkit import population as counts_of
from remarkit.plugins.evaluators._common import (
    Population,
    Row,
    ScoresParams,
    Y,
    drop_missing,
    finite_list,
    join_labels,
    outcome_table,
    population_mask,
    require_classes,
    stat,
)
from remarkit.plugins.evaluators._sets import (
    EvaluatorResult,
    require_population,
    result_set_name,
    set_name,
    set_names,
)
from remarkit.text import versions


class DecisionCurveParams(ScoresParams):
    """The ``[[unit]]`` table of ``decision_curve``; scores must be probabilities in [0, 1]."""

    population: Population = Field(default="test", description="'test', 'train' or 'all'")
    threshold_min: float = Field(default=0.01, ge=0.0, lt=1.0, description="First threshold")
    threshold_max: float = Field(default=0.99, gt=0.0, lt=1.0, description="Last threshold")
    threshold_step: float = Field(default=0.01, gt=0.0, lt=1.0, description="Grid step")
    table_thresholds: list[float] = Field(
        default_factory=lambda: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
        description="Thresholds shown in the table",
    )

    @model_validator(mode="after")
    def _grid(self) -> DecisionCurveParams:
        if self.threshold_min >= self.threshold_max:
            raise ValueError("threshold_min must be below threshold_max")
        if not self.table_thresholds or any(not 0 <= t < 1 for t in self.table_thresholds):
            raise ValueError("table_thresholds must be probabilities in [0, 1)")
        return self

    def grid(self) -> np.ndarray:
        """threshold_min, +step, ... up to threshold_max (rounded to remove float drift)."""
        count = (
            int(np.floor((self.threshold_max - self.threshold_min) / self.threshold_step + 1e-9))
            + 1
        )
        return np.round(self.threshold_min + self.threshold_step * np.arange(count), 10)


class ModelCurve(Row):
    """A model's net benefit over the grid, where it beats both defaults, and the table rows."""

    column: str = Field(description="Probability column")
    label: str = Field(description="Display label")
    net_benefit: list[float | None] = Field(description="Net benefit at each grid threshold")
    beneficial: list[list[float]] = Field(
        description="Runs of grid thresholds [from, to] where the model's net benefit exceeds "
        "both treat-all and treat-none"
    )
    table_net_benefit: list[float | None] = Field(description="At the table thresholds")
    table_avoided: list[float | None] = Field(
        description="Net interventions avoided per 100 patients vs treat-all, at the table "
        "thresholds"
    )


class DecisionCurveResult(EvaluatorResult):
    """Decision curves of every model on one population."""

    kind: Literal["decision_curve"] = "decision_curve"
    population: str = Field(description="all, train or test")
    n: int = Field(description="Patients analysed (with every model's probability)")
    events: int = Field(description="Of whom with the outcome")
    prevalence: float = Field(description="Share with the outcome")
    thresholds: list[float] = Field(description="Grid of threshold probabilities")
    treat_all: list[float | None] = Field(description="Net benefit of treating everyone")
    table_thresholds: list[float] = Field(description="Thresholds of the table")
    table_treat_all: list[float | None] = Field(description="Treat-all at the table thresholds")
    models: list[ModelCurve] = Field(description="One entry per model")


def _runs(grid: np.ndarray, better: np.ndarray) -> list[list[float]]:
    """Consecutive grid stretches where ``better`` holds, as [first, last] pairs."""
    runs: list[list[float]] = []
    start: float | None = None
    for k, flag in enumerate(better):
        if flag and start is None:
            start = float(grid[k])
        if start is not None and (not flag or k == len(better) - 1):
            end = float(grid[k] if flag else grid[k - 1])
            runs.append([start, end])
            start = None
    return runs


class DecisionCurve(Unit[DecisionCurveParams, DecisionCurveResult]):
    """Decision curve analysis (net benefit), as dcurves."""

    name = "decision_curve"
    title = "Decision curve analysis"
    family = "evaluator"
    version = "1.0"
    Params = DecisionCurveParams
    Result = DecisionCurveResult
    remark_items = (16,)
    citations = (
        "Vickers AJ, Elkin EB. Med Decis Making 2006;26:565-74.",
        "Sjoberg DD. dcurves: Decision Curve Analysis for Model Evaluation (R package).",
    )
    report_section = "performance"

    def needs(self, params: DecisionCurveParams) -> Needs:
        return Needs(columns=[s.column for s in params.scores], outcome=True)

    def run(self, ctx: UnitContext, params: DecisionCurveParams) -> DecisionCurveResult:
        from remarkit.report.plots.decision import DecisionSeries, decision_figure
        from remarkit.stats import decision_curve

        sink: list[str] = []
        require_population(ctx, params.population, "decision_curve")
        frame, exclusions = outcome_table(
            ctx, params.scores, sink, population_mask(ctx, params.population)
        )
        labels = {s.column: s.display(ctx) for s in params.scores}
        name = set_name(ctx, params.population)
        where = f"in the {name.lower()}"
        data = drop_missing(frame, labels, sink, where=where)
        exclusions += exclusion(MISSING_SCORE, frame.index.difference(data.index, sort=False))
        y = data[Y].to_numpy(dtype=np.int64)
        require_classes(y, f"decision curve, {name.lower()}")
        grid = params.grid()
        table_pt = np.asarray(params.table_thresholds, dtype=np.float64)
        models: list[ModelCurve] = []
        treat_all: list[float | None] = []
        table_all: list[float | None] = []
        prevalence = float(y.mean())
        for spec in params.scores:
            label = labels[spec.column]
            p = data[spec.column].to_numpy(dtype=np.float64)
            if p.min() < 0 or p.max() > 1:
                raise InputError(
                    f"column '{spec.column}' is not a predicted probability (range "
                    f"{p.min():.4g} to {p.max():.4g}); net benefit needs risks in [0, 1]"
                )
            curve = stat(sink, label, decision_curve, y, p, thresholds=grid).table
            at = stat(sink, label, decision_curve, y, p, thresholds=table_pt).table
            nb = curve["net_benefit"].to_numpy()
            nb_all = curve["net_benefit_all"].to_numpy()
            treat_all, table_all = finite_list(nb_all), finite_list(at["net_benefit_all"])
            models.append(
                ModelCurve(
                    column=spec.column,
                    label=label,
                    net_benefit=finite_list(nb),
                    beneficial=_runs(grid, (nb > nb_all) & (nb > 0)),
                    table_net_benefit=finite_list(at["net_benefit"]),
                    table_avoided=finite_list(at["interventions_avoided"]),
                )
            )
        figure = decision_figure(
            grid.tolist(),
            [
                DecisionSeries(m.label, [np.nan if v is None else v for v in m.net_benefit])
                for m in models
            ],
            [np.nan if v is None else v for v in treat_all],
            prevalence=prevalence,
            title=name,
        )
        saved = ctx.save_figure(
            "decision_curve",
            figure,
            f"Decision curves {where}: net benefit of each model, of treating every patient "
            "and of treating none, by threshold probability.",
        )
        return DecisionCurveResult(
            population=params.population,
            n=int(y.size),
            events=int(y.sum()),
            prevalence=prevalence,
            thresholds=grid.tolist(),
            treat_all=treat_all,
            table_thresholds=table_pt.tolist(),
            table_treat_all=table_all,
            models=models,
            figures=[saved],
            warnings=sink,
            exclusions=exclusions,
            set_names=set_names(ctx),
            populations=[counts_of(params.population, BINARY_OUTCOME, int(y.size), int(y.sum()))],
        )

    def methods(self, result: DecisionCurveResult, params: DecisionCurveParams) -> str:
        labels = join_labels([m.label for m in result.models])
        return (
            f"Clinical usefulness of {labels} was assessed by decision curve analysis in the "
            f"{result_set_name(result.set_names, result.population).lower()} (n = {result.n}, {result.events} with the "
            "outcome): the net benefit TP/n - FP/n x pt/(1 - pt), treating a patient when the "
            "predicted probability reaches the threshold probability pt, was computed for pt "
            f"from {params.threshold_min:g} to {params.threshold_max:g} in steps of "
            f"{params.threshold_step:g} and compared with treating all and treating no "
            "patients (as R's dcurves::dca). Net interventions avoided per 100 patients are "
            f"(NB - NB_all) / (pt / (1 - pt)) x 100. Software: {versions('numpy', 'pandas')}."
        )
