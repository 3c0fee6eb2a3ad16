"""VCF throughput: remarkit's ``read_vcf`` against a plain pysam loop over the same fields.

Run: python benchmarks/bench_vcf.py [--records 200000] [--runs 3]
Writes a seeded synthetic VEP-annotated somatic VCF (tumour + normal genotype columns, CSQ with
two transcripts per record, ~3% of records failing FILTER, ~5% insertions/deletions, a few
multi-allelic records) to a temporary file, then times, alternately, (a) ``read_vcf(path)``,
which builds the MAF-shaped table (vcf2maf alleles and positions, the most severe canonical
consequence mapped to Variant_Classification), and (b) a plain pysam loop that reads the same
fields (CHROM, POS, REF, ALT, FILTER, every sample's GT, the CSQ entries split into fields) into a
list of tuples and does nothing else. Medians of ``--runs`` after one warm-up each; prints records
per second and the ratio (goal: remarkit, which does strictly more, no slower than the bare
loop, i.e. ratio >= 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pysam

from remarkit.io import read_vcf

CONSEQUENCES = [
    ("missense_variant", 40),
    ("synonymous_variant", 20),
    ("intron_variant", 15),
    ("stop_gained", 4),
    ("splice_acceptor_variant", 2),
    ("3_prime_UTR_variant", 8),
    ("missense_variant&splice_region_variant", 3),
    ("upstream_gene_variant", 8),
]
HEADER = """##fileformat=VCFv4.2
##FILTER=<ID=PASS,Description="All filters passed">
##FILTER=<ID=LowQual,Description="Low quality">
##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">
##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. \
Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|CANONICAL|ALLELE_NUM">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
"""


def write_vcf(path: Path, records: int) -> None:
    """Seeded VEP-annotated tumour/normal VCF with ``records`` records, sorted by position."""
    rng = np.random.default_rng(11)
    contigs = [f"chr{i}" for i in range(1, 23)]
    chrom = np.sort(rng.integers(0, 22, records))
    pos = rng.integers(1, 240_000_000, records)
    order = np.lexsort((pos, chrom))
    chrom, pos = chrom[order], pos[order]
    terms = [t for t, _ in CONSEQUENCES]
    weights = np.array([w for _, w in CONSEQUENCES], dtype=float)
    effect = rng.choice(len(terms), records, p=weights / weights.sum())
    effect2 = rng.choice(len(terms), records, p=weights / weights.sum())
    kind = rng.random(records)
    failed = rng.random(records) < 0.03
    gene = rng.integers(1, 18_000, records)
    bases = "ACGT"
    lines = [HEADER]
    lines += [f"##contig=<ID={c},length=250000000>\n" for c in contigs]
    lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\tNORMAL\n")
    for i in range(records):
        ref = bases[int(pos[i]) % 4]
        if kind[i] < 0.025:
            alts, vep = [ref + "TG"], ["TG"]  # insertion
        elif kind[i] < 0.05:
            ref, alts, vep = ref + "CA", [ref], ["-"]  # deletion
        elif kind[i] < 0.06:
            alts = [bases[(int(pos[i]) + 1) % 4], bases[(int(pos[i]) + 2) % 4]]
            vep = alts
        else:
            alts = [bases[(int(pos[i]) + 1) % 4]]
            vep = alts
        csq = []
        for k, allele in enumerate(vep, start=1):
            csq.append(
                f"{allele}|{terms[effect[i]]}|MODERATE|GENE{gene[i]}|ENSG{gene[i]}|Transcript|"
                f"ENST{i}A|protein_coding|YES|{k}"
            )
            csq.append(
                f"{allele}|{terms[effect2[i]]}|MODIFIER|GENE{gene[i]}|ENSG{gene[i]}|Transcript|"
                f"ENST{i}B|protein_coding||{k}"
            )
        gt = "0/1" if len(alts) == 1 else "1/2"
        lines.append(
            f"{contigs[chrom[i]]}\t{pos[i]}\t.\t{ref}\t{','.join(alts)}\t50\t"
            f"{'LowQual' if failed[i] else 'PASS'}\tDP=60;CSQ={','.join(csq)}\tGT:AD\t"
            f"{gt}:30,20{',5' if len(alts) > 1 else ''}\t0/0:40,0{',0' if len(alts) > 1 else ''}\n"
        )
    path.write_text("".join(lines), encoding="utf-8")


def pysam_loop(path: Path) -> list[tuple[Any, ...]]:
    """The same fields read by a bare pysam loop: no filtering, no MAF conversion."""
    rows: list[tuple[Any, ...]] = []
    with pysam.VariantFile(str(path)) as vcf:
        samples = list(vcf.header.samples)
        for record in vcf:
            csq = record.info.get("CSQ", ())
            rows.append(
                (
                    record.chrom,
                    record.pos,
                    record.ref,
                    record.alts,
                    tuple(record.filter),
                    [record.samples[s]["GT"] for s in samples],
                    [entry.split("|") for entry in csq],
                )
            )
    return rows


def median_alternating(runs: int, first: Any, second: Any) -> tuple[float, float]:
    """Medians of ``runs`` timings of two callables, called alternately after a warm-up."""
    first(), second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        first()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        second()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    """Write the VCF, time both readers alternately, print throughput and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.vcf"
        write_vcf(path, args.records)
        print(f"VCF: {args.records:,} records, {path.stat().st_size / 1e6:.0f} MB, CSQ-annotated")
        variants = read_vcf(path)
        t_ours, t_loop = median_alternating(
            args.runs, lambda: read_vcf(path), lambda: pysam_loop(path)
        )
    n = args.records
    print(
        f"remarkit read_vcf -> MAF table ({len(variants.maf):,} rows): median of {args.runs} = "
        f"{t_ours:.3f} s ({n / t_ours:,.0f} records/s)"
    )
    print(
        f"plain pysam loop over the same fields:   median of {args.runs} = "
        f"{t_loop:.3f} s ({n / t_loop:,.0f} records/s)"
    )
    print(f"ratio pysam loop / remarkit = x{t_loop / t_ours:.2f} (goal >= 1)")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
