"""``neoantigen_load``: neoantigens per tumour compared between score groups.

Per-sample counts are read as given, or counted from per-peptide predictions (pVACseq) as the
distinct mutant peptides predicted to bind an HLA allele with IC50 below the cutoff (500 nM by
default). The high- and low-score groups are compared by the Mann-Whitney test. The reference
paper's Figure 6A.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from remarkit import Needs, Unit, UnitContext
from remarkit.plugins.radiogenomics._common import genomics, genomics_needs
from remarkit.plugins.radiogenomics._grouped import (
    PatientInGroup,
    ValueGroupParams,
    ValueGroupResult,
    compare_by_group,
    groups_methods,
    score_groups,
)
from remarkit.plugins.radiogenomics._inputs import neoantigens
from remarkit.text import versions

NAME = "neoantigen_load"


class NeoantigenParams(ValueGroupParams):
    """The ``[[unit]]`` table of ``neoantigen_load``."""

    ic50_cutoff: float | None = Field(
        default=None, gt=0, description="Binder cutoff, nM (default: [genomics] neoantigen_ic50_nm)"
    )


class PatientLoad(PatientInGroup):
    """One patient's sample, group and neoantigen count."""

    neoantigens: int = Field(description="Neoantigens")


class NeoantigenLoadResult(ValueGroupResult):
    """Neoantigen counts by score group."""

    kind: Literal["neoantigen_load"] = "neoantigen_load"
    file: str = Field(description="Neoantigen table file name")
    layout: str = Field(description="'counts' or 'predictions'")
    value_column: str = Field(description="Count column, or IC50 column of the predictions")
    peptide_column: str | None = Field(description="Column of the distinct peptides counted")
    ic50_cutoff: float | None = Field(description="Binder cutoff (nM) for predictions")
    patients: list[PatientLoad] = Field(description="Per patient, cohort order")


class NeoantigenLoad(Unit[NeoantigenParams, NeoantigenLoadResult]):
    """Neoantigen load (binders at IC50 < cutoff) compared between score groups."""

    name = NAME
    family = "radiogenomics"
    version = "1.0"
    Params = NeoantigenParams
    Result = NeoantigenLoadResult
    remark_items = (10, 18)
    citations = ("Hundal J, et al. Genome Med 2016;8:11 (pVACseq).",)

    def needs(self, params: NeoantigenParams) -> Needs:
        return genomics_needs(params)

    def run(self, ctx: UnitContext, params: NeoantigenParams) -> NeoantigenLoadResult:
        spec = genomics(ctx, NAME)
        cutoff = params.ic50_cutoff if params.ic50_cutoff is not None else spec.neoantigen_ic50_nm
        table = neoantigens(ctx, spec, cutoff, NAME)
        grouped, sink = score_groups(ctx, spec, params, table.counts.index, "Neoantigens")
        samples = grouped.samples
        counts = pd.Series(
            table.counts.reindex(list(samples)).to_numpy(dtype=np.float64), index=samples.index
        )
        rule = (
            f"distinct peptides with IC50 < {cutoff:g} nM"
            if table.layout == "predictions"
            else "counts as given"
        )
        compared = compare_by_group(
            ctx,
            grouped,
            counts,
            exact=params.exact,
            sink=sink,
            what="Neoantigens",
            figure="neoantigen_violin",
            title="Neoantigen load",
            column="neoantigens",
            label="Neoantigens per tumour",
            caption=f"Neoantigens per tumour ({rule})",
        )
        return NeoantigenLoadResult(
            file=Path(table.file).name,
            layout=table.layout,
            value_column=table.value_column,
            peptide_column=table.peptide_column,
            ic50_cutoff=table.ic50_cutoff,
            groups=grouped.definition,
            match=grouped.match,
            summaries=compared.summaries,
            test=compared.test,
            patients=[
                PatientLoad(
                    patient=str(p),
                    sample=str(samples[p]),
                    group=str(grouped.groups[p]),
                    score=float(grouped.scores[p]),
                    neoantigens=int(counts[p]),
                )
                for p in samples.index
            ],
            figures=[compared.figure],
            warnings=sink,
            columns=compared.columns,
        )

    def methods(self, result: NeoantigenLoadResult, params: NeoantigenParams) -> str:
        groups, test = groups_methods(result, "neoantigen data")
        if result.layout == "predictions":
            counted = (
                f"counted per tumour as the distinct mutant peptides "
                f"({result.peptide_column or 'rows'}) predicted to bind at least one HLA allele "
                f"with {result.value_column} < {result.ic50_cutoff:g} nM"
            )
        else:
            counted = f"taken per tumour from the '{result.value_column}' column"
        return (
            f"{groups} Neoantigens were {counted}, and compared between groups by the Mann-Whitney U test ({test}, as R "
            f"wilcox.test). Software: {versions('numpy', 'pandas', 'scipy')}."
        )
