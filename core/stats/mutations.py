"""Tumour mutation burden and per-gene mutation summaries from a MAF, as R maftools."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._maf import NONSYNONYMOUS_CLASSES, PreparedMaf, prepare_maf

__all__ = [
    "NONSYNONYMOUS_CLASSES",
    "GeneSummaryResult",
    "MutationMatrixResult",
    "TmbResult",
    "gene_summary",
    "mutated_samples",
    "tumor_mutation_burden",
]


class TmbResult(StatResult):
    """Per-sample tumour mutation burden (non-synonymous variants per megabase)."""

    per_sample: pd.DataFrame = Field(
        description=(
            "One row per sample (index Tumor_Sample_Barcode), sorted by non-synonymous count "
            "(descending) then barcode: nonsynonymous, silent (all other classes) and tmb "
            "(nonsynonymous / capture_mb). Samples with only silent variants have tmb 0."
        )
    )
    capture_mb: float = Field(description="Capture (territory) size in megabases.")
    n_samples: int = Field(description="Samples with at least one variant after de-duplication.")
    n_variants: int = Field(description="Variants after de-duplication.")
    n_nonsynonymous: int = Field(description="Non-synonymous variants (maftools' vc_nonSyn).")
    n_silent: int = Field(description="Variants of every other class.")
    n_duplicates_removed: int = Field(
        description="Rows dropped as duplicates (same chromosome:start:sample:ref:alt)."
    )
    median_tmb: float = Field(description="Median TMB over all samples (mutations per Mb).")


class GeneSummaryResult(StatResult):
    """Per-gene counts of non-synonymous variants, as maftools' ``getGeneSummary``."""

    table: pd.DataFrame = Field(
        description=(
            "One row per mutated gene (index Hugo_Symbol): one count column per "
            "non-synonymous class present, total, mutated_samples (samples with >= 1 "
            "non-synonymous variant in the gene) and fraction_mutated (over n_samples); "
            "sorted by mutated_samples then total (descending), then gene symbol."
        )
    )
    n_samples: int = Field(description="Samples in the MAF (the denominator of fractions).")


class MutationMatrixResult(StatResult):
    """Samples x genes indicator of non-synonymous mutation (for Fisher tests, oncoplots)."""

    matrix: pd.DataFrame = Field(
        description=(
            "0/1 integers: rows are samples, columns the requested genes; 1 when the sample "
            "carries at least one non-synonymous variant in the gene."
        )
    )
    genes: list[str] = Field(description="Genes (columns) in the order requested.")
    n_samples: int = Field(description="Rows of the matrix.")
    n_mutated: list[int] = Field(description="Mutated samples per gene, in column order.")


def tumor_mutation_burden(
    maf: pd.DataFrame,
    *,
    capture_mb: float = 50.0,
    nonsynonymous_classes: Iterable[str] | None = None,
    remove_duplicates: bool = True,
) -> TmbResult:
    """TMB per sample as maftools ``tmb(read.maf(maf), captureSize = capture_mb)``.

    ``maf`` is a DataFrame with the TCGA MAF columns Hugo_Symbol, Chromosome, Start_Position,
    Reference_Allele, Tumor_Seq_Allele2, Variant_Classification and Tumor_Sample_Barcode.
    Duplicated variants are removed first (maftools' ``removeDuplicatedVariants``); TMB is the
    number of non-synonymous variants (``nonsynonymous_classes``, default maftools'
    ``vc_nonSyn``) divided by ``capture_mb``.
    """
    capture = float(capture_mb)
    if not (math.isfinite(capture) and capture > 0.0):
        raise StatisticsError(f"capture_mb must be a positive number, got {capture_mb!r}")
    prep = prepare_maf(
        maf, nonsynonymous_classes=nonsynonymous_classes, remove_duplicates=remove_duplicates
    )
    n_samples = len(prep.samples)
    nonsyn = np.bincount(prep.sample_code[prep.nonsynonymous], minlength=n_samples)
    total = np.bincount(prep.sample_code, minlength=n_samples)
    table = pd.DataFrame(
        {"nonsynonymous": nonsyn, "silent": total - nonsyn, "tmb": nonsyn / capture},
        index=prep.samples,
    )
    order = np.lexsort((np.arange(n_samples), -nonsyn))  # count desc, then barcode (sorted)
    table = table.iloc[order]
    return TmbResult(
        per_sample=table,
        capture_mb=capture,
        n_samples=n_samples,
        n_variants=int(total.sum()),
        n_nonsynonymous=int(nonsyn.sum()),
        n_silent=int((total - nonsyn).sum()),
        n_duplicates_removed=prep.n_duplicates,
        median_tmb=float(np.median(table["tmb"].to_numpy())),
    )


