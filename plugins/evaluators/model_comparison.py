"""``model_comparison``: paired DeLong tests of every pair of scores, in the training and test sets.

Reproduces the reference paper's Supplementary Table S5 as one matrix per set (the sets with
patients: an external validation cohort has one). Each pair is compared on the patients with
both scores (complete cases for the pair).
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from remarkit import BINARY_OUTCOME, Needs, Sentence, Unit, UnitContext, merged
from remarkit import population as counts_of
from remarkit.plugins.evaluators._adjust import Adjustment, adjusted, adjustment_field
from remarkit.plugins.evaluators._common import (
    SPLIT,
    Row,
    ScoresParams,
    ScoreSpec,
    Split,
    Y,
    drop_missing,
    finite,
    join_labels,
    outcome_table,
    require_classes,
    score_exclusions,
    stat,
)
from remarkit.plugins.evaluators._sentences import comparison_sentences
from remarkit.plugins.evaluators._sets import (
    EvaluatorResult,
    present_splits,
    result_set_name,
    set_name,
    set_names,
)
from remarkit.stats.multiplicity import P_ADJUST_NAMES
from remarkit.text import versions


class ModelComparisonParams(ScoresParams):
    """The ``[[unit]]`` table of ``model_comparison`` (at least two scores, one direction)."""

    level: float = Field(default=0.95, gt=0.0, lt=1.0, description="Level of the CIs")
    p_adjust: Adjustment = adjustment_field("holm", "the pairs of each set")

    @field_validator("scores")
    @classmethod
    def _two(cls, value: list[ScoreSpec]) -> list[ScoreSpec]:
        if len(value) < 2:
            raise ValueError("model_comparison needs at least two scores")
        if len({s.direction for s in value}) > 1:
            raise ValueError(
                "every score must have the same direction (pROC's paired test uses one)"
            )
        return value


class ModelRef(Row):
    """A compared model."""

    column: str = Field(description="Score column")
    label: str = Field(description="Display label")


class PairComparison(Row):
    """Paired DeLong test of model ``a`` against model ``b`` in one set."""

    split: Split = Field(description="train or test")
    a: int = Field(description="Index of model a in ``models``")
    b: int = Field(description="Index of model b in ``models``")
    n: int = Field(description="Patients with both scores")
    n_cases: int = Field(description="Of whom with the outcome")
    auc_a: float = Field(description="AUC of model a")
    auc_b: float = Field(description="AUC of model b")
    difference: float = Field(description="auc_a - auc_b")
    lower: float | None = Field(description="Lower CI bound of the difference")
    upper: float | None = Field(description="Upper CI bound of the difference")
    z: float | None = Field(description="DeLong Z (None if infinite)")
    p_value: float = Field(description="Two-sided p-value")
    p_adjusted: float | None = Field(
        default=None,
        description="p-value adjusted over the set's exploratory pairs (the primary pair: raw)",
    )
    primary: bool = Field(default=False, description="The study's declared primary comparison")


class ModelComparisonResult(EvaluatorResult):
    """Every pair of models compared by the paired DeLong test, per set."""

    kind: Literal["model_comparison"] = "model_comparison"
    level: float = Field(description="Confidence level of the differences' CIs")
    p_adjust: Adjustment = Field(default="none", description="Multiplicity adjustment applied")
    models: list[ModelRef] = Field(description="Models in display order")
    comparisons: list[PairComparison] = Field(description="Pairs (a before b), train then test")


def _primary_pair(ctx: UnitContext, params: ModelComparisonParams) -> set[int]:
    """Indices (into ``scores``) of the study's declared primary comparison, if both are here."""
    primary = ctx.study.study.primary
    columns = [s.column for s in params.scores]
    if primary is None or not all(c in columns for c in primary.comparison):
        return set()
    return {columns.index(c) for c in primary.comparison}


def _adjusted(
    rows: list[PairComparison], params: ModelComparisonParams, primary: set[int]
) -> list[PairComparison]:
    """Each set's pairs with their adjusted p-values and the primary pair flagged."""
    out: list[PairComparison] = []
    for split in dict.fromkeys(r.split for r in rows):
        part = [r for r in rows if r.split == split]
        flags = [bool(primary) and {r.a, r.b} == primary for r in part]
        values = adjusted([r.p_value for r in part], params.p_adjust, flags)
        out += [
            r.model_copy(update={"p_adjusted": v, "primary": f})
            for r, v, f in zip(part, values, flags, strict=True)
        ]
    return out


def _pairs(k: int) -> str:
    n = k * (k - 1) // 2
    return f"{n} pair" + ("" if n == 1 else "s")


