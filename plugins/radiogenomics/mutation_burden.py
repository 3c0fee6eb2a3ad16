"""``mutation_burden``: tumour mutation burden and frequently mutated genes by score group.

TMB per sample as maftools (non-synonymous variants per Mb of the ``[genomics] capture_mb``
territory, duplicates removed), compared between the high- and low-score groups by the
Mann-Whitney test; each group's most frequently mutated genes, compared between groups by
Fisher's exact test; an oncoplot of those genes. The reference paper's Figure 6B and
Supplementary Figure S8 (TP53, CTNNB1).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import Needs, Unit, UnitContext
from remarkit.cells import cell_int
from remarkit.plugins.radiogenomics._common import genomics, genomics_needs
from remarkit.plugins.radiogenomics._grouped import (
    PatientInGroup,
    ValueGroupParams,
    ValueGroupResult,
    compare_by_group,
    groups_methods,
    score_groups,
)
from remarkit.plugins.radiogenomics._inputs import mutations
from remarkit.plugins.radiogenomics._mutation_tables import (
    GeneComparison,
    TopGenes,
    classes_or_default,
    compare_genes,
    oncoplot_data,
    top_genes,
)
from remarkit.text import versions

NAME = "mutation_burden"


class MutationBurdenParams(ValueGroupParams):
    """The ``[[unit]]`` table of ``mutation_burden``."""

    top_n: int = Field(default=10, ge=1, le=100, description="Top mutated genes per group")
    nonsynonymous_classes: list[str] | None = Field(
        default=None, description="Classes counted (default: maftools' vc_nonSyn)"
    )


class PatientBurden(PatientInGroup):
    """One patient's sample, group and mutation counts."""

    nonsynonymous: int = Field(description="Non-synonymous variants")
    silent: int = Field(description="Variants of every other class")
    tmb: float = Field(description="Non-synonymous variants per Mb")


class MutationBurdenResult(ValueGroupResult):
    """TMB by score group, top mutated genes and their comparison."""

    kind: Literal["mutation_burden"] = "mutation_burden"
    source: str = Field(description="'MAF' or 'VCF'")
    file: str = Field(description="Variant file name")
    capture_mb: float = Field(description="Capture size (Mb)")
    nonsynonymous_classes: list[str] = Field(description="Classes counted as non-synonymous")
    n_variants: int = Field(description="Variants of the analysed samples after de-duplication")
    n_nonsynonymous: int = Field(description="Non-synonymous variants")
    n_duplicates_removed: int = Field(description="Duplicated variant rows removed")
    patients: list[PatientBurden] = Field(description="Per patient, cohort order")
    top_n: int = Field(description="Genes listed per group")
    top: list[TopGenes] = Field(description="Top mutated genes per group (high first)")
    genes: list[GeneComparison] = Field(description="Genes of either top list, compared")


