"""Write the demo MAF as a VEP-annotated, bgzipped multi-sample VCF (the inverse of vcf2maf)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pysam

#: A Sequence Ontology term that vcf2maf maps back to each MAF class.
SO_TERM = {
    "Missense_Mutation": "missense_variant",
    "Nonsense_Mutation": "stop_gained",
    "Frame_Shift_Del": "frameshift_variant",
    "Frame_Shift_Ins": "frameshift_variant",
    "Splice_Site": "splice_acceptor_variant",
    "In_Frame_Del": "inframe_deletion",
    "In_Frame_Ins": "inframe_insertion",
    "Translation_Start_Site": "start_lost",
    "Nonstop_Mutation": "stop_lost",
    "Silent": "synonymous_variant",
    "Intron": "intron_variant",
    "3'UTR": "3_prime_UTR_variant",
    "5'UTR": "5_prime_UTR_variant",
    "RNA": "non_coding_transcript_exon_variant",
    "Splice_Region": "splice_region_variant",
}
ANCHOR = "A"  # the base before an indel (any base: remarkit never looks it up)


def write_vcf(root: Path) -> None:
    """genomics/mutations.maf -> genomics/mutations.vcf.gz, one record per MAF row."""
    maf = pd.read_csv(root / "genomics" / "mutations.maf", sep="\t", dtype=str)
    samples = sorted(maf["Tumor_Sample_Barcode"].unique())
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
        'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        *(f"##contig=<ID={c}>" for c in range(1, 23)),
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples),
    ]
    for row in maf.itertuples(index=False):
        start = int(row.Start_Position)
        ref, alt = str(row.Reference_Allele), str(row.Tumor_Seq_Allele2)
        if alt == "-":  # deletion: the anchor base precedes the deleted bases
            pos, vcf_ref, vcf_alt, allele = start - 1, ANCHOR + ref, ANCHOR, "-"
        elif ref == "-":  # insertion: MAF Start is the base before the inserted bases
            pos, vcf_ref, vcf_alt, allele = start, ANCHOR, ANCHOR + alt, alt
        else:
            pos, vcf_ref, vcf_alt, allele = start, ref, alt, alt
        csq = f"{allele}|{SO_TERM[row.Variant_Classification]}|.|{row.Hugo_Symbol}|."
        gts = ["0/1" if s == row.Tumor_Sample_Barcode else "0/0" for s in samples]
        lines.append(
            f"{row.Chromosome}\t{pos}\t.\t{vcf_ref}\t{vcf_alt}\t.\tPASS\tCSQ={csq}\tGT\t"
            + "\t".join(gts)
        )
    plain = root / "genomics" / "mutations.vcf"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pysam.tabix_compress(str(plain), str(plain) + ".gz", force=True)
