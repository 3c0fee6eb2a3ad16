"""``ssgsea_association``: gene-set activity (ssGSEA) correlated with a patient-level score.

For each gene-set file (e.g. MSigDB hallmark, an immune collection), the sets are scored in every
analysed sample by ssGSEA as R GSVA computes it (or gseapy's variant), and each set's score is
correlated with the model score (Spearman by default, or Pearson) over the patients with both.
p-values are adjusted by Benjamini-Hochberg within each file. The reference paper's Figure 6C-D
(bar plots of the significantly correlated hallmark and immune gene sets).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import InputError, Needs, StatisticsError, Unit, UnitContext, UnitResult
from remarkit.cells import cell_int
from remarkit.plugins.radiogenomics._common import (
    Row,
    SampleMatch,
    ScoreParams,
    finite,
    genomics,
    genomics_needs,
    match_samples,
    match_warnings,
    score_label,
)
from remarkit.plugins.radiogenomics._inputs import GeneSetFile, expression, gene_set_files
from remarkit.text import versions

NAME = "ssgsea_association"


class SsgseaParams(ScoreParams):
    """The ``[[unit]]`` table of ``ssgsea_association``."""

    method: Literal["spearman", "pearson"] = Field(default="spearman", description="Correlation")
    variant: Literal["gsva", "gseapy"] = Field(
        default="gsva", description="ssGSEA as R GSVA computes it, or gseapy's variant"
    )
    tau: float = Field(default=0.25, ge=0, description="Rank weight exponent (GSVA's tau)")
    min_size: int = Field(default=1, ge=1, description="Smallest set size (genes found)")
    max_size: int | None = Field(default=None, ge=1, description="Largest set size")
    alpha: float = Field(default=0.05, gt=0, lt=1, description="Significance level")
    significance: Literal["q", "p"] = Field(
        default="q", description="Call a set significant by its BH q-value or its raw p-value"
    )
    collection_labels: list[str] = Field(
        default_factory=list, description="One label per gene-set file (default: file name)"
    )
    max_bars: int = Field(default=30, ge=1, description="Most significant sets drawn per figure")


class GeneSetRow(Row):
    """One gene set's size and its correlation with the score."""

    name: str = Field(description="Gene-set name")
    n_listed: int = Field(description="Genes listed in the file")
    n_found: int = Field(description="Genes found in the expression matrix")
    r: float | None = Field(description="Correlation coefficient (None if a score is constant)")
    p_value: float | None = Field(description="Two-sided p-value")
    q_value: float | None = Field(description="Benjamini-Hochberg q-value within the file")
    significant: bool = Field(description="p or q (as chosen) below alpha")


class Collection(Row):
    """The gene sets of one file."""

    label: str = Field(description="Collection label")
    file: str = Field(description="GMT file name")
    n_sets: int = Field(description="Sets in the file")
    dropped: list[str] = Field(description="Sets not scored (size outside min/max)")
    n_significant: int = Field(description="Significant sets")
    n_positive: int = Field(description="Significant sets with r > 0")
    sets: list[GeneSetRow] = Field(description="Scored sets, by p-value")


class SsgseaAssociationResult(UnitResult):
    """Correlation of every gene set's ssGSEA score with the score."""

    kind: Literal["ssgsea_association"] = "ssgsea_association"
    score: str = Field(description="Score column")
    score_label: str = Field(description="Score label")
    method: str = Field(description="'spearman' or 'pearson'")
    variant: str = Field(description="ssGSEA variant")
    tau: float = Field(description="Rank weight exponent")
    alpha: float = Field(description="Significance level")
    significance: str = Field(description="'q' or 'p'")
    n_genes: int = Field(description="Genes in the expression matrix after collapsing duplicates")
    duplicate_rule: str = Field(description="Rule for duplicated gene identifiers")
    duplicated_genes: int = Field(description="Genes that had several rows")
    rows_removed: int = Field(description="Rows dropped or merged by the duplicate rule")
    match: SampleMatch = Field(description="Sample-to-patient matching")
    collections: list[Collection] = Field(description="One entry per gene-set file")


