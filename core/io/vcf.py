"""Read somatic variants from a VCF (plain or bgzipped) with pysam, as a MAF-shaped table.

Rules, so that a VCF and a MAF describing the same variants give the same TMB:

- Records: with ``pass_only`` (default) only records whose FILTER is ``PASS`` or ``.`` (no filter
  applied) are kept. Each ALT allele is a separate variant; symbolic (``<DEL>``), breakend and
  ``*`` alleles are skipped.
- Samples: every genotype column is a sample (``Tumor_Sample_Barcode``); a sample carries an ALT
  allele when its ``GT`` lists that allele (so a matched normal with ``0/0`` carries nothing).
  A single-sample VCF without ``GT`` assigns every record to its sample.
- Alleles and positions follow vcf2maf: the bases shared at the start of REF and ALT are removed
  (``-`` for an empty allele); a deletion starts at its first deleted base, an insertion at the
  base before it (End = Start + 1); types SNP/DNP/TNP/ONP/INS/DEL.
- Consequence: from VEP's ``CSQ`` (preferred when both are present) or SnpEff's ``ANN`` INFO field,
  the annotations of the allele (VEP's ``ALLELE_NUM`` when given, else VEP's allele string;
  SnpEff's ALT string): VEP's canonical transcripts (``CANONICAL=YES``) when any, the most severe
  one (vcf2maf's ranking), mapped to ``Variant_Classification`` by vcf2maf's rules (see
  :mod:`remarkit.io._consequence`); ``Hugo_Symbol`` from ``SYMBOL``/``Gene_Name``. Without
  annotation a variant is ``Targeted_Region`` (as vcf2maf), which TMB does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from remarkit.errors import InputError
from remarkit.io._consequence import (
    UNANNOTATED,
    effect_priority,
    most_severe,
    variant_classification,
)

if TYPE_CHECKING:
    import pysam

MAF_COLUMNS: tuple[str, ...] = (
    "Hugo_Symbol",
    "Chromosome",
    "Start_Position",
    "End_Position",
    "Reference_Allele",
    "Tumor_Seq_Allele1",
    "Tumor_Seq_Allele2",
    "Variant_Classification",
    "Variant_Type",
    "Tumor_Sample_Barcode",
    "Consequence",
    "FILTER",
)


@dataclass(frozen=True)
class VcfVariants:
    """The variants of a VCF as a MAF-shaped table, and what was read."""

    maf: pd.DataFrame  # columns MAF_COLUMNS, one row per (ALT allele, carrying sample)
    annotation: str  # "CSQ", "ANN" or "none"
    samples: tuple[str, ...]  # the VCF's genotype columns
    n_records: int  # records in the file
    n_filtered: int  # records dropped by the PASS filter
    n_unannotated: int  # rows without a consequence annotation (Targeted_Region)
    file: str


@dataclass(frozen=True)
class _Annotation:
    key: str
    allele: int
    consequence: int
    gene: int
    canonical: int | None
    allele_num: int | None


def read_vcf(path: Path, *, pass_only: bool = True) -> VcfVariants:
    """Read ``path`` into a MAF-shaped table (see the module docstring for the rules)."""
    import pysam  # only when a VCF is read

    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError("file not found", file=file)
    quiet = pysam.set_verbosity(0)  # htslib would print "no index file" for a bgzipped VCF
    try:
        vcf = pysam.VariantFile(str(path))
    except (OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read the VCF: {message}", file=file) from exc
    finally:
        pysam.set_verbosity(quiet)
    with vcf:
        samples = tuple(str(s) for s in vcf.header.samples)
        if not samples:
            raise InputError(
                "the VCF has no sample (genotype) column; remarkit needs one column per "
                "tumour sample",
                file=file,
            )
        annotation = _annotation_format(vcf.header, file)
        rows: list[tuple[Any, ...]] = []
        n_records = n_filtered = 0
        number = 1
        records = iter(vcf)
        try:
            while True:
                number = n_records + 1  # the record being read, for error messages
                record = next(records, None)
                if record is None:
                    break
                n_records = number
                filters = [str(f) for f in record.filter]
                if pass_only and filters and filters != ["PASS"]:
                    n_filtered += 1
                    continue
                rows.extend(_record_rows(record, samples, annotation, ";".join(filters) or "."))
        except (OSError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"cannot read VCF record {number}: {message}", file=file) from exc
    maf = pd.DataFrame(rows, columns=list(MAF_COLUMNS))
    maf["Start_Position"] = maf["Start_Position"].astype("int64")
    maf["End_Position"] = maf["End_Position"].astype("int64")
    return VcfVariants(
        maf=maf,
        annotation="none" if annotation is None else annotation.key,
        samples=samples,
        n_records=n_records,
        n_filtered=n_filtered,
        n_unannotated=int((maf["Variant_Classification"] == UNANNOTATED).sum()),
        file=file,
    )


def _annotation_format(header: pysam.VariantHeader, file: str) -> _Annotation | None:
    """Where the allele, consequence and gene sit in the CSQ (or ANN) entries."""
    for key, allele_names, consequence_names, gene_names in (
        ("CSQ", ("Allele",), ("Consequence",), ("SYMBOL",)),
        ("ANN", ("Allele",), ("Annotation", "Consequence"), ("Gene_Name", "SYMBOL")),
    ):
        if key not in header.info:
            continue
        description = str(header.info[key].description or "")
        _, _, tail = description.partition(":")
        fields = [f.strip().strip("'\" ") for f in tail.strip().strip("'\"").split("|")]

        def find(names: tuple[str, ...], fields: list[str] = fields) -> int | None:
            return next((fields.index(n) for n in names if n in fields), None)

        allele, consequence, gene = find(allele_names), find(consequence_names), find(gene_names)
        if allele is None or consequence is None or gene is None:
            raise InputError(
                f"the {key} header does not describe its fields (need Allele, "
                f"{consequence_names[0]} and {gene_names[0]} in its Description)",
                file=file,
            )
        return _Annotation(
            key, allele, consequence, gene, find(("CANONICAL",)), find(("ALLELE_NUM",))
        )
    return None


def _record_rows(
    record: pysam.VariantRecord, samples: tuple[str, ...], annotation: _Annotation | None, flt: str
) -> list[tuple[Any, ...]]:
    """One MAF row per (ALT allele, sample carrying it)."""
    alts = record.alts or ()
    ref = str(record.ref)
    pos, chrom = int(record.pos), str(record.chrom)
    carriers = _carriers(record, samples, len(alts))
    entries = _entries(record, annotation)
    vep_alleles = _vep_alleles(ref, alts)
    out: list[tuple[Any, ...]] = []
    for k, alt in enumerate(alts, start=1):
        if not carriers[k] or alt.startswith("<") or alt == "*" or "[" in alt or "]" in alt:
            continue
        start, end, maf_ref, maf_alt, var_type = _maf_alleles(pos, ref, alt)
        inframe = abs(len(ref) - len(alt)) % 3 == 0
        gene, effect = "", ""
        if annotation is not None:
            own = _allele_entries(entries, annotation, k, alt, vep_alleles[k - 1])
            gene, effect = _best(own, annotation)
        row_class = _classification(effect, var_type, inframe)
        for sample in carriers[k]:
            out.append(
                (
                    gene or None,
                    chrom,
                    start,
                    end,
                    maf_ref,
                    maf_ref,
                    maf_alt,
                    row_class,
                    var_type,
                    sample,
                    effect or None,
                    flt,
                )
            )
    return out


_classification = lru_cache(maxsize=4096)(variant_classification)


def _carriers(
    record: pysam.VariantRecord, samples: tuple[str, ...], n_alts: int
) -> dict[int, list[str]]:
    """ALT allele index -> the samples whose GT lists it."""
    carriers: dict[int, list[str]] = {k: [] for k in range(1, n_alts + 1)}
    if "GT" not in record.format:
        if len(samples) == 1:
            for k in carriers:
                carriers[k].append(samples[0])
            return carriers
        raise ValueError(
            f"{record.chrom}:{record.pos} has no GT field, so it cannot be assigned to one of "
            f"{len(samples)} samples"
        )
    for sample, data in zip(samples, record.samples.values(), strict=True):
        gt: tuple[int | None, ...] = data["GT"] or ()
        if len(gt) == 2 and gt[0] == 0 and gt[1] == 0:
            continue  # the common 0/0 (e.g. a matched normal) carries nothing
        for allele in dict.fromkeys(a for a in gt if a):
            if allele in carriers:
                carriers[allele].append(sample)
    return carriers


def _entries(record: pysam.VariantRecord, annotation: _Annotation | None) -> list[list[str]]:
    """The record's annotation entries, each split into its fields."""
    if annotation is None or annotation.key not in record.info:
        return []
    value = record.info[annotation.key]
    items = value if isinstance(value, tuple) else (value,)
    return [str(item).split("|") for item in items if item is not None]


