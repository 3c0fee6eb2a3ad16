"""MAF preparation shared by the mutation statistics: checks, de-duplication, classification.

Follows maftools' ``read.maf``/``validateMaf``: duplicated variants (same chromosome, start,
sample, reference and alternate allele) are removed first, keeping the first row; missing or
empty gene symbols become ``"UnknownGene"``; a variant is non-synonymous when its
``Variant_Classification`` is one of ``vc_nonSyn``, and every other variant counts as silent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from remarkit.errors import StatisticsError

#: maftools' default ``vc_nonSyn`` (the classes counted as non-synonymous).
NONSYNONYMOUS_CLASSES: tuple[str, ...] = (
    "Frame_Shift_Del",
    "Frame_Shift_Ins",
    "Splice_Site",
    "Translation_Start_Site",
    "Nonsense_Mutation",
    "Nonstop_Mutation",
    "In_Frame_Del",
    "In_Frame_Ins",
    "Missense_Mutation",
)

#: Columns every MAF passed to the mutation statistics must have.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "Hugo_Symbol",
    "Chromosome",
    "Start_Position",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
    "Variant_Classification",
    "Tumor_Sample_Barcode",
)

#: maftools' duplicate key: Chromosome:Start_Position:Tumor_Sample_Barcode:Ref:Alt.
DUPLICATE_KEY: tuple[str, ...] = (
    "Chromosome",
    "Start_Position",
    "Tumor_Sample_Barcode",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
)

UNKNOWN_GENE = "UnknownGene"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PreparedMaf:
    """Variants after de-duplication, as integer codes (one entry per kept variant)."""

    samples: pd.Index  # every sample with at least one kept variant, sorted
    sample_code: IntArray  # index into ``samples``
    genes: pd.Index  # gene symbols of the kept variants, sorted
    gene_code: IntArray  # index into ``genes``
    classes: pd.Index  # Variant_Classification values of the kept variants, sorted
    class_code: IntArray  # index into ``classes``; -1 where missing
    nonsynonymous: BoolArray  # True where the variant is non-synonymous
    n_duplicates: int


def prepare_maf(
    maf: pd.DataFrame,
    *,
    nonsynonymous_classes: Iterable[str] | None = None,
    remove_duplicates: bool = True,
) -> PreparedMaf:
    """Check ``maf``, drop duplicated variants and classify the rest (maftools' ``read.maf``)."""
    if not isinstance(maf, pd.DataFrame):
        raise StatisticsError(f"maf must be a pandas DataFrame, got {type(maf).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in maf.columns]
    if missing:
        raise StatisticsError(f"maf is missing required column(s): {', '.join(missing)}")
    if len(maf) == 0:
        raise StatisticsError("maf has no variants (no rows)")
    classes_ns = _nonsynonymous_set(nonsynonymous_classes)

    keep = np.ones(len(maf), dtype=bool)
    sample_code, samples = _codes(maf["Tumor_Sample_Barcode"])
    if (sample_code < 0).any():
        raise StatisticsError(
            f"Tumor_Sample_Barcode is missing in {int((sample_code < 0).sum())} row(s)"
        )
    if remove_duplicates:
        keep = _first_occurrences(maf, sample_code)
    n_duplicates = int(len(keep) - keep.sum())

    gene_code, genes = _codes(maf["Hugo_Symbol"], blank_as=UNKNOWN_GENE)
    class_code, classes = _codes(maf["Variant_Classification"])
    is_ns_class = np.fromiter((str(c) in classes_ns for c in classes), bool, len(classes))
    nonsynonymous = np.where(class_code >= 0, is_ns_class[np.maximum(class_code, 0)], False)

    if n_duplicates:
        sample_code, gene_code = sample_code[keep], gene_code[keep]
        class_code, nonsynonymous = class_code[keep], nonsynonymous[keep]
        samples, sample_code = _drop_unused(samples, sample_code)
        genes, gene_code = _drop_unused(genes, gene_code)
        classes, class_code = _drop_unused(classes, class_code)

    return PreparedMaf(
        samples=pd.Index(samples, name="Tumor_Sample_Barcode"),
        sample_code=sample_code,
        genes=pd.Index(genes, name="Hugo_Symbol"),
        gene_code=gene_code,
        classes=pd.Index(classes, name="Variant_Classification"),
        class_code=class_code,
        nonsynonymous=nonsynonymous,
        n_duplicates=n_duplicates,
    )


def _nonsynonymous_set(classes: Iterable[str] | None) -> frozenset[str]:
    """The non-synonymous classes to use (maftools' ``vc_nonSyn``)."""
    if classes is None:
        return frozenset(NONSYNONYMOUS_CLASSES)
    if isinstance(classes, str):
        raise StatisticsError("nonsynonymous_classes must be a list of class names, not a string")
    chosen = frozenset(str(c) for c in classes)
    if not chosen:
        raise StatisticsError("nonsynonymous_classes is empty")
    return chosen


def _codes(column: pd.Series, *, blank_as: str | None = None) -> tuple[IntArray, pd.Index]:
    """Codes into the sorted distinct values: -1 for missing, or ``blank_as`` for NA and ""."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = _category_codes(column)
    else:
        raw, found = pd.factorize(column, sort=True)
        codes, uniques = np.asarray(raw, dtype=np.int64), pd.Index(found)
    if blank_as is None:
        return codes, pd.Index(uniques)
    labels = [blank_as if u == "" else u for u in uniques]
    if blank_as not in labels and (codes >= 0).all():
        return codes, pd.Index(uniques)
    labels.append(blank_as)  # what code -1 (missing) becomes
    relabel, merged = pd.factorize(pd.Index(labels), sort=True)
    return np.asarray(relabel, dtype=np.int64)[codes], pd.Index(merged)


def _category_codes(column: pd.Series) -> tuple[IntArray, pd.Index]:
    """``pd.factorize(sort=True)`` of a categorical from its integer codes (no string hashing):
    the used categories sorted by value, -1 for missing."""
    raw = column.cat.codes.to_numpy().astype(np.int64)
    categories = column.cat.categories
    used = np.zeros(len(categories) + 1, dtype=bool)
    used[raw + 1] = True  # slot 0 stands for missing
    present = np.flatnonzero(used[1:])
    values = categories[present]
    order = np.argsort(values.to_numpy(dtype=object), kind="stable")
    new_code = np.full(len(categories) + 1, -1, dtype=np.int64)
    new_code[present[order] + 1] = np.arange(len(present), dtype=np.int64)
    return new_code[raw + 1], pd.Index(values[order])


def _first_occurrences(maf: pd.DataFrame, sample_code: IntArray) -> BoolArray:
    """True for the first row of each Chromosome:Start:sample:ref:alt key (R ``!duplicated``)."""
    key = sample_code.copy()
    key_max = int(key.max()) + 1
    limit = int(np.iinfo(np.int64).max)
    for column in DUPLICATE_KEY:
        if column == "Tumor_Sample_Barcode":
            continue
        codes, width = _key_codes(maf[column])
        if key_max * width > limit:
            key = pd.factorize(key)[0].astype(np.int64)  # compress before it can overflow
            key_max = int(key.max()) + 1
        key = key * width + codes
        key_max *= width
    return ~pd.Series(key).duplicated(keep="first").to_numpy()


def _key_codes(column: pd.Series) -> tuple[IntArray, int]:
    """Integer codes (missing is a value of its own) and the number of possible codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64) + 1, len(column.cat.categories) + 1
    values = column.to_numpy()
    if values.dtype.kind == "i" and values.size:
        low, high = int(values.min()), int(values.max())
        if high - low < 2**40:  # integer positions: their offset is already a dense code
            return values.astype(np.int64) - low, high - low + 1
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), len(uniques) + 1


def _drop_unused(labels: pd.Index, codes: IntArray) -> tuple[pd.Index, IntArray]:
    """Remove labels no kept row uses and renumber the codes (order kept)."""
    used = np.zeros(len(labels) + 1, dtype=bool)
    used[codes + 1] = True  # slot 0 stands for code -1
    used_labels = used[1:]
    if used_labels.all():
        return labels, codes
    renumber = np.cumsum(used_labels) - 1
    return labels[used_labels], np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1)