class SsgseaAssociation(Unit[SsgseaParams, SsgseaAssociationResult]):
    """ssGSEA scores of gene sets correlated with a model score, with BH q-values."""

    name = NAME
    title = "ssGSEA association"
    family = "radiogenomics"
    version = "1.0"
    Params = SsgseaParams
    Result = SsgseaAssociationResult
    remark_items = (10, 18)
    citations = (
        "Barbie DA, et al. Nature 2009;462:108-12 (ssGSEA).",
        "Hänzelmann S, Castelo R, Guinney J. BMC Bioinformatics 2013;14:7 (GSVA).",
        "Benjamini Y, Hochberg Y. J R Stat Soc B 1995;57:289-300.",
    )

    def needs(self, params: SsgseaParams) -> Needs:
        return genomics_needs(params)

    def run(self, ctx: UnitContext, params: SsgseaParams) -> SsgseaAssociationResult:
        from remarkit.report.plots.genomics import GeneSetBar, geneset_bar_figure

        spec = genomics(ctx, NAME)
        label = score_label(ctx, params)
        matrix = expression(ctx, spec, NAME)
        files = gene_set_files(ctx, spec, params.collection_labels, NAME)
        matched = match_samples(ctx, spec, matrix.samples, "RNA expression", params.score)
        if matched.match.n_patients < 3:
            raise InputError(
                f"{NAME}: {matched.match.n_patients} patient(s) with expression and a score; "
                "a correlation needs at least 3"
            )
        values = matrix.values[list(matched.samples)]
        scores = matched.scores.to_numpy(dtype=np.float64)
        if np.ptp(scores) == 0:
            raise InputError(f"{NAME}: '{params.score}' is the same for every analysed patient")
        sink = match_warnings(matched.match)
        if matrix.duplicated_genes:
            sink.append(
                f"RNA expression: {len(matrix.duplicated_genes)} gene(s) had several rows; "
                f"{matrix.rows_removed} row(s) collapsed by the '{matrix.duplicate_rule}' rule"
            )
        collections: list[Collection] = []
        figures = []
        for k, gene_sets in enumerate(files):
            collection = self._collection(gene_sets, values, scores, params)
            collections.append(collection)
            if collection.dropped:
                sink.append(
                    f"{collection.label}: {len(collection.dropped)} set(s) outside the size "
                    f"limits were not scored"
                )
            bars = [s for s in collection.sets if s.significant and s.r is not None][
                : params.max_bars
            ]
            if bars:
                fig = geneset_bar_figure(
                    [GeneSetBar(b.name, float(b.r or 0.0)) for b in bars],
                    xlabel=f"{_method_name(params.method)} correlation with {label}",
                    title=collection.label,
                )
                shown = "" if len(bars) == collection.n_significant else f" ({len(bars)} shown)"
                figures.append(
                    ctx.save_figure(
                        f"gene_sets_{k + 1}",
                        fig,
                        f"{collection.label}: gene sets whose ssGSEA score correlates with "
                        f"{label} ({params.significance} < {params.alpha:g}){shown}; bars "
                        "to the right rise with the score.",
                    )
                )
        return SsgseaAssociationResult(
            score=params.score,
            score_label=label,
            method=params.method,
            variant=params.variant,
            tau=params.tau,
            alpha=params.alpha,
            significance=params.significance,
            n_genes=int(matrix.values.shape[0]),
            duplicate_rule=matrix.duplicate_rule,
            duplicated_genes=len(matrix.duplicated_genes),
            rows_removed=matrix.rows_removed,
            match=matched.match,
            collections=collections,
            figures=figures,
            warnings=sink,
        )

    def _collection(
        self,
        gene_sets: GeneSetFile,
        values: pd.DataFrame,
        scores: np.ndarray,
        params: SsgseaParams,
    ) -> Collection:
        from scipy import stats as sps
        from statsmodels.stats.multitest import multipletests

        from remarkit.stats import ssgsea

        try:
            result = ssgsea(
                values,
                gene_sets.sets,
                tau=params.tau,
                min_size=params.min_size,
                max_size=params.max_size,
                variant=params.variant,
            )
        except StatisticsError as exc:
            raise StatisticsError(f"{gene_sets.label}: {exc}") from exc
        names = list(result.scores.index)
        r = np.full(len(names), np.nan)
        p = np.full(len(names), np.nan)
        for i, name in enumerate(names):
            x = result.scores.loc[name].to_numpy(dtype=np.float64)
            if np.ptp(x) > 0:
                test = sps.spearmanr if params.method == "spearman" else sps.pearsonr
                outcome = test(x, scores)
                r[i], p[i] = float(outcome.statistic), float(outcome.pvalue)
        q = np.full(len(names), np.nan)
        ok = np.isfinite(p)
        if ok.any():
            q[ok] = multipletests(p[ok], method="fdr_bh")[1]
        decide = q if params.significance == "q" else p
        significant = np.isfinite(decide) & (decide < params.alpha)
        sizes = result.set_sizes
        rows = [
            GeneSetRow(
                name=name,
                n_listed=cell_int(sizes.at[name, "n_listed"]),
                n_found=cell_int(sizes.at[name, "n_found"]),
                r=finite(r[i]),
                p_value=finite(p[i]),
                q_value=finite(q[i]),
                significant=bool(significant[i]),
            )
            for i, name in enumerate(names)
        ]
        order = sorted(range(len(rows)), key=lambda i: (np.nan_to_num(p[i], nan=2.0), names[i]))
        rows = [rows[i] for i in order]
        return Collection(
            label=gene_sets.label,
            file=gene_sets.file,
            n_sets=len(gene_sets.sets),
            dropped=list(result.dropped),
            n_significant=int(significant.sum()),
            n_positive=int((significant & (r > 0)).sum()),
            sets=rows,
        )

    def methods(self, result: SsgseaAssociationResult, params: SsgseaParams) -> str:
        variant = (
            'as R GSVA computes it (gsva(method = "ssgsea"), integer-truncated average ranks, '
            "scores normalised by their range)"
            if result.variant == "gsva"
            else "with gseapy's variant of the algorithm (untruncated average ranks)"
        )
        files = "; ".join(f"{c.label} ({c.file}, {c.n_sets} sets)" for c in result.collections)
        size = f"sets with {params.min_size}" + (
            f" to {params.max_size} genes" if params.max_size else " or more genes"
        )
        return (
            f"Gene-set activity was scored per sample by single-sample GSEA (ssGSEA) {variant}, "
            f"with rank weight tau = {result.tau:g}, over {result.n_genes} genes (duplicated "
            f"gene identifiers collapsed by the '{result.duplicate_rule}' rule) and the gene-set "
            f"collections {files}; {size} in the expression matrix were scored. "
            f"Samples were matched to patients by the study's sample-id rule "
            f"({result.match.n_patients} patients analysed). Each set's score was correlated "
            f"with {result.score_label} by {_method_name(result.method)}'s coefficient "
            "(two-sided p-values from scipy), and p-values were adjusted by the "
            "Benjamini-Hochberg procedure within each collection; sets with "
            f"{result.significance} < {result.alpha:g} are called significant. Software: "
            f"{versions('numpy', 'scipy', 'statsmodels')}."
        )


def _method_name(method: str) -> str:
    return "Spearman" if method == "spearman" else "Pearson"
