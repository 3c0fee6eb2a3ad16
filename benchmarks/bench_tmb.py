"""Benchmark of remarkit.stats TMB + gene summary on a synthetic 1,000,000-row MAF.

Run: python benchmarks/bench_tmb.py [--rows 1000000] [--runs 5]
Prints the median wall time of ``tumor_mutation_burden`` + ``gene_summary`` (goal < 10 s) and of
a straightforward pandas implementation (string keys, groupby/pivot) run in the same process on
the same data, after checking that both give the same numbers.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from remarkit.stats.mutations import NONSYNONYMOUS_CLASSES, gene_summary, tumor_mutation_burden

CLASSES = [*NONSYNONYMOUS_CLASSES, "Silent", "Intron", "3'UTR", "5'UTR", "RNA", "IGR"]
WEIGHTS = [3, 2, 3, 0.5, 5, 0.3, 2, 1, 45, 20, 6, 5, 3, 2, 2.2]


def median_time(func: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls after one untimed warm-up call."""
    out = func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def make_maf(rows: int) -> pd.DataFrame:
    """Seeded MAF: 1,000 samples, 18,000 genes, ~2% duplicated rows (multiple transcripts)."""
    rng = np.random.default_rng(7)
    unique_rows = int(rows * 0.98)
    chrom = rng.integers(1, 23, unique_rows).astype(str)
    start = rng.integers(1, 250_000_000, unique_rows)
    bases = np.array(list("ACGT"))
    weights = np.asarray(WEIGHTS) / np.sum(WEIGHTS)
    maf = pd.DataFrame(
        {
            "Hugo_Symbol": np.char.add(
                "GENE", rng.zipf(1.3, unique_rows).clip(1, 18_000).astype(str)
            ),
            "Chromosome": chrom,
            "Start_Position": start,
            "Reference_Allele": bases[rng.integers(0, 4, unique_rows)],
            "Tumor_Seq_Allele2": bases[rng.integers(0, 4, unique_rows)],
            "Variant_Classification": rng.choice(CLASSES, unique_rows, p=weights),
            "Tumor_Sample_Barcode": np.char.add(
                "TCGA-XX-", rng.integers(0, 1000, unique_rows).astype(str)
            ),
        }
    )
    dups = maf.sample(n=rows - unique_rows, random_state=1)
    return pd.concat([maf, dups], ignore_index=True).sample(frac=1.0, random_state=2)


def naive(maf: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Straightforward pandas: pasted string key, drop_duplicates, groupby, pivot_table."""
    key = (
        maf["Chromosome"].astype(str) + ":" + maf["Start_Position"].astype(str) + ":"
        + maf["Tumor_Sample_Barcode"] + ":" + maf["Reference_Allele"] + ":"
        + maf["Tumor_Seq_Allele2"]
    )  # fmt: skip
    dedup = maf.loc[~key.duplicated()]
    ns = dedup[dedup["Variant_Classification"].isin(NONSYNONYMOUS_CLASSES)]
    per_sample = ns.groupby("Tumor_Sample_Barcode").size()
    per_sample = per_sample.reindex(dedup["Tumor_Sample_Barcode"].unique(), fill_value=0)
    by_class = ns.pivot_table(
        index="Hugo_Symbol", columns="Variant_Classification", aggfunc="size", fill_value=0
    )
    by_class["total"] = by_class.sum(axis=1)
    by_class["mutated_samples"] = ns.groupby("Hugo_Symbol")["Tumor_Sample_Barcode"].nunique()
    by_class = by_class.sort_values(["mutated_samples", "total"], ascending=False)
    return per_sample / 50.0, by_class


def ours(maf: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """remarkit: TMB and gene summary (each call checks and de-duplicates the MAF)."""
    tmb = tumor_mutation_burden(maf, capture_mb=50.0)
    genes = gene_summary(maf)
    return tmb.per_sample["tmb"], genes.table


def main() -> None:
    """Time both implementations and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    maf = make_maf(args.rows)
    print(f"MAF: {len(maf):,} rows, {maf['Tumor_Sample_Barcode'].nunique()} samples")

    t_ours, res_ours = median_time(lambda: ours(maf), args.runs)
    t_naive, res_naive = median_time(lambda: naive(maf), args.runs)
    assert isinstance(res_ours, tuple) and isinstance(res_naive, tuple)
    tmb_ours, genes_ours = res_ours
    tmb_naive, genes_naive = res_naive
    pd.testing.assert_series_equal(
        tmb_ours.sort_index(), tmb_naive.sort_index(), check_names=False, check_index_type=False
    )
    assert (genes_ours["total"].to_numpy() == genes_naive["total"].to_numpy()).all()
    common = genes_naive.index
    assert (genes_ours.loc[common, "mutated_samples"] == genes_naive["mutated_samples"]).all()
    print(f"remarkit TMB + gene summary: median of {args.runs} runs = {t_ours:.3f} s (goal < 10 s)")
    print(f"naive pandas baseline:       median of {args.runs} runs = {t_naive:.3f} s")
    print(f"speed-up x{t_naive / t_ours:.1f}; same per-sample TMB and per-gene counts")


if __name__ == "__main__":
    main()
