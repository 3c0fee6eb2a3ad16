"""Synthetic radiogenomics data for the demo: RNA expression, gene sets, a MAF and neoantigens.

36 demo patients (chosen by the seed) get a tumour sample ``<patient>-01A``. Their biology is
planted from the same predictors that drive the demo's outcome (AFP response, platelets,
dilated vasculature), so it follows the clinical model's probability:

- expression: 3,000 genes x 37 samples (log2 scale); genes of the "up" gene sets rise and genes
  of the "down" sets fall with the latent score; a few genes have a second, lower row (probes),
  and one sample (``HCC-900-01A``) belongs to no cohort patient, to show mismatch reporting;
- two GMT files of synthetic gene sets (hallmark-like and immune-like; no MSigDB file ships);
- a MAF (TCGA columns) whose non-synonymous burden and TP53 mutation rate rise with the latent
  score (CTNNB1 does not), with a few duplicated rows;
- pVACseq-like neoantigen predictions (``Median MT IC50 Score``) from the missense and
  frameshift variants.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit

from remarkit.engine.spec import GenomicsSpec
from remarkit.engine.spec_toml import toml_tables

N_PATIENTS = 36
N_GENES = 3000
FOLDER = "genomics"
CAPTURE_MB = 38.0
UNMATCHED_SAMPLE = "HCC-900-01A"

#: The study's ``[genomics]`` section matching the files :func:`write_genomics` writes.
GENOMICS = GenomicsSpec(
    expression=Path(f"{FOLDER}/expression.tsv"),
    gene_sets=[Path(f"{FOLDER}/hallmark_demo.gmt"), Path(f"{FOLDER}/immune_demo.gmt")],
    maf=Path(f"{FOLDER}/mutations.maf"),
    neoantigens=Path(f"{FOLDER}/neoantigens.tsv"),
    capture_mb=CAPTURE_MB,
    barcode_prefix_length=7,
    duplicate_genes="highest_mean",
    neoantigen_ic50_nm=500.0,
)
#: The same section as study.toml text (for tests that edit it).
GENOMICS_TOML = "\n" + toml_tables(
    {"genomics": GENOMICS.model_dump(mode="json", exclude_unset=True)}
)

HALLMARK = {
    "ANGIOGENESIS": 1,
    "KRAS_SIGNALING_DN": 1,
    "MTORC1_SIGNALING": -1,
    "UNFOLDED_PROTEIN_RESPONSE": -1,
    "GLYCOLYSIS": 0,
    "HYPOXIA": 0,
    "E2F_TARGETS": 0,
    "G2M_CHECKPOINT": 0,
    "MYC_TARGETS_V1": 0,
    "OXIDATIVE_PHOSPHORYLATION": 0,
    "BILE_ACID_METABOLISM": 0,
    "XENOBIOTIC_METABOLISM": 0,
    "FATTY_ACID_METABOLISM": 0,
    "APOPTOSIS": 0,
    "P53_PATHWAY": 0,
    "TGF_BETA_SIGNALING": 0,
    "WNT_BETA_CATENIN_SIGNALING": 0,
    "COAGULATION": 0,
}
IMMUNE = {
    "MHC_CLASS_I": 1,
    "CD8_T_CELLS": 1,
    "CD8_CD68_RATIO": 1,
    "MAST_CELL_ACTIVATION": -1,
    "B_CELLS": 0,
    "NK_CELLS": 0,
    "REGULATORY_T_CELLS": 0,
    "NEUTROPHILS": 0,
    "DENDRITIC_CELLS": 0,
    "M2_MACROPHAGES": 0,
    "TH17_CELLS": 0,
    "CYTOLYTIC_ACTIVITY": 0,
}
#: Recurrently mutated genes: (probability intercept, slope on the latent score).
DRIVERS = {
    "TP53": (-0.9, 1.1),
    "CTNNB1": (-0.9, 0.0),
    "TTN": (-1.3, 0.3),
    "MUC16": (-1.6, 0.2),
    "ALB": (-1.9, 0.0),
    "AXIN1": (-2.0, 0.0),
    "ARID1A": (-2.0, 0.2),
    "APOB": (-2.1, 0.0),
    "LRP1B": (-2.1, 0.3),
    "RYR2": (-2.2, 0.2),
    "PCLO": (-2.3, 0.0),
    "KMT2D": (-2.4, 0.0),
    "CSMD3": (-2.4, 0.2),
    "OBSCN": (-2.5, 0.0),
}
NONSYN = {
    "Missense_Mutation": 0.74,
    "Nonsense_Mutation": 0.07,
    "Frame_Shift_Del": 0.06,
    "Frame_Shift_Ins": 0.03,
    "Splice_Site": 0.05,
    "In_Frame_Del": 0.02,
    "In_Frame_Ins": 0.01,
    "Translation_Start_Site": 0.01,
    "Nonstop_Mutation": 0.01,
}
SILENT = {
    "Silent": 0.6,
    "Intron": 0.15,
    "3'UTR": 0.1,
    "5'UTR": 0.05,
    "RNA": 0.05,
    "Splice_Region": 0.05,
}
HLA = ("HLA-A*02:01", "HLA-B*07:02")
BASES = np.array(list("ACGT"))
AMINO = np.array(list("ACDEFGHIKLMNPQRSTVWY"))


def write_genomics(folder: Path, cohort: pd.DataFrame, seed: int) -> None:
    """Write the genomics files into ``folder/genomics`` for the patients of ``cohort``."""
    rng = np.random.default_rng([seed, 8])
    out = folder / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    patients = np.sort(rng.choice(cohort["patient_id"].to_numpy(), N_PATIENTS, replace=False))
    chosen = cohort.set_index("patient_id").loc[patients]
    latent = _latent(chosen)
    samples = [f"{p}-01A" for p in patients]
    genes = [f"GENE{i + 1:04d}" for i in range(N_GENES)]
    sets = {
        "hallmark_demo.gmt": _gene_sets(rng, "DEMO_HALLMARK", HALLMARK, genes),
        "immune_demo.gmt": _gene_sets(rng, "DEMO_IMMUNE", IMMUNE, genes),
    }
    for name, content in sets.items():
        lines = [f"{s}\tsynthetic demo gene set\t" + "\t".join(g) for s, (g, _) in content.items()]
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    planted = [entry for content in sets.values() for entry in content.values()]
    _expression(rng, genes, samples, latent, planted).to_csv(
        out / "expression.tsv", sep="\t", index=False, lineterminator="\n"
    )
    maf = _maf(rng, samples, latent)
    maf.to_csv(out / "mutations.maf", sep="\t", index=False, lineterminator="\n")
    _neoantigens(rng, maf).to_csv(
        out / "neoantigens.tsv", sep="\t", index=False, lineterminator="\n"
    )


def _latent(chosen: pd.DataFrame) -> np.ndarray:
    """Standardised linear predictor of the demo outcome (AFP response, platelets, vessels)."""
    afp0 = chosen["afp_baseline"].to_numpy(float)
    decline = 1 - chosen["afp_1month"].to_numpy(float) / afp0
    responder = (afp0 >= 7) & (decline >= 0.6)
    lp = (
        1.05 * responder
        + 0.55 * (afp0 < 7)
        - 0.006 * (chosen["platelets"].to_numpy(float) - 220)
        + 1.0 * (chosen["dilated_vasculature"].to_numpy() == "Yes")
    )
    return np.asarray((lp - lp.mean()) / lp.std(), dtype=float)


def _gene_sets(
    rng: np.random.Generator, prefix: str, spec: dict[str, int], genes: list[str]
) -> dict[str, tuple[list[str], int]]:
    out: dict[str, tuple[list[str], int]] = {}
    for name, direction in spec.items():
        size = int(rng.integers(25, 90))
        members = sorted(rng.choice(genes, size, replace=False).tolist())
        out[f"{prefix}_{name}"] = (members, direction)
    return out


def _expression(
    rng: np.random.Generator,
    genes: list[str],
    samples: list[str],
    latent: np.ndarray,
    planted: list[tuple[list[str], int]],
) -> pd.DataFrame:
    """Genes x samples (plus the unmatched sample), then lower-expressed duplicate probes."""
    columns = [*samples, UNMATCHED_SAMPLE]
    base = np.clip(rng.normal(5.0, 2.0, len(genes)), 0.2, None)
    values = base[:, None] + rng.normal(0, 0.8, (len(genes), len(columns)))
    index = {g: i for i, g in enumerate(genes)}
    for members, direction in planted:
        if direction == 0:
            continue
        rows = np.array([index[g] for g in members if rng.random() < 0.7], dtype=np.intp)
        values[np.ix_(rows, np.arange(len(samples)))] += direction * 0.4 * latent[None, :]
    frame = pd.DataFrame(np.clip(values, 0.0, None).round(4), columns=columns)
    frame.insert(0, "gene", genes)
    probes = frame.iloc[np.sort(rng.choice(len(genes), 5, replace=False))].copy()
    probes[columns] = (probes[columns] - 1.5).clip(lower=0.0).round(4)
    return pd.concat([frame, probes], ignore_index=True)


def _variant(rng: np.random.Generator, cls: str) -> tuple[str, int, str, str, str]:
    chrom = str(int(rng.integers(1, 23)))
    start = int(rng.integers(1_000_000, 150_000_000))
    if cls.endswith("_Del"):
        ref = "".join(rng.choice(BASES, 3 if cls.startswith("In_Frame") else 1))
        return chrom, start, ref, "-", "DEL"
    if cls.endswith("_Ins"):
        alt = "".join(rng.choice(BASES, 3 if cls.startswith("In_Frame") else 2))
        return chrom, start, "-", alt, "INS"
    ref, alt = rng.choice(BASES, 2, replace=False)
    return chrom, start, str(ref), str(alt), "SNP"


def _maf(rng: np.random.Generator, samples: list[str], latent: np.ndarray) -> pd.DataFrame:
    background = [f"GENE{i:04d}" for i in rng.choice(np.arange(1, N_GENES + 1), 2500, False)]
    rows: list[dict[str, object]] = []
    for sample, z in zip(samples, latent, strict=True):
        events: list[tuple[str, str]] = []
        for gene, (a, b) in DRIVERS.items():
            if rng.random() < expit(a + b * z):
                events.append((gene, _pick(rng, NONSYN)))
        n_ns = int(rng.poisson(np.exp(3.9 + 0.2 * z)))
        n_silent = int(rng.poisson(18))
        events += [(str(rng.choice(background)), _pick(rng, NONSYN)) for _ in range(n_ns)]
        events += [(str(rng.choice(background)), _pick(rng, SILENT)) for _ in range(n_silent)]
        for gene, cls in events:
            chrom, start, ref, alt, vtype = _variant(rng, cls)
            end = start + (len(ref) - 1 if vtype != "INS" else 1)
            rows.append(
                {
                    "Hugo_Symbol": gene,
                    "Chromosome": chrom,
                    "Start_Position": start,
                    "End_Position": end,
                    "Strand": "+",
                    "Variant_Classification": cls,
                    "Variant_Type": vtype,
                    "Reference_Allele": ref,
                    "Tumor_Seq_Allele1": ref,
                    "Tumor_Seq_Allele2": alt,
                    "Tumor_Sample_Barcode": sample,
                }
            )
    maf = pd.DataFrame(rows)
    duplicates = maf.iloc[rng.choice(len(maf), 3, replace=False)]
    return pd.concat([maf, duplicates], ignore_index=True)


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names])
    return str(rng.choice(names, p=p / p.sum()))


def _neoantigens(rng: np.random.Generator, maf: pd.DataFrame) -> pd.DataFrame:
    coding = maf.drop_duplicates().loc[
        maf["Variant_Classification"].isin(
            ["Missense_Mutation", "Frame_Shift_Del", "Frame_Shift_Ins"]
        )
    ]
    rows: list[dict[str, object]] = []
    for variant in coding.itertuples(index=False):
        for _ in range(int(rng.integers(1, 4))):
            peptide = "".join(rng.choice(AMINO, 9))
            for allele in HLA:
                rows.append(
                    {
                        "Sample Name": variant.Tumor_Sample_Barcode,
                        "Chromosome": variant.Chromosome,
                        "Start": variant.Start_Position,
                        "Gene Name": variant.Hugo_Symbol,
                        "HLA Allele": allele,
                        "MT Epitope Seq": peptide,
                        "Median MT IC50 Score": round(float(np.exp(rng.normal(7.0, 1.8))), 2),
                    }
                )
    return pd.DataFrame(rows)
