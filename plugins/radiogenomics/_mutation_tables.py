"""Top mutated genes per score group and the oncoplot matrix (maftools' conventions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import Field

from remarkit import StatisticsError
from remarkit.plugins.radiogenomics._common import Row
from remarkit.plugins.radiogenomics._tests import bh, fisher_groups

if TYPE_CHECKING:
    from remarkit.report.plots.genomics import OncoplotData

#: maftools' duplicate key (``removeDuplicatedVariants``).
DUPLICATE_KEY = [
    "Chromosome",
    "Start_Position",
    "Tumor_Sample_Barcode",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
]


class TopGene(Row):
    """A gene among a group's most frequently mutated."""

    gene: str = Field(description="Hugo symbol")
    mutated: int = Field(description="Samples of the group with a non-synonymous variant")
    fraction: float = Field(description="mutated / samples in the group")
    variants: int = Field(description="Non-synonymous variants in the group")


class TopGenes(Row):
    """One group's top genes (maftools' order: mutated samples, variants, symbol)."""

    group: str = Field(description="Group label")
    n: int = Field(description="Samples in the group")
    genes: list[TopGene] = Field(description="Most frequently mutated genes, in order")


class GeneComparison(Row):
    """A gene's mutation frequency in the two groups, compared by Fisher's exact test."""

    gene: str = Field(description="Hugo symbol")
    mutated_high: int = Field(description="Mutated samples in the high group")
    mutated_low: int = Field(description="Mutated samples in the low group")
    fraction_high: float = Field(description="Fraction mutated in the high group")
    fraction_low: float = Field(description="Fraction mutated in the low group")
    odds_ratio: float | None = Field(description="Conditional MLE odds ratio (R fisher.test)")
    p_value: float | None = Field(
        description="Two-sided Fisher exact p-value (None: mutated in every patient)"
    )
    q_value: float | None = Field(description="Benjamini-Hochberg q-value over the genes tested")
    top_in: list[str] = Field(description="Groups in whose top list the gene is")


def top_genes(
    maf: pd.DataFrame, samples: Sequence[str], group: str, top_n: int, classes: Sequence[str]
) -> TopGenes:
    """The ``top_n`` genes mutated in most of ``samples`` (none if they carry no such variant)."""
    from remarkit.stats import gene_summary

    part = maf[maf["Tumor_Sample_Barcode"].isin(list(samples))]
    genes: list[TopGene] = []
    if not part.empty and part["Variant_Classification"].isin(list(classes)).any():
        table = gene_summary(part, nonsynonymous_classes=classes).table.head(top_n)
        genes = [
            TopGene(
                gene=str(name),
                mutated=int(row["mutated_samples"]),
                fraction=int(row["mutated_samples"]) / len(samples),
                variants=int(row["total"]),
            )
            for name, row in table.iterrows()
        ]
    return TopGenes(group=group, n=len(samples), genes=genes)


def compare_genes(
    maf: pd.DataFrame,
    samples: pd.Series,
    groups: pd.Series,
    labels: tuple[str, str],
    tops: Sequence[TopGenes],
    classes: Sequence[str],
) -> list[GeneComparison]:
    """Fisher's test of every gene in either group's top list (``samples``: patient -> sample)."""
    from remarkit.stats import mutated_samples

    genes = list(dict.fromkeys(g.gene for top in tops for g in top.genes))
    if not genes:
        return []
    matrix = mutated_samples(
        maf, genes, samples=list(samples), nonsynonymous_classes=classes
    ).matrix
    by_patient = pd.DataFrame(matrix.to_numpy(), index=samples.index, columns=genes)
    high, low = labels
    n_high = int((groups == high).sum())
    n_low = int((groups == low).sum())
    tests = [fisher_groups(by_patient[g], groups, labels) for g in genes]
    q_values = bh([p for _, p in tests])
    rows = []
    for gene, (odds, p), q in zip(genes, tests, q_values, strict=True):
        m_high = int(by_patient.loc[groups == high, gene].sum())
        m_low = int(by_patient.loc[groups == low, gene].sum())
        rows.append(
            GeneComparison(
                gene=gene,
                mutated_high=m_high,
                mutated_low=m_low,
                fraction_high=m_high / n_high,
                fraction_low=m_low / n_low,
                odds_ratio=odds,
                p_value=p,
                q_value=q,
                top_in=[t.group for t in tops if any(g.gene == gene for g in t.genes)],
            )
        )
    rows.sort(key=lambda r: (-(r.mutated_high + r.mutated_low), r.gene))
    return rows


def oncoplot_data(
    maf: pd.DataFrame,
    genes: Sequence[str],
    samples: pd.Series,
    groups: pd.Series,
    labels: tuple[str, str],
    tmb: pd.Series,
    classes: Sequence[str],
) -> OncoplotData:
    """Cells (class, "Multi_Hit" or "") of ``genes`` x patients, patients grouped then sorted."""
    from remarkit.report.plots.genomics import OncoplotData, oncoplot_order

    if not genes:
        raise StatisticsError("no gene to draw")
    kept = maf.drop_duplicates(DUPLICATE_KEY)
    kept = kept[kept["Variant_Classification"].isin(list(classes))]
    kept = kept[kept["Hugo_Symbol"].isin(list(genes))]
    per_cell = kept.groupby(["Hugo_Symbol", "Tumor_Sample_Barcode"])["Variant_Classification"]
    label = {
        key: (str(values.iloc[0]) if len(values) == 1 else "Multi_Hit") for key, values in per_cell
    }
    order: list[str] = []
    for group in labels:
        patients = [p for p in samples.index if groups[p] == group]
        mutated = {g: [(g, samples[p]) in label for p in patients] for g in genes}
        burden = [float(tmb[p]) for p in patients]
        order += [patients[i] for i in oncoplot_order(mutated, burden)]
    cells = [[label.get((g, samples[p]), "") for p in order] for g in genes]
    return OncoplotData(
        genes=list(genes),
        samples=[str(samples[p]) for p in order],
        cells=cells,
        groups=[str(groups[p]) for p in order],
        group_order=list(labels),
        burden=[float(tmb[p]) for p in order],
    )


def classes_or_default(classes: Sequence[str] | None) -> list[str]:
    """The non-synonymous classes to use (maftools' ``vc_nonSyn`` by default)."""
    from remarkit.stats import NONSYNONYMOUS_CLASSES

    return list(NONSYNONYMOUS_CLASSES if classes is None else classes)