class ModelComparison(Unit[ModelComparisonParams, ModelComparisonResult]):
    """Paired DeLong tests of AUC differences for every pair of models."""

    name = "model_comparison"
    family = "evaluator"
    version = "1.1"
    Params = ModelComparisonParams
    Result = ModelComparisonResult
    remark_items = (15, 16)
    citations = (
        "DeLong ER, DeLong DM, Clarke-Pearson DL. Biometrics 1988;44:837-45.",
        "Robin X, et al. pROC. BMC Bioinformatics 2011;12:77.",
    )
    report_section = "performance"

    def needs(self, params: ModelComparisonParams) -> Needs:
        return Needs(columns=[s.column for s in params.scores], outcome=True)

    def run(self, ctx: UnitContext, params: ModelComparisonParams) -> ModelComparisonResult:
        from remarkit.stats import delong_test

        sink: list[str] = []
        frame, exclusions = outcome_table(ctx, params.scores, sink)
        labels = [s.display(ctx) for s in params.scores]
        proc = params.scores[0].proc_direction
        rows: list[PairComparison] = []
        for split in present_splits(ctx):
            name = set_name(ctx, split).lower()
            part = frame[frame[SPLIT] == split]
            for i, j in combinations(range(len(params.scores)), 2):
                a, b = params.scores[i], params.scores[j]
                data = drop_missing(
                    part,
                    {a.column: labels[i], b.column: labels[j]},
                    sink,
                    where=f"in the {name}",
                )
                y = data[Y].to_numpy(dtype=np.int64)
                prefix = f"{labels[i]} vs {labels[j]}, {name}"
                exclusions += score_exclusions(part, data, prefix)
                require_classes(y, prefix)
                test = stat(
                    sink,
                    prefix,
                    delong_test,
                    y,
                    data[a.column].to_numpy(dtype=np.float64),
                    data[b.column].to_numpy(dtype=np.float64),
                    level=params.level,
                    direction=proc,
                )
                rows.append(
                    PairComparison(
                        split=split,
                        a=i,
                        b=j,
                        n=int(y.size),
                        n_cases=int(y.sum()),
                        auc_a=test.auc_a,
                        auc_b=test.auc_b,
                        difference=test.difference,
                        lower=finite(test.lower),
                        upper=finite(test.upper),
                        z=finite(test.z),
                        p_value=test.p_value,
                    )
                )
        return ModelComparisonResult(
            level=params.level,
            models=[
                ModelRef(column=s.column, label=lab)
                for s, lab in zip(params.scores, labels, strict=True)
            ],
            comparisons=_adjusted(rows, params, _primary_pair(ctx, params)),
            p_adjust=params.p_adjust,
            warnings=sink,
            exclusions=exclusions,
            set_names=set_names(ctx),
            populations=merged(
                counts_of(
                    r.split, BINARY_OUTCOME, r.n, r.n_cases, f"{labels[r.a]} vs {labels[r.b]}"
                )
                for r in rows
            ),
        )

    def results_sentences(
        self, result: ModelComparisonResult, params: ModelComparisonParams
    ) -> list[Sentence]:
        return comparison_sentences(result)

    def methods(self, result: ModelComparisonResult, params: ModelComparisonParams) -> str:
        k = len(result.models)
        where = "separately in the training and test sets"
        if result.set_names is not None:
            splits = list(dict.fromkeys(c.split for c in result.comparisons))
            names = [result_set_name(result.set_names, s).lower() for s in splits]
            where = f"in the {join_labels(names)}"
        return (
            f"The AUCs of the {k} models were compared pairwise ({_pairs(k)}) with "
            "DeLong's test for two correlated ROC curves (paired, on the patients with both "
            'scores; equivalent to pROC\'s roc.test(method = "delong", paired = TRUE)), '
            f"{where}, giving Z, a two-sided p-value and the "
            f"{100 * result.level:g}% CI of the AUC difference. {_adjust_text(result)} "
            f"Software: {versions('numpy', 'scipy')}."
        )


def _adjust_text(result: ModelComparisonResult) -> str:
    """How the p-values were adjusted for multiplicity (one sentence or two)."""
    if result.p_adjust == "none":
        return "p-values are not adjusted for multiple comparisons."
    primary = any(c.primary for c in result.comparisons)
    family = "the other pairs of each set" if primary else "the pairs of each set"
    text = (
        f"p-values were adjusted for multiplicity over {family} by the "
        f"{P_ADJUST_NAMES[result.p_adjust]} method (R p.adjust)"
    )
    return text + (
        "; the pre-specified primary comparison keeps its unadjusted p-value." if primary else "."
    )