def gene_summary(
    maf: pd.DataFrame,
    *,
    nonsynonymous_classes: Iterable[str] | None = None,
    remove_duplicates: bool = True,
) -> GeneSummaryResult:
    """Per-gene non-synonymous counts, as maftools ``getGeneSummary(read.maf(maf))``.

    Only non-synonymous variants are counted (as in maftools' gene summary). Rows are sorted
    by mutated samples, then total variants (both descending), then gene symbol.
    """
    prep = prepare_maf(
        maf, nonsynonymous_classes=nonsynonymous_classes, remove_duplicates=remove_duplicates
    )
    ns = prep.nonsynonymous
    if not ns.any():
        raise StatisticsError("maf has no non-synonymous variants to summarise by gene")
    gene = prep.gene_code[ns]
    cls = prep.class_code[ns]
    sample = prep.sample_code[ns]
    n_genes, n_classes = len(prep.genes), len(prep.classes)

    counts = np.bincount(gene * n_classes + cls, minlength=n_genes * n_classes)
    counts = counts.reshape(n_genes, n_classes)
    mutated = _samples_per_gene(gene, sample, n_genes, len(prep.samples))

    present_genes = np.flatnonzero(mutated > 0)
    present_classes = np.flatnonzero(counts.sum(axis=0) > 0)
    table = pd.DataFrame(
        counts[np.ix_(present_genes, present_classes)],
        index=prep.genes[present_genes],
        columns=[str(c) for c in prep.classes[present_classes]],
    )
    table["total"] = table.sum(axis=1)
    table["mutated_samples"] = mutated[present_genes]
    table["fraction_mutated"] = table["mutated_samples"] / len(prep.samples)
    order = np.lexsort(
        (np.arange(len(table)), -table["total"].to_numpy(), -table["mutated_samples"].to_numpy())
    )
    table = table.iloc[order]
    table.columns.name = None
    return GeneSummaryResult(table=table, n_samples=len(prep.samples))


def mutated_samples(
    maf: pd.DataFrame,
    genes: Iterable[str],
    *,
    samples: Iterable[str] | None = None,
    nonsynonymous_classes: Iterable[str] | None = None,
    remove_duplicates: bool = True,
) -> MutationMatrixResult:
    """Samples x genes 0/1 matrix: 1 when the sample has a non-synonymous variant in the gene.

    Rows are every sample in the MAF (sorted) unless ``samples`` is given, in which case rows
    follow ``samples`` and samples absent from the MAF are all 0 (wild type). Genes never
    mutated give a column of zeros. Matches the mutated/wild-type split maftools uses for
    ``clinicalEnrichment``/oncoplots (non-synonymous variants only).
    """
    if isinstance(genes, str):
        raise StatisticsError("genes must be a list of gene symbols, not a single string")
    wanted = [str(g) for g in genes]
    if not wanted:
        raise StatisticsError("genes is empty")
    if len(set(wanted)) != len(wanted):
        raise StatisticsError("genes contains duplicates")
    prep = prepare_maf(
        maf, nonsynonymous_classes=nonsynonymous_classes, remove_duplicates=remove_duplicates
    )
    rows = _row_index(prep, samples)
    matrix = np.zeros((len(rows), len(wanted)), dtype=np.int64)
    column_of = prep.genes.get_indexer(pd.Index(wanted))
    gene_to_column = np.full(len(prep.genes), -1, dtype=np.int64)
    found = column_of >= 0
    gene_to_column[column_of[found]] = np.flatnonzero(found)

    column = gene_to_column[prep.gene_code]
    row = rows.get_indexer(prep.samples)[prep.sample_code]
    hit = prep.nonsynonymous & (column >= 0) & (row >= 0)
    matrix[row[hit], column[hit]] = 1
    frame = pd.DataFrame(matrix, index=rows, columns=pd.Index(wanted, name="Hugo_Symbol"))
    return MutationMatrixResult(
        matrix=frame,
        genes=wanted,
        n_samples=len(rows),
        n_mutated=[int(v) for v in matrix.sum(axis=0)],
    )


def _samples_per_gene(
    gene: npt.NDArray[np.int64], sample: npt.NDArray[np.int64], n_genes: int, n_samples: int
) -> npt.NDArray[np.int64]:
    """Distinct samples per gene code: a gene x sample bitmap when small, else sorted pairs."""
    pairs = gene * n_samples + sample
    if n_genes * n_samples <= 2**27:
        seen = np.zeros(n_genes * n_samples, dtype=bool)
        seen[pairs] = True
        return np.asarray(seen.reshape(n_genes, n_samples).sum(axis=1), dtype=np.int64)
    return np.bincount(np.unique(pairs) // n_samples, minlength=n_genes)


def _row_index(prep: PreparedMaf, samples: Iterable[str] | None) -> pd.Index:
    """Rows of the mutation matrix: the MAF's samples, or the caller's list."""
    if samples is None:
        return prep.samples
    if isinstance(samples, str):
        raise StatisticsError("samples must be a list of sample barcodes, not a single string")
    rows = pd.Index(list(samples), name="Tumor_Sample_Barcode")
    if len(rows) == 0:
        raise StatisticsError("samples is empty")
    if rows.has_duplicates:
        raise StatisticsError("samples contains duplicates")
    return rows
