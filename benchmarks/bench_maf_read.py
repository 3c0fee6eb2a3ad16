"""Read + de-duplicate + count a 1,000,000-row MAF file: remarkit against R data.table, same run.

Run: python benchmarks/bench_maf_read.py [--rows 1000000] [--runs 3]
Writes a seeded synthetic MAF (the seven columns maftools needs plus eleven other GDC columns) to
a temporary file, then times, alternating, (a) remarkit: ``read_maf(path, columns="statistics")``,
``tumor_mutation_burden`` and ``gene_summary`` (each de-duplicates the MAF), and (b) an R script with
data.table: ``fread(select = the seven columns)``, ``unique`` on maftools' duplicate key
(Chromosome, Start_Position, Tumor_Sample_Barcode, Reference_Allele, Tumor_Seq_Allele2),
per-sample non-synonymous/total counts and per-gene class counts and mutated samples. R's time is
measured inside R with ``proc.time()`` (start-up and ``library(data.table)`` excluded) and is also
reported with start-up (the subprocess wall time). Medians of ``--runs``; both results are
checked to be the same numbers. Without ``Rscript`` (or data.table) only remarkit is timed.
Goal: ratio R / remarkit >= 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from remarkit.io import read_maf
from remarkit.stats.mutations import NONSYNONYMOUS_CLASSES, gene_summary, tumor_mutation_burden

CLASSES = [*NONSYNONYMOUS_CLASSES, "Silent", "Intron", "3'UTR", "5'UTR", "RNA", "IGR"]
WEIGHTS = [3, 2, 3, 0.5, 5, 0.3, 2, 1, 45, 20, 6, 5, 3, 2, 2.2]

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(data.table))
vc_nonSyn <- c("Frame_Shift_Del", "Frame_Shift_Ins", "Splice_Site", "Translation_Start_Site",
               "Nonsense_Mutation", "Nonstop_Mutation", "In_Frame_Del", "In_Frame_Ins",
               "Missense_Mutation")
t0 <- proc.time()
maf <- fread(args[1], sep = "\t", quote = "", na.strings = c("", "NA"), skip = "Hugo_Symbol",
             select = c("Hugo_Symbol", "Chromosome", "Start_Position", "Reference_Allele",
                        "Tumor_Seq_Allele2", "Variant_Classification", "Tumor_Sample_Barcode"))
maf <- unique(maf, by = c("Chromosome", "Start_Position", "Tumor_Sample_Barcode",
                          "Reference_Allele", "Tumor_Seq_Allele2"))
maf[is.na(Hugo_Symbol), Hugo_Symbol := "UnknownGene"]
maf[, ns := Variant_Classification %in% vc_nonSyn]
tmb <- maf[, .(total = .N, nonsyn = sum(ns)), by = Tumor_Sample_Barcode]
nsm <- maf[ns == TRUE]
genes <- nsm[, .(total = .N, mutated = uniqueN(Tumor_Sample_Barcode)), by = Hugo_Symbol]
by_class <- dcast(nsm, Hugo_Symbol ~ Variant_Classification, fun.aggregate = length,
                  value.var = "Tumor_Sample_Barcode")
elapsed <- (proc.time() - t0)[["elapsed"]]
fwrite(tmb, args[2])
fwrite(merge(genes, by_class, by = "Hugo_Symbol"), args[3])
cat(sprintf("%.6f\n", elapsed))
cat(as.character(packageVersion("data.table")), getDTthreads(), "\n")
"""


