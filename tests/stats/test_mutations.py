"""TMB, gene summary and mutation matrix against maftools' rules and the TCGA-LAML MAF."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import StatisticsError
from remarkit.stats.mutations import (
    NONSYNONYMOUS_CLASSES,
    gene_summary,
    mutated_samples,
    tumor_mutation_burden,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("REMARKIT_SHARED_DATA", REPO.parent / "shared" / "data"))
LAML = SHARED / "maftools" / "tcga_laml.maf.gz"
KEY = ["Chromosome", "Start_Position", "Tumor_Sample_Barcode", "Reference_Allele"]


@pytest.fixture(scope="module")
def laml() -> pd.DataFrame:
    if not LAML.is_file():
        pytest.skip(f"public validation data not found at {LAML} (set REMARKIT_SHARED_DATA)")
    return pd.read_csv(LAML, sep="\t", comment="#", low_memory=False)


def test_laml_matches_maftools_summary(laml: pd.DataFrame) -> None:
    result = tumor_mutation_burden(laml)
    # maftools' published summary of tcga_laml.maf.gz
    assert result.n_samples == 193
    assert result.n_variants == 2207
    assert result.n_nonsynonymous == 1732
    assert result.n_silent == 475
    assert result.per_sample["nonsynonymous"].sum() == 1732
    assert result.per_sample["silent"].sum() == 475


def test_laml_per_sample_counts_match_independent_groupby(laml: pd.DataFrame) -> None:
    result = tumor_mutation_burden(laml, capture_mb=38.0)
    dedup = laml.drop_duplicates([*KEY, "Tumor_Seq_Allele2"])
    is_ns = dedup["Variant_Classification"].isin(NONSYNONYMOUS_CLASSES)
    expected = is_ns.groupby(dedup["Tumor_Sample_Barcode"]).sum()
    got = result.per_sample["nonsynonymous"]
    pd.testing.assert_series_equal(
        got.sort_index(), expected.sort_index().astype(got.dtype), check_names=False
    )
    np.testing.assert_allclose(result.per_sample["tmb"], got / 38.0, rtol=1e-15)
    silent_only = expected.index[expected == 0]
    assert len(silent_only) >= 1  # LAML has a sample with only silent variants: kept with 0
    assert (result.per_sample.loc[silent_only, "tmb"] == 0).all()
    counts = got.to_numpy()
    assert (np.diff(counts) <= 0).all()  # sorted by count, descending


def test_laml_top_genes(laml: pd.DataFrame) -> None:
    table = gene_summary(laml).table
    ns = laml[laml["Variant_Classification"].isin(NONSYNONYMOUS_CLASSES)]
    by_gene = ns.groupby("Hugo_Symbol").agg(
        samples=("Tumor_Sample_Barcode", "nunique"), total=("Hugo_Symbol", "size")
    )
    top = table.head(10)
    assert list(top.index) == [
        "FLT3", "DNMT3A", "NPM1", "IDH2", "IDH1", "TET2", "RUNX1", "TP53", "NRAS", "CEBPA",
    ]  # fmt: skip
    assert top["mutated_samples"].tolist() == by_gene.loc[top.index, "samples"].tolist()
    assert top["total"].tolist() == by_gene.loc[top.index, "total"].tolist()
    class_columns = [c for c in table.columns if c in NONSYNONYMOUS_CLASSES]
    assert (table[class_columns].sum(axis=1) == table["total"]).all()
    assert table["total"].sum() == 1732
    flt3_samples = ns.loc[ns["Hugo_Symbol"] == "FLT3", "Tumor_Sample_Barcode"].nunique()
    assert table.at["FLT3", "fraction_mutated"] == pytest.approx(flt3_samples / 193)


def test_laml_mutation_matrix(laml: pd.DataFrame) -> None:
    result = mutated_samples(laml, ["FLT3", "NPM1", "NOT_A_GENE"])
    assert result.matrix.shape == (193, 3)
    summary = gene_summary(laml).table
    assert result.n_mutated == [
        summary.loc["FLT3", "mutated_samples"],
        summary.loc["NPM1", "mutated_samples"],
        0,
    ]


def _maf(rows: list[tuple[str, str, int, str, str, str, str]]) -> pd.DataFrame:
    columns = [
        "Hugo_Symbol", "Tumor_Sample_Barcode", "Start_Position", "Reference_Allele",
        "Tumor_Seq_Allele2", "Variant_Classification", "Chromosome",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


SMALL = _maf(
    [
        ("TP53", "S1", 100, "C", "T", "Missense_Mutation", "17"),
        ("TP53", "S1", 100, "C", "T", "Silent", "17"),  # duplicate: dropped, first kept
        ("TP53", "S1", 100, "C", "G", "Nonsense_Mutation", "17"),  # other allele: kept
        ("TP53", "S2", 100, "C", "T", "Missense_Mutation", "17"),  # other sample: kept
        ("KRAS", "S2", 200, "G", "A", "Missense_Mutation", "12"),
        ("KRAS", "S3", 200, "G", "A", "Missense_Mutation", "12"),
        ("KRAS", "S3", 201, "G", "A", "Splice_Site", "12"),
        ("", "S3", 300, "A", "T", "Frame_Shift_Del", "1"),  # blank symbol
        ("EGFR", "S4", 400, "T", "C", "Silent", "7"),  # silent-only sample
        ("EGFR", "S4", 401, "T", "C", "Intron", "7"),
        ("APC", "S1", 500, "A", "G", "In_Frame_Del", "5"),
        ("APC", "S1", 501, "A", "G", "3'UTR", "5"),
    ]
)


def test_small_tmb_and_duplicates() -> None:
    result = tumor_mutation_burden(SMALL, capture_mb=2.0)
    assert result.n_duplicates_removed == 1
    assert result.n_variants == 11
    table = result.per_sample
    assert list(table.index) == ["S1", "S3", "S2", "S4"]  # count desc, then barcode
    assert table["nonsynonymous"].tolist() == [3, 3, 2, 0]
    assert table["silent"].tolist() == [1, 0, 0, 2]
    assert table["tmb"].tolist() == [1.5, 1.5, 1.0, 0.0]
    assert result.median_tmb == 1.25
    kept_all = tumor_mutation_burden(SMALL, capture_mb=2.0, remove_duplicates=False)
    assert kept_all.per_sample.loc["S1", "silent"] == 2
    reordered = tumor_mutation_burden(SMALL.iloc[[1, 0, *range(2, 12)]])
    assert reordered.per_sample.loc["S1", "nonsynonymous"] == 2  # the Silent row came first


def test_small_gene_summary_order_and_unknown_gene() -> None:
    table = gene_summary(SMALL).table
    assert list(table.index) == ["KRAS", "TP53", "APC", "UnknownGene"]
    assert table.loc["KRAS"].to_dict() == {
        "Frame_Shift_Del": 0, "In_Frame_Del": 0, "Missense_Mutation": 2, "Nonsense_Mutation": 0,
        "Splice_Site": 1, "total": 3, "mutated_samples": 2, "fraction_mutated": 0.5,
    }  # fmt: skip
    assert table.loc["TP53", ["total", "mutated_samples"]].tolist() == [3, 2]
    assert "EGFR" not in table.index  # silent variants are not summarised


def test_custom_nonsynonymous_classes() -> None:
    result = tumor_mutation_burden(SMALL, nonsynonymous_classes=["Silent", "Intron"])
    assert result.per_sample.loc["S4", "nonsynonymous"] == 2
    assert result.n_nonsynonymous == 2


def test_small_mutation_matrix_with_samples() -> None:
    result = mutated_samples(SMALL, ["TP53", "EGFR"], samples=["S4", "S9", "S2", "S1"])
    expected = pd.DataFrame(
        {"TP53": [0, 0, 1, 1], "EGFR": [0, 0, 0, 0]}, index=["S4", "S9", "S2", "S1"]
    )
    np.testing.assert_array_equal(result.matrix.to_numpy(), expected.to_numpy())
    assert list(result.matrix.index) == ["S4", "S9", "S2", "S1"]
    assert result.n_mutated == [2, 0]
    default = mutated_samples(SMALL, ["KRAS"])
    assert list(default.matrix.index) == ["S1", "S2", "S3", "S4"]
    assert default.matrix["KRAS"].tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tumor_mutation_burden(SMALL.to_numpy()), "must be a pandas DataFrame"),
        (lambda: tumor_mutation_burden(SMALL.drop(columns="Chromosome")), "Chromosome"),
        (lambda: tumor_mutation_burden(SMALL.iloc[:0]), "no variants"),
        (lambda: tumor_mutation_burden(SMALL, capture_mb=0), "capture_mb"),
        (lambda: tumor_mutation_burden(SMALL, capture_mb=float("nan")), "capture_mb"),
        (
            lambda: tumor_mutation_burden(SMALL.assign(Tumor_Sample_Barcode=None)),
            "Tumor_Sample_Barcode is missing",
        ),
        (lambda: tumor_mutation_burden(SMALL, nonsynonymous_classes="Silent"), "not a string"),
        (lambda: tumor_mutation_burden(SMALL, nonsynonymous_classes=[]), "is empty"),
        (lambda: gene_summary(SMALL.iloc[8:10]), "no non-synonymous"),
        (lambda: mutated_samples(SMALL, "TP53"), "single string"),
        (lambda: mutated_samples(SMALL, []), "genes is empty"),
        (lambda: mutated_samples(SMALL, ["TP53", "TP53"]), "genes contains duplicates"),
        (lambda: mutated_samples(SMALL, ["TP53"], samples="S1"), "single string"),
        (lambda: mutated_samples(SMALL, ["TP53"], samples=[]), "samples is empty"),
        (lambda: mutated_samples(SMALL, ["TP53"], samples=["S1", "S1"]), "samples contains"),
    ],
)
def test_bad_input(call: object, message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        call()  # type: ignore[operator]


def test_categorical_columns_give_the_same_numbers() -> None:
    # read_maf returns categoricals; their categories are in order of appearance, not sorted
    shuffled = SMALL.copy()
    for column in shuffled.columns.drop("Start_Position"):
        values = shuffled[column].replace("", None)
        order = list(dict.fromkeys(values.dropna()))[::-1]
        shuffled[column] = pd.Categorical(values, categories=order)
    for options in ({}, {"remove_duplicates": False}):
        plain = tumor_mutation_burden(SMALL, capture_mb=2.0, **options)
        coded = tumor_mutation_burden(shuffled, capture_mb=2.0, **options)
        pd.testing.assert_frame_equal(plain.per_sample, coded.per_sample, check_index_type=False)
        assert plain.n_duplicates_removed == coded.n_duplicates_removed
        pd.testing.assert_frame_equal(
            gene_summary(SMALL, **options).table,
            gene_summary(shuffled, **options).table,
            check_index_type=False,
        )
    matrix = mutated_samples(shuffled, ["TP53", "KRAS", "UnknownGene"]).matrix
    expected = mutated_samples(SMALL, ["TP53", "KRAS", "UnknownGene"]).matrix
    assert (matrix.to_numpy() == expected.to_numpy()).all()
    assert list(matrix.index) == list(expected.index)
