"""Read the [genomics] inputs a unit needs through ``remarkit.io`` (paths resolved by the study)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from remarkit import InputError, UnitContext
from remarkit.io import (
    ExpressionMatrix,
    NeoantigenCounts,
    read_expression,
    read_gmt,
    read_maf,
    read_neoantigens,
    read_vcf,
)
from remarkit.plugins.radiogenomics._common import GenomicsSpec


@dataclass(frozen=True)
class GeneSetFile:
    """One gene-set collection (GMT file) and its display label."""

    label: str
    file: str  # file name as shown in the report
    sets: dict[str, list[str]]


@dataclass(frozen=True)
class Mutations:
    """Somatic variants as a MAF-shaped table and where they came from."""

    maf: pd.DataFrame
    source: str  # "MAF" or "VCF"
    file: str
    notes: list[str]  # what the VCF reader dropped or could not annotate


def _required(ctx: UnitContext, path: Path | None, what: str, key: str, unit: str) -> Path:
    if path is None:
        raise InputError(f"{unit} needs {what}: set '{key}' in [genomics]")
    return ctx.study.resolve(path)


def expression(ctx: UnitContext, spec: GenomicsSpec, unit: str) -> ExpressionMatrix:
    """The expression matrix, duplicated genes collapsed by the spec's rule."""
    path = _required(ctx, spec.expression, "an expression matrix", "expression", unit)
    return read_expression(
        path, gene_column=spec.expression_gene_column, duplicates=spec.duplicate_genes
    )


def gene_set_files(
    ctx: UnitContext, spec: GenomicsSpec, labels: list[str], unit: str
) -> list[GeneSetFile]:
    """Every gene-set file of the spec, labelled by ``labels`` (default: the file name)."""
    if not spec.gene_sets:
        raise InputError(f"{unit} needs gene sets: list GMT files in [genomics] gene_sets")
    if labels and len(labels) != len(spec.gene_sets):
        raise InputError(
            f"{unit}: collection_labels has {len(labels)} label(s) for "
            f"{len(spec.gene_sets)} gene-set file(s)"
        )
    out: list[GeneSetFile] = []
    for i, path in enumerate(spec.gene_sets):
        resolved = ctx.study.resolve(path)
        name = resolved.name
        label = labels[i] if labels else name.removesuffix(".gz").removesuffix(".gmt")
        out.append(GeneSetFile(label=label, file=name, sets=read_gmt(resolved)))
    return out


def mutations(ctx: UnitContext, spec: GenomicsSpec, unit: str) -> Mutations:
    """Variants from the MAF, or from the VCF converted to a MAF-shaped table."""
    if spec.maf is not None:
        path = ctx.study.resolve(spec.maf)
        return Mutations(read_maf(path), "MAF", path.name, [])
    path = _required(ctx, spec.vcf, "somatic variants", "maf' or 'vcf", unit)
    variants = read_vcf(path, pass_only=spec.vcf_pass_only)
    notes: list[str] = []
    if variants.n_filtered:
        notes.append(
            f"VCF: {variants.n_filtered} of {variants.n_records} record(s) dropped by the "
            "PASS filter"
        )
    if variants.annotation == "none":
        notes.append(
            "VCF: no VEP CSQ or SnpEff ANN annotation, so no variant is classified as "
            "non-synonymous (annotate the VCF with VEP or SnpEff)"
        )
    elif variants.n_unannotated:
        notes.append(
            f"VCF: {variants.n_unannotated} variant(s) have no {variants.annotation} entry for "
            "their allele and count as Targeted_Region (not non-synonymous)"
        )
    if variants.maf.empty:
        raise InputError("the VCF has no variant carried by any sample", file=variants.file)
    return Mutations(variants.maf, "VCF", path.name, notes)


def neoantigens(ctx: UnitContext, spec: GenomicsSpec, cutoff: float, unit: str) -> NeoantigenCounts:
    """Per-sample neoantigen counts from the spec's table."""
    path = _required(ctx, spec.neoantigens, "a neoantigen table", "neoantigens", unit)
    return read_neoantigens(
        path,
        sample_column=spec.neoantigen_sample_column,
        count_column=spec.neoantigen_count_column,
        ic50_column=spec.neoantigen_ic50_column,
        ic50_cutoff=cutoff,
    )