def write_maf(path: Path, rows: int) -> None:
    """Seeded MAF text: 1,000 samples, 18,000 genes, ~2% duplicated rows, 18 columns."""
    rng = np.random.default_rng(7)
    unique_rows = int(rows * 0.98)
    bases = np.array(list("ACGT"))
    weights = np.asarray(WEIGHTS) / np.sum(WEIGHTS)
    start = rng.integers(1, 250_000_000, unique_rows)
    gene = np.char.add("GENE", rng.zipf(1.3, unique_rows).clip(1, 18_000).astype(str)).astype(
        object
    )
    gene[rng.random(unique_rows) < 0.001] = ""  # a few variants without a gene symbol
    frame = pd.DataFrame(
        {
            "Hugo_Symbol": gene,
            "Entrez_Gene_Id": rng.integers(1, 100_000, unique_rows),
            "Center": "synthetic.org",
            "NCBI_Build": "GRCh38",
            "Chromosome": np.char.add("chr", rng.integers(1, 23, unique_rows).astype(str)),
            "Start_Position": start,
            "End_Position": start,
            "Strand": "+",
            "Variant_Classification": rng.choice(CLASSES, unique_rows, p=weights),
            "Variant_Type": "SNP",
            "Reference_Allele": bases[rng.integers(0, 4, unique_rows)],
            "Tumor_Seq_Allele1": bases[rng.integers(0, 4, unique_rows)],
            "Tumor_Seq_Allele2": bases[rng.integers(0, 4, unique_rows)],
            "dbSNP_RS": "novel",
            "Tumor_Sample_Barcode": np.char.add(
                "TCGA-XX-", rng.integers(0, 1000, unique_rows).astype(str)
            ),
            "Matched_Norm_Sample_Barcode": "NORMAL",
            "HGVSp_Short": np.char.add("p.X", rng.integers(1, 3000, unique_rows).astype(str)),
            "t_depth": rng.integers(10, 500, unique_rows),
        }
    )
    dups = frame.sample(n=rows - unique_rows, random_state=1)
    frame = pd.concat([frame, dups], ignore_index=True).sample(frac=1.0, random_state=2)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(str(path), "wb") as handle:
        handle.write(("#version 2.4\n" + "\t".join(frame.columns) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")
        pacsv.write_csv(table, handle, write_options=options)


def remarkit_path(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """read_maf (the needed columns), then TMB and gene summary of one prepared MAF."""
    maf = read_maf(path, columns="statistics")
    tmb = tumor_mutation_burden(maf, capture_mb=50.0).per_sample
    genes = gene_summary(maf).table
    return tmb, genes


def run_r(script: Path, path: Path, out_dir: Path) -> tuple[float, float, str]:
    """(time inside R, wall time with start-up, 'data.table version threads')."""
    start = time.perf_counter()
    done = subprocess.run(
        ["Rscript", str(script), str(path), str(out_dir / "tmb.csv"), str(out_dir / "genes.csv")],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    lines = done.stdout.split("\n")
    return float(lines[0]), wall, lines[1].strip()


def check_same(tmb: pd.DataFrame, genes: pd.DataFrame, out_dir: Path) -> None:
    """remarkit's per-sample and per-gene numbers equal data.table's."""
    r_tmb = pd.read_csv(out_dir / "tmb.csv", index_col="Tumor_Sample_Barcode").sort_index()
    ours = tmb.sort_index()
    assert list(r_tmb.index) == list(ours.index), "different samples"
    assert (r_tmb["nonsyn"].to_numpy() == ours["nonsynonymous"].to_numpy()).all()
    assert (r_tmb["total"].to_numpy() == (ours["nonsynonymous"] + ours["silent"]).to_numpy()).all()
    r_genes = pd.read_csv(out_dir / "genes.csv", index_col="Hugo_Symbol").sort_index()
    mine = genes.sort_index()
    assert list(r_genes.index) == list(mine.index), "different genes"
    assert (r_genes["total"].to_numpy() == mine["total"].to_numpy()).all()
    assert (r_genes["mutated"].to_numpy() == mine["mutated_samples"].to_numpy()).all()
    for column in mine.columns.drop(["total", "mutated_samples", "fraction_mutated"]):
        assert (r_genes[column].to_numpy() == mine[column].to_numpy()).all(), column


def main() -> None:
    """Write the MAF, time both paths alternately, print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    have_r = shutil.which("Rscript") is not None
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        path = tmp_dir / "synthetic.maf"
        write_maf(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"MAF: {args.rows:,} rows x 18 columns, {size_mb:.0f} MB ({path.name})")
        script = tmp_dir / "bench_maf.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        if have_r:
            try:
                run_r(script, path, tmp_dir)  # warm-up (file cache), also checks data.table
            except subprocess.CalledProcessError as exc:
                print(f"R data.table unavailable ({exc.stderr.strip()[:200]}): remarkit only")
                have_r = False
        else:
            print("Rscript not found: remarkit only")
        remarkit_path(path)  # warm-up
        ours: list[float] = []
        r_inside: list[float] = []
        r_wall: list[float] = []
        version = ""
        for _ in range(args.runs):
            start = time.perf_counter()
            tmb, genes = remarkit_path(path)
            ours.append(time.perf_counter() - start)
            if have_r:
                inside, wall, version = run_r(script, path, tmp_dir)
                r_inside.append(inside)
                r_wall.append(wall)
        t_ours = statistics.median(ours)
        print(f"remarkit read_maf + TMB + gene summary: median of {args.runs} = {t_ours:.3f} s")
        if not have_r:
            return
        check_same(tmb, genes, tmp_dir)
        t_r, t_rw = statistics.median(r_inside), statistics.median(r_wall)
        print(f"R data.table {version.split()[0]} ({version.split()[1]} thread(s)):")
        print(f"  fread(select) + unique + counts, inside R: median of {args.runs} = {t_r:.3f} s")
        print(f"  the same with Rscript start-up:            median of {args.runs} = {t_rw:.3f} s")
        print("same per-sample counts and per-gene class counts / mutated samples as data.table")
        print(f"ratio R (inside) / remarkit = x{t_r / t_ours:.2f} (goal >= 1)")
        print(f"ratio R (with start-up) / remarkit = x{t_rw / t_ours:.2f}")
        print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