def _vep_alleles(ref: str, alts: tuple[str, ...]) -> list[str]:
    """VEP's allele strings: the first base removed when every allele shares it ("-" if empty)."""
    if len(ref) == 1 and all(len(a) == 1 for a in alts):
        return list(alts)  # SNVs: nothing shared to remove
    alleles = [ref, *alts]
    if all(len(a) > 0 and a[0] == ref[0] for a in alleles) and any(len(a) > 1 for a in alleles):
        return [a[1:] or "-" for a in alts]
    return list(alts)


def _allele_entries(
    entries: list[list[str]], annotation: _Annotation, k: int, alt: str, vep_allele: str
) -> list[list[str]]:
    """The entries describing ALT allele ``k``."""
    width = max(annotation.allele, annotation.consequence, annotation.gene) + 1
    usable = [e for e in entries if len(e) >= width]
    if annotation.allele_num is not None:
        num = annotation.allele_num
        return [e for e in usable if len(e) > num and e[num].strip() == str(k)]
    wanted = {alt} if annotation.key == "ANN" else {vep_allele, alt}
    return [e for e in usable if e[annotation.allele].strip() in wanted]


def _best(entries: list[list[str]], annotation: _Annotation) -> tuple[str, str]:
    """(gene, most severe SO term) of the chosen entry: canonical first, then most severe."""
    if not entries:
        return "", ""
    pool = entries
    if annotation.canonical is not None:
        canonical = [
            e for e in entries if len(e) > annotation.canonical and e[annotation.canonical] == "YES"
        ]
        pool = canonical or entries
    terms = [_most_severe(e[annotation.consequence]) for e in pool]
    best = min(range(len(pool)), key=lambda i: terms[i][1])
    return pool[best][annotation.gene].strip(), terms[best][0]


@lru_cache(maxsize=4096)
def _most_severe(consequence: str) -> tuple[str, int]:
    """(most severe term, its rank) of a consequence string; the strings repeat, so cached."""
    term = most_severe(consequence)
    return term, effect_priority(term)


def _maf_alleles(pos: int, ref: str, alt: str) -> tuple[int, int, str, str, str]:
    """vcf2maf's MAF Start/End, Reference/Tumor alleles and Variant_Type for one ALT."""
    if len(ref) == 1 and len(alt) == 1 and ref != alt:
        return pos, pos, ref, alt, "SNP"
    shared = 0
    while shared < min(len(ref), len(alt)) and ref[shared] == alt[shared] and ref != alt:
        shared += 1
    r, a = ref[shared:], alt[shared:]
    start = pos + shared
    if len(r) == len(a):
        n = len(a)
        var_type = {1: "SNP", 2: "DNP", 3: "TNP"}.get(n, "ONP")
        return start, start + n - 1, r, a, var_type
    if len(r) < len(a):
        if not r:
            return start - 1, start, "-", a, "INS"
        return start, start + len(r) - 1, r, a, "INS"
    return start, start + len(r) - 1, r, a or "-", "DEL"
