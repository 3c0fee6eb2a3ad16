"""mutation_burden: TMB, Mann-Whitney, top genes and Fisher tests equal independent computations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from remarkit.demo.genomics import GENOMICS_TOML
from remarkit.io import read_maf
from remarkit.stats import gene_summary, tumor_mutation_burden
from tests.radiogenomics.conftest import Runner, demo_cohort, failed, ok, refused
from tests.radiogenomics.vcf_from_maf import write_vcf

UNITS = """
[[unit]]
id = "tmb"
use = "mutation_burden"
score = "score"
high_label = "DCB"
low_label = "Non-DCB"
top_n = 5
"""


def _groups(root: Path) -> tuple[pd.DataFrame, pd.Series]:
    maf = read_maf(root / "genomics" / "mutations.maf")
    score = demo_cohort().set_index("patient_id")["score"]
    samples = sorted(maf["Tumor_Sample_Barcode"].unique())
    values = pd.Series(score.loc[[s[:7] for s in samples]].to_numpy(), index=samples)
    groups = pd.Series(np.where(values >= np.median(values), "DCB", "Non-DCB"), index=samples)
    return maf, groups


def test_tmb_and_test_equal_independent_computation(run_study: Runner) -> None:
    records = run_study(UNITS)
    result = ok(records["tmb"])
    maf, groups = _groups(records["__root__"])
    tmb = tumor_mutation_burden(maf, capture_mb=38.0).per_sample["tmb"]
    patients = pd.DataFrame(result["patients"]).set_index("sample")
    assert len(patients) == 36
    np.testing.assert_allclose(patients["tmb"], tmb.loc[patients.index], rtol=1e-15)
    assert (patients["group"] == groups.loc[patients.index]).all()
    assert result["groups"]["rule"] == "median"
    assert (result["groups"]["n_high"], result["groups"]["n_low"]) == (18, 18)
    high, low = tmb[groups == "DCB"], tmb[groups == "Non-DCB"]
    # R wilcox.test(high, low): normal approximation with continuity and tie correction
    want = sps.mannwhitneyu(high, low, use_continuity=True, method="asymptotic")
    assert result["test"]["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert result["test"]["p_value"] == pytest.approx(want.pvalue, rel=1e-9)
    assert result["n_duplicates_removed"] == 3
    summary = {s["group"]: s for s in result["summaries"]}
    assert summary["DCB"]["median"] == pytest.approx(float(np.median(high)), rel=1e-15)


def test_top_genes_and_fisher_tests(run_study: Runner) -> None:
    records = run_study(UNITS)
    result = ok(records["tmb"])
    maf, groups = _groups(records["__root__"])
    for top in result["top"]:
        part = maf[maf["Tumor_Sample_Barcode"].isin(groups.index[groups == top["group"]])]
        want = gene_summary(part).table.head(5)
        assert [g["gene"] for g in top["genes"]] == list(want.index)
        assert [g["mutated"] for g in top["genes"]] == want["mutated_samples"].tolist()
    ns = maf[maf["Variant_Classification"].isin(
        ["Frame_Shift_Del", "Frame_Shift_Ins", "Splice_Site", "Translation_Start_Site",
         "Nonsense_Mutation", "Nonstop_Mutation", "In_Frame_Del", "In_Frame_Ins",
         "Missense_Mutation"]
    )]  # fmt: skip
    p_values = []
    for row in result["genes"]:
        mutated = set(ns.loc[ns["Hugo_Symbol"] == row["gene"], "Tumor_Sample_Barcode"])
        a = sum(s in mutated for s in groups.index[groups == "DCB"])
        b = sum(s in mutated for s in groups.index[groups == "Non-DCB"])
        assert (row["mutated_high"], row["mutated_low"]) == (a, b)
        table = [[a, 18 - a], [b, 18 - b]]
        assert row["p_value"] == pytest.approx(sps.fisher_exact(table).pvalue, rel=1e-9)
        p_values.append(row["p_value"])
    q = multipletests(p_values, method="fdr_bh")[1]
    np.testing.assert_allclose([r["q_value"] for r in result["genes"]], q, rtol=1e-12)
    tp53 = next(r for r in result["genes"] if r["gene"] == "TP53")
    assert tp53["mutated_high"] > tp53["mutated_low"]  # planted
    assert [f["name"] for f in result["figures"]] == ["tmb_violin", "oncoplot"]


def test_derived_columns(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["tmb"])
    columns = {c["name"]: c for c in result["columns"]}
    assert columns["group"]["levels"] == ["Non-DCB", "DCB"]
    by_patient = {p["patient"]: p["tmb"] for p in result["patients"]}
    assert dict(zip(columns["tmb"]["ids"], columns["tmb"]["values"], strict=True)) == by_patient


def test_vcf_gives_the_same_result_as_the_maf(run_study: Runner) -> None:
    from_maf = ok(run_study(UNITS)["tmb"])
    genomics = GENOMICS_TOML.replace(
        'maf = "genomics/mutations.maf"', 'vcf = "genomics/mutations.vcf.gz"'
    )
    records = run_study(UNITS, genomics=genomics, edit=write_vcf)
    from_vcf = ok(records["tmb"])
    assert from_vcf["source"] == "VCF"
    for key in ("patients", "top", "genes", "summaries", "test", "groups", "n_nonsynonymous"):
        assert from_vcf[key] == from_maf[key], key
    assert from_vcf["n_duplicates_removed"] == from_maf["n_duplicates_removed"] == 3


def test_given_threshold_and_empty_group(run_study: Runner) -> None:
    result = ok(run_study(UNITS + "threshold = 0.5\n")["tmb"])
    scores = [p["score"] for p in result["patients"]]
    assert result["groups"]["rule"] == "given"
    assert result["groups"]["n_high"] == sum(s >= 0.5 for s in scores)
    error = failed(run_study(UNITS + "threshold = 2.0\n")["tmb"])
    assert "leaves the 'DCB' group empty among 36 patients" in error


def test_sample_pattern_extra_samples_and_missing_scores(run_study: Runner) -> None:
    def second_sample(root: Path) -> None:
        path = root / "genomics" / "mutations.maf"
        maf = pd.read_csv(path, sep="\t")
        first = maf["Tumor_Sample_Barcode"].iloc[0]
        extra = maf[maf["Tumor_Sample_Barcode"] == first].assign(
            Tumor_Sample_Barcode=first.replace("-01A", "-01B")
        )
        pd.concat([maf, extra]).to_csv(path, sep="\t", index=False)

    cohort = demo_cohort()
    genomics = GENOMICS_TOML.replace(
        "barcode_prefix_length = 7", r'sample_id_pattern = "^(?P<patient>HCC-\\d{3})-0"'
    )
    records = run_study(UNITS, genomics=genomics, edit=second_sample, cohort=cohort)
    result = ok(records["tmb"])
    extra = result["match"]["extra_samples"]
    assert len(extra) == 1 and extra[0].endswith("-01B")
    assert any("further sample(s)" in w for w in result["warnings"])
    patient = extra[0][:7]
    cohort.loc[cohort["patient_id"] == patient, "score"] = np.nan
    result = ok(run_study(UNITS, cohort=cohort)["tmb"])
    assert result["match"]["patients_without_score"] == [patient]
    assert result["match"]["n_patients"] == 35


def test_no_matching_sample_is_an_error(run_study: Runner) -> None:
    genomics = GENOMICS_TOML.replace("barcode_prefix_length = 7", "barcode_prefix_length = 5")
    error = failed(run_study(UNITS, genomics=genomics)["tmb"])
    assert "no Somatic mutations sample matches a cohort patient" in error


def test_maf_missing_column_fails_naming_it(run_study: Runner) -> None:
    def drop(root: Path) -> None:
        path = root / "genomics" / "mutations.maf"
        pd.read_csv(path, sep="\t").drop(columns="Variant_Type").to_csv(path, sep="\t", index=False)

    error = refused(lambda: run_study(UNITS, edit=drop))
    assert "column 'Variant_Type': required MAF column(s) missing: Variant_Type" in error