class MutationBurden(Unit[MutationBurdenParams, MutationBurdenResult]):
    """TMB (maftools), Mann-Whitney between score groups, top genes with Fisher tests."""

    name = NAME
    title = "Tumour mutational burden"
    family = "radiogenomics"
    version = "1.0"
    Params = MutationBurdenParams
    Result = MutationBurdenResult
    remark_items = (10, 18)
    citations = (
        "Mayakonda A, et al. Genome Res 2018;28:1747-56 (maftools).",
        "Benjamini Y, Hochberg Y. J R Stat Soc B 1995;57:289-300.",
    )

    def needs(self, params: MutationBurdenParams) -> Needs:
        return genomics_needs(params)

    def run(self, ctx: UnitContext, params: MutationBurdenParams) -> MutationBurdenResult:
        from remarkit.report.plots.genomics import oncoplot_figure
        from remarkit.stats import tumor_mutation_burden

        spec = genomics(ctx, NAME)
        variants = mutations(ctx, spec, NAME)
        maf = variants.maf
        grouped, sink = score_groups(
            ctx, spec, params, maf["Tumor_Sample_Barcode"].unique(), "Somatic mutations"
        )
        sink += variants.notes
        samples, groups, labels = grouped.samples, grouped.groups, grouped.labels
        classes = classes_or_default(params.nonsynonymous_classes)
        maf = maf[maf["Tumor_Sample_Barcode"].isin(list(samples))]
        burden = tumor_mutation_burden(
            maf, capture_mb=spec.capture_mb, nonsynonymous_classes=classes
        )
        per_sample = burden.per_sample.reindex(list(samples))
        tmb = pd.Series(per_sample["tmb"].to_numpy(dtype=np.float64), index=samples.index)
        compared = compare_by_group(
            ctx,
            grouped,
            tmb,
            exact=params.exact,
            sink=sink,
            what="TMB",
            figure="tmb_violin",
            title="Tumour mutation burden",
            column="tmb",
            label="TMB (mutations/Mb)",
            caption=f"Tumour mutation burden (non-synonymous variants per Mb, capture "
            f"{spec.capture_mb:g} Mb)",
        )
        tops = [
            top_genes(maf, list(samples[groups == g]), g, params.top_n, classes) for g in labels
        ]
        genes = compare_genes(maf, samples, groups, labels, tops, classes)
        figures = [compared.figure]
        if genes:
            data = oncoplot_data(
                maf, [g.gene for g in genes], samples, groups, labels, tmb, classes
            )
            figures.append(
                ctx.save_figure(
                    "oncoplot",
                    oncoplot_figure(data, title="Most frequently mutated genes"),
                    f"Non-synonymous mutations of the top {params.top_n} genes of each group "
                    f"(columns: patients, {labels[0]} then {labels[1]}; bars: TMB; Multi_Hit: "
                    "several variants in the gene).",
                )
            )
        else:
            sink.append("no non-synonymous variant in the analysed samples: no gene compared")
        patients = [
            PatientBurden(
                patient=str(p),
                sample=str(samples[p]),
                group=str(groups[p]),
                score=float(grouped.scores[p]),
                nonsynonymous=cell_int(per_sample.at[samples[p], "nonsynonymous"]),
                silent=cell_int(per_sample.at[samples[p], "silent"]),
                tmb=float(tmb[p]),
            )
            for p in samples.index
        ]
        return MutationBurdenResult(
            source=variants.source,
            file=variants.file,
            capture_mb=burden.capture_mb,
            nonsynonymous_classes=classes,
            groups=grouped.definition,
            match=grouped.match,
            n_variants=burden.n_variants,
            n_nonsynonymous=burden.n_nonsynonymous,
            n_duplicates_removed=burden.n_duplicates_removed,
            summaries=compared.summaries,
            test=compared.test,
            patients=patients,
            top_n=params.top_n,
            top=tops,
            genes=genes,
            figures=figures,
            warnings=sink,
            columns=compared.columns,
        )

    def methods(self, result: MutationBurdenResult, params: MutationBurdenParams) -> str:
        groups, test = groups_methods(result, "mutation data")
        source = (
            "a MAF"
            if result.source == "MAF"
            else "a VCF (PASS records; consequences from VEP/SnpEff annotations mapped to MAF "
            "classes by vcf2maf's rules)"
        )
        return (
            f"{groups} Somatic variants were read from {source}; duplicated variants (same chromosome, start, sample and "
            "alleles) were removed and tumour mutation burden was computed as maftools defines "
            f"it: non-synonymous variants ({', '.join(result.nonsynonymous_classes)}) per "
            f"megabase of a {result.capture_mb:g} Mb capture territory. TMB was compared "
            f"between groups by the Mann-Whitney U test ({test}, as R wilcox.test). In each "
            f"group the {result.top_n} genes mutated in the most samples were listed "
            "(maftools' gene summary), and their mutation frequencies were compared between "
            "groups by Fisher's exact test with Benjamini-Hochberg adjustment. Software: "
            f"{versions('numpy', 'pandas', 'scipy', 'statsmodels')}."
        )
