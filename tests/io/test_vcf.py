"""VCF reading: a VCF and a MAF describing the same variants give the same TMB and gene summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pysam
import pytest

from remarkit.errors import InputError
from remarkit.io import read_maf, read_vcf
from remarkit.io._consequence import most_severe, variant_classification
from remarkit.stats import gene_summary, tumor_mutation_burden


@dataclass(frozen=True)
class Site:
    """A VCF record: position, alleles, genotypes of T1/T2/NORMAL and per-ALT annotations."""

    chrom: str
    pos: int
    ref: str
    alts: tuple[str, ...]
    gts: tuple[str, str, str]
    effects: tuple[str, ...]  # one SO consequence per ALT
    gene: str
    filter: str = "PASS"


SITES = [
    Site("17", 7675088, "C", ("T",), ("0/1", "0/0", "0/0"), ("missense_variant",), "TP53"),
    Site(
        "17",
        7675100,
        "CAT",
        ("C",),
        ("0/1", "0/1", "0/0"),
        ("frameshift_variant&splice_region_variant",),
        "TP53",
    ),
    Site("17", 7675200, "A", ("ATG",), ("0/0", "0/1", "0/0"), ("frameshift_variant",), "TP53"),
    Site("3", 41224600, "G", ("GCCT",), ("0/1", "0/0", "0/0"), ("inframe_insertion",), "CTNNB1"),
    Site("3", 41224700, "TGAA", ("T",), ("0/0", "1/1", "0/0"), ("inframe_deletion",), "CTNNB1"),
    Site(
        "3",
        41224800,
        "C",
        ("G", "A"),
        ("1/2", "0/2", "0/0"),
        ("stop_gained", "synonymous_variant"),
        "CTNNB1",
    ),
    Site("1", 1000, "AC", ("GT",), ("0/1", "0/0", "0/0"), ("missense_variant",), "GENEX"),
    Site("1", 2000, "G", ("A",), ("0/1", "0/1", "0/0"), ("splice_donor_variant",), "GENEX"),
    Site("1", 3000, "G", ("T",), ("0/1", "0/0", "0/0"), ("intron_variant",), "GENEX"),
    Site("1", 4000, "T", ("C",), ("0/1", "0/0", "0/0"), ("start_lost",), "GENEY"),
    Site("1", 5000, "T", ("C",), ("0/0", "0/1", "0/0"), ("stop_lost",), "GENEY"),
    Site("1", 6000, "T", ("C",), ("0/1", "0/1", "0/0"), ("3_prime_UTR_variant",), "GENEY"),
    Site("1", 7000, "T", ("C",), ("0/1", "0/1", "0/0"), ("missense_variant",), "GENEY", "lowqual"),
]
SAMPLES = ("T1", "T2", "NORMAL")

# The same variants as vcf2maf writes them (FILTER=lowqual record left out).
MAF_ROWS = [
    ("TP53", "17", 7675088, 7675088, "C", "T", "Missense_Mutation", "SNP", "T1"),
    ("TP53", "17", 7675101, 7675102, "AT", "-", "Frame_Shift_Del", "DEL", "T1"),
    ("TP53", "17", 7675101, 7675102, "AT", "-", "Frame_Shift_Del", "DEL", "T2"),
    ("TP53", "17", 7675200, 7675201, "-", "TG", "Frame_Shift_Ins", "INS", "T2"),
    ("CTNNB1", "3", 41224600, 41224601, "-", "CCT", "In_Frame_Ins", "INS", "T1"),
    ("CTNNB1", "3", 41224701, 41224703, "GAA", "-", "In_Frame_Del", "DEL", "T2"),
    ("CTNNB1", "3", 41224800, 41224800, "C", "G", "Nonsense_Mutation", "SNP", "T1"),
    ("CTNNB1", "3", 41224800, 41224800, "C", "A", "Silent", "SNP", "T1"),
    ("CTNNB1", "3", 41224800, 41224800, "C", "A", "Silent", "SNP", "T2"),
    ("GENEX", "1", 1000, 1001, "AC", "GT", "Missense_Mutation", "DNP", "T1"),
    ("GENEX", "1", 2000, 2000, "G", "A", "Splice_Site", "SNP", "T1"),
    ("GENEX", "1", 2000, 2000, "G", "A", "Splice_Site", "SNP", "T2"),
    ("GENEX", "1", 3000, 3000, "G", "T", "Intron", "SNP", "T1"),
    ("GENEY", "1", 4000, 4000, "T", "C", "Translation_Start_Site", "SNP", "T1"),
    ("GENEY", "1", 5000, 5000, "T", "C", "Nonstop_Mutation", "SNP", "T2"),
    ("GENEY", "1", 6000, 6000, "T", "C", "3'UTR", "SNP", "T1"),
    ("GENEY", "1", 6000, 6000, "T", "C", "3'UTR", "SNP", "T2"),
]
MAF_COLUMNS = [
    "Hugo_Symbol",
    "Chromosome",
    "Start_Position",
    "End_Position",
    "Reference_Allele",
    "Tumor_Seq_Allele2",
    "Variant_Classification",
    "Variant_Type",
    "Tumor_Sample_Barcode",
]


def _vep_allele(ref: str, alts: tuple[str, ...], alt: str) -> str:
    alleles = (ref, *alts)
    if all(a[0] == ref[0] for a in alleles) and any(len(a) > 1 for a in alleles):
        return alt[1:] or "-"
    return alt


def vcf_text(kind: str) -> str:
    """The sites as a VCF annotated by VEP (CSQ) or SnpEff (ANN), with decoy entries."""
    if kind == "CSQ":
        info = (
            '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
            'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature|CANONICAL">'
        )
    else:
        info = (
            '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
            "'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
            "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p'\">"
        )
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=lowqual,Description="Low quality">',
        info,
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        *(f"##contig=<ID={c}>" for c in ("1", "3", "17")),
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(SAMPLES),
    ]
    for s in SITES:
        entries = []
        for alt, effect in zip(s.alts, s.effects, strict=True):
            if kind == "CSQ":
                allele = _vep_allele(s.ref, s.alts, alt)
                # a non-canonical transcript with a more severe effect must be ignored
                entries.append(f"{allele}|stop_gained|HIGH|DECOY|ENSG0|ENST1|")
                entries.append(f"{allele}|{effect}|MODERATE|{s.gene}|ENSG1|ENST2|YES")
            else:
                entries.append(f"{alt}|{effect}|MODERATE|{s.gene}|ENSG1|transcript|ENST2|")
                entries.append(f"{alt}|intron_variant|MODIFIER|DECOY|ENSG0|transcript|ENST1|")
        info_field = f"{kind}=" + ",".join(entries)
        lines.append(
            f"{s.chrom}\t{s.pos}\t.\t{s.ref}\t{','.join(s.alts)}\t.\t{s.filter}\t{info_field}\t"
            f"GT\t" + "\t".join(s.gts)
        )
    return "\n".join(lines) + "\n"


def the_maf() -> pd.DataFrame:
    return pd.DataFrame(MAF_ROWS, columns=MAF_COLUMNS)


@pytest.fixture(params=["CSQ-plain", "CSQ-bgzip", "ANN-plain", "ANN-bgzip"])
def vcf_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    kind, packing = str(request.param).split("-")
    plain = tmp_path / f"{kind}.vcf"
    plain.write_text(vcf_text(kind), encoding="utf-8")
    if packing == "plain":
        return plain
    packed = tmp_path / f"{kind}.vcf.gz"
    pysam.tabix_compress(str(plain), str(packed), force=True)
    return packed


def test_vcf_rows_equal_the_vcf2maf_maf(vcf_path: Path) -> None:
    variants = read_vcf(vcf_path)
    assert variants.annotation == ("CSQ" if "CSQ" in vcf_path.name else "ANN")
    assert variants.samples == SAMPLES
    assert (variants.n_records, variants.n_filtered, variants.n_unannotated) == (13, 1, 0)
    got = variants.maf[MAF_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, the_maf(), check_dtype=False)


def test_vcf_and_maf_give_the_same_tmb(vcf_path: Path, tmp_path: Path) -> None:
    maf_path = tmp_path / "same.maf"
    the_maf().to_csv(maf_path, sep="\t", index=False)
    from_maf = read_maf(maf_path)
    from_vcf = read_vcf(vcf_path).maf
    a = tumor_mutation_burden(from_maf, capture_mb=30.0)
    b = tumor_mutation_burden(from_vcf, capture_mb=30.0)
    pd.testing.assert_frame_equal(a.per_sample, b.per_sample)
    assert a.per_sample.loc["T1", "nonsynonymous"] == 7
    assert a.per_sample.loc["T2", "nonsynonymous"] == 5
    assert "NORMAL" not in a.per_sample.index  # 0/0 everywhere: carries nothing
    pd.testing.assert_frame_equal(gene_summary(from_maf).table, gene_summary(from_vcf).table)


def test_pass_filter_can_be_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "a.vcf"
    path.write_text(vcf_text("CSQ"), encoding="utf-8")
    variants = read_vcf(path, pass_only=False)
    assert variants.n_filtered == 0
    assert (variants.maf["Start_Position"] == 7000).sum() == 2


def test_unannotated_vcf_is_targeted_region(tmp_path: Path) -> None:
    text = vcf_text("CSQ").replace("##INFO=<ID=CSQ", "##INFO=<ID=OTHER")
    text = "\n".join(
        line if line.startswith("#") else line.replace("\tCSQ=", "\tOTHER=")
        for line in text.splitlines()
    )
    path = tmp_path / "u.vcf"
    path.write_text(text + "\n", encoding="utf-8")
    variants = read_vcf(path)
    assert variants.annotation == "none"
    assert (variants.maf["Variant_Classification"] == "Targeted_Region").all()
    assert variants.n_unannotated == len(variants.maf) == len(MAF_ROWS)


def test_vcf_without_sample_column_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "n.vcf"
    path.write_text(
        "##fileformat=VCFv4.2\n##contig=<ID=1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "1\t5\t.\tA\tT\t.\tPASS\t.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"n.vcf: the VCF has no sample \(genotype\) column"):
        read_vcf(path)


def test_not_a_vcf_and_missing_gt(tmp_path: Path) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_text("this is not a VCF\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the VCF"):
        read_vcf(bad)
    no_gt = tmp_path / "nogt.vcf"
    no_gt.write_text(
        "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n"
        "1\t5\t.\tA\tT\t.\tPASS\t.\tDP\t10\t12\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"record 1: 1:5 has no GT field"):
        read_vcf(no_gt)


@pytest.mark.parametrize(
    ("effect", "var_type", "inframe", "expected"),
    [
        ("protein_altering_variant", "DEL", False, "Frame_Shift_Del"),
        ("protein_altering_variant", "INS", True, "In_Frame_Ins"),
        ("conservative_inframe_deletion", "DEL", True, "In_Frame_Del"),
        ("splice_region_variant", "SNP", True, "Splice_Region"),
        ("upstream_gene_variant", "SNP", True, "5'Flank"),
        ("feature_truncation", "DEL", True, "Targeted_Region"),
        ("", "SNP", True, "Targeted_Region"),
    ],
)
def test_vcf2maf_classification(effect: str, var_type: str, inframe: bool, expected: str) -> None:
    assert variant_classification(effect, var_type, inframe) == expected


def test_most_severe_term() -> None:
    assert most_severe("splice_region_variant&missense_variant") == "missense_variant"
    assert most_severe("intron_variant&NMD_transcript_variant") == "intron_variant"
