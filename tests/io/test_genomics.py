"""Genomics readers: expression matrix, GMT, MAF (TCGA-LAML), VCF (CSQ/ANN), neoantigens."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import InputError
from remarkit.io import (
    read_expression,
    read_gmt,
    read_maf,
    read_neoantigens,
)
from remarkit.stats import gene_summary, tumor_mutation_burden

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("REMARKIT_SHARED_DATA", REPO.parent / "shared" / "data"))
LAML = SHARED / "maftools" / "tcga_laml.maf.gz"
HALLMARK = SHARED / "msigdb" / "h.all.v7.0.symbols.gmt"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- expression ---------------------------------------------------------------------------


def test_expression_tsv_csv_parquet_gz_read_the_same(tmp_path: Path) -> None:
    frame = pd.DataFrame({"gene": ["A", "B", "C"], "s1": [1.0, 2.5, 3.0], "s2": [4, 5, 6]})
    frame.to_csv(tmp_path / "e.csv", index=False)
    frame.to_csv(tmp_path / "e.tsv", sep="\t", index=False)
    frame.to_csv(tmp_path / "e.tsv.gz", sep="\t", index=False, compression="gzip")
    frame.to_parquet(tmp_path / "e.parquet", index=False)
    matrices = [
        read_expression(tmp_path / n).values for n in ("e.csv", "e.tsv", "e.tsv.gz", "e.parquet")
    ]
    for m in matrices:
        pd.testing.assert_frame_equal(m, matrices[0])
    assert list(matrices[0].index) == ["A", "B", "C"]
    assert list(matrices[0].columns) == ["s1", "s2"]
    assert matrices[0].to_numpy().dtype == np.float64
    assert matrices[0].at["B", "s1"] == 2.5


def test_expression_gene_column_by_name(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "s1,symbol,s2\n1,TP53,2\n3,0042,4\n")
    m = read_expression(path, gene_column="symbol").values
    assert list(m.index) == ["TP53", "0042"]  # identifiers stay text (leading zeros kept)
    assert list(m.columns) == ["s1", "s2"]


DUPLICATED = "gene,s1,s2\nA,1,2\nB,3,4\nA,5,6\nA,6,5\nC,1,1\nB,0,0\n"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("highest_mean", {"A": [5, 6], "B": [3, 4], "C": [1, 1]}),  # A: tie 5.5 -> first row
        ("first", {"A": [1, 2], "B": [3, 4], "C": [1, 1]}),
        ("mean", {"A": [4, 13 / 3], "B": [1.5, 2], "C": [1, 1]}),
    ],
)
def test_duplicate_gene_rules(tmp_path: Path, rule: str, expected: dict[str, list[float]]) -> None:
    m = read_expression(write(tmp_path / "e.csv", DUPLICATED), duplicates=rule)  # type: ignore[arg-type]
    assert m.duplicated_genes == ("A", "B")
    assert m.rows_removed == 3
    assert sorted(m.values.index) == ["A", "B", "C"]
    for gene, values in expected.items():
        np.testing.assert_allclose(m.values.loc[gene].to_numpy(), values, rtol=1e-15)


def test_duplicate_genes_error_names_gene_and_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"gene 'A' has 3 rows \(2, 4, 5\)"):
        read_expression(write(tmp_path / "e.csv", DUPLICATED), duplicates="error")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gene,s1,s2\nA,1,2\nB,3,high\n", r"e.csv: row 3, column 's2': non-numeric value 'high'"),
        ("gene,s1,s2\nA,1,2\nB,,4\n", r"e.csv: row 3, column 's1': missing value"),
        ("gene,s1\nA,1\n,2\n", r"e.csv: row 3, column 'gene': empty gene identifier"),
        ("gene\nA\n", r"no sample column"),
        ("gene,s1,s1\nA,1,2\n", r"repeated in the header: s1"),
    ],
)
def test_bad_expression_is_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_expression(write(tmp_path / "e.csv", text))
    assert "\n" not in str(info.value)


def test_expression_parquet_rows_are_one_based(tmp_path: Path) -> None:
    frame = pd.DataFrame({"gene": ["A", "B"], "s1": ["1", "oops"]})
    frame.to_parquet(tmp_path / "e.parquet", index=False)
    with pytest.raises(InputError, match=r"row 2, column 's1': non-numeric value 'oops'"):
        read_expression(tmp_path / "e.parquet")


def test_expression_missing_gene_column_and_format(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "gene,s1\nA,1\n")
    with pytest.raises(InputError, match="gene column 'symbol' is not in"):
        read_expression(path, gene_column="symbol")
    with pytest.raises(InputError, match=r"unsupported expression format '\.xlsx'"):
        read_expression(write(tmp_path / "e.xlsx", "x"))
    with pytest.raises(InputError, match="file not found"):
        read_expression(tmp_path / "absent.tsv")


# --- GMT ----------------------------------------------------------------------------------


def test_gmt_keeps_order_and_repeated_genes(tmp_path: Path) -> None:
    path = write(tmp_path / "s.gmt", "SET_A\tdesc\tG1\tG2\tG1\t\n\nSET_B\thttp://x\tG3\n")
    assert read_gmt(path) == {"SET_A": ["G1", "G2", "G1"], "SET_B": ["G3"]}
    with gzip.open(tmp_path / "s.gmt.gz", "wt", encoding="utf-8") as handle:
        handle.write(path.read_text(encoding="utf-8"))
    assert read_gmt(tmp_path / "s.gmt.gz") == read_gmt(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SET_A\tdesc\tG1\nSET_B G2 G3\n", r"s.gmt: row 2: expected a set name, a description"),
        ("SET_A\tdesc\t\t\n", r"row 1: gene set 'SET_A' lists no genes"),
        ("\tdesc\tG1\n", r"row 1: the gene-set name \(first field\) is empty"),
        ("S\td\tG1\nS\td\tG2\n", r"row 2: gene set 'S' is also defined on line 1"),
        ("\n\n", r"has no gene set"),
    ],
)
def test_malformed_gmt_is_input_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_gmt(write(tmp_path / "s.gmt", text))


def test_msigdb_hallmark_parses() -> None:
    if not HALLMARK.is_file():
        pytest.skip(f"MSigDB hallmark GMT not found at {HALLMARK} (set REMARKIT_SHARED_DATA)")
    sets = read_gmt(HALLMARK)
    assert len(sets) == 50
    assert all(name.startswith("HALLMARK_") for name in sets)
    assert "TP53" in sets["HALLMARK_P53_PATHWAY"]
    assert all(len(genes) >= 30 for genes in sets.values())


# --- MAF ----------------------------------------------------------------------------------


def test_laml_maf_gives_maftools_summary() -> None:
    if not LAML.is_file():
        pytest.skip(f"TCGA-LAML MAF not found at {LAML} (set REMARKIT_SHARED_DATA)")
    maf = read_maf(LAML)
    assert "End_Position" in maf.columns  # the file spells it End_position, as maftools accepts
    assert maf["Start_Position"].dtype == np.int64
    tmb = tumor_mutation_burden(maf)
    assert (tmb.n_samples, tmb.n_variants) == (193, 2207)
    assert (tmb.n_nonsynonymous, tmb.n_silent) == (1732, 475)
    top = gene_summary(maf).table.head(3)
    assert list(top.index) == ["FLT3", "DNMT3A", "NPM1"]


MAF_HEADER = (
    "Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\t"
    "Tumor_Seq_Allele2\tVariant_Classification\tVariant_Type\tTumor_Sample_Barcode\n"
)


def test_maf_comment_lines_and_missing_cells(tmp_path: Path) -> None:
    text = "#version 2.4\n" + MAF_HEADER + "NA\t1\t100\t100\tA\tT\tMissense_Mutation\tSNP\tS1\n"
    maf = read_maf(write(tmp_path / "m.maf", text))
    assert maf["Hugo_Symbol"].isna().all()  # maftools: UnknownGene
    assert gene_summary(maf).table.index.tolist() == ["UnknownGene"]


def test_maf_missing_required_column_is_named(tmp_path: Path) -> None:
    header = MAF_HEADER.replace("\tVariant_Classification", "")
    text = header + "TP53\t17\t1\t1\tC\tT\tSNP\tS1\n"
    with pytest.raises(InputError, match=r"column 'Variant_Classification': required MAF"):
        read_maf(write(tmp_path / "m.maf", text))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("TP53\t17\tabc\t1\tC\tT\tMissense_Mutation\tSNP\tS1\n", r"row 3, column 'Start_Position'"),
        (
            "TP53\t17\t5\t5\tC\tT\tMissense_Mutation\tSNP\t\n",
            r"row 3, column 'Tumor_Sample_Barcode'",
        ),
    ],
)
def test_maf_bad_cells(tmp_path: Path, row: str, message: str) -> None:
    good = "TP53\t17\t5\t5\tC\tT\tMissense_Mutation\tSNP\tS0\n"
    with pytest.raises(InputError, match=message):
        read_maf(write(tmp_path / "m.maf", MAF_HEADER + good + row))


# --- neoantigens --------------------------------------------------------------------------


def test_neoantigen_predictions_count_distinct_binders(tmp_path: Path) -> None:
    text = (
        "Sample Name\tHLA Allele\tMT Epitope Seq\tMedian MT IC50 Score\n"
        "S1\tA\tPEPA\t20\nS1\tB\tPEPA\t30\nS1\tA\tPEPB\t499.99\nS1\tA\tPEPC\t500\n"
        "S2\tA\tPEPD\t800\nS3\tA\tPEPE\t100\n"
    )
    counts = read_neoantigens(write(tmp_path / "n.tsv", text))
    assert counts.layout == "predictions"
    assert counts.counts.to_dict() == {"S1": 2, "S2": 0, "S3": 1}  # IC50 < 500 strictly
    stricter = read_neoantigens(tmp_path / "n.tsv", ic50_cutoff=50)
    assert stricter.counts.to_dict() == {"S1": 1, "S2": 0, "S3": 0}


def test_neoantigen_counts_layout(tmp_path: Path) -> None:
    counts = read_neoantigens(write(tmp_path / "n.csv", "sample,neoantigens\nS1,12\nS2,0\n"))
    assert counts.layout == "counts"
    assert counts.counts.to_dict() == {"S1": 12, "S2": 0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("patient,score\nS1,3\n", r"has no sample column"),
        ("sample,value\nS1,3\n", r"needs a per-sample count column .* or per-peptide predictions"),
        ("sample,neoantigens\nS1,2.5\n", r"row 2, column 'neoantigens': '2.5' is not a count"),
        ("sample,neoantigens\nS1,2\nS1,3\n", r"row 3: sample 'S1' has more than one count row"),
        ("sample,ic50\nS1,strong\n", r"row 2, column 'ic50': non-numeric value 'strong'"),
    ],
)
def test_bad_neoantigen_tables(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_neoantigens(write(tmp_path / "n.csv", text))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("Chromosome", r"column 'Chromosome' \(column 2\) is repeated as column 10"),
        ("start_position", r"'Start_Position' \(column 3\) and 'start_position' \(column 10\)"),
    ],
)
def test_maf_repeated_column_is_an_error(tmp_path: Path, extra: str, message: str) -> None:
    header = MAF_HEADER.rstrip("\n") + f"\t{extra}\n"
    text = header + "TP53\t17\t5\t5\tC\tT\tMissense_Mutation\tSNP\tS0\t9\n"
    with pytest.raises(InputError, match=message):
        read_maf(write(tmp_path / "m.maf", text))


def test_maf_columns_choice_and_categorical_text(tmp_path: Path) -> None:
    extra = MAF_HEADER.rstrip("\n") + "\tHGVSp_Short\tCenter\n"
    rows = (
        "TP53\t17\t5\t5\tC\tT\tMissense_Mutation\tSNP\tS2\tp.R5H\tbroad\n"
        "KRAS\t12\t9\t9\tG\tA\tSilent\tSNP\t S1 \tNA\tbroad\n"
        "KRAS\t12\t9\t9\tG\tA\tSilent\tSNP\tS1\t\tbroad\n"
    )
    path = write(tmp_path / "m.maf", "#version 2.4\n" + extra + rows)
    default = read_maf(path)
    assert "HGVSp_Short" in default.columns and "Center" not in default.columns
    assert isinstance(default["Hugo_Symbol"].dtype, pd.CategoricalDtype)
    assert default["Tumor_Sample_Barcode"].tolist() == ["S2", "S1", "S1"]  # spaces stripped
    assert default["HGVSp_Short"].isna().tolist() == [False, True, True]
    assert "Center" in read_maf(path, columns="all").columns
    stats = read_maf(path, columns="statistics")
    assert list(stats.columns) == [
        "Hugo_Symbol", "Chromosome", "Start_Position", "Reference_Allele",
        "Tumor_Seq_Allele2", "Variant_Classification", "Tumor_Sample_Barcode",
    ]  # fmt: skip
    assert stats["Start_Position"].dtype == np.int64
    assert tumor_mutation_burden(stats).n_duplicates_removed == 1
    gz = tmp_path / "m.maf.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    pd.testing.assert_frame_equal(read_maf(gz), default)


def test_maf_read_by_pandas_when_pyarrow_cannot_convert(tmp_path: Path) -> None:
    # "7.0" is not an int64 for pyarrow; the pandas reader accepts it as position 7
    text = MAF_HEADER + "TP53\t17\t7.0\t7\tC\tT\tMissense_Mutation\tSNP\tS1\n"
    maf = read_maf(write(tmp_path / "m.maf", text))
    assert maf["Start_Position"].tolist() == [7]
    assert maf["Start_Position"].dtype == np.int64
    assert isinstance(maf["Tumor_Sample_Barcode"].dtype, pd.CategoricalDtype)
    with pytest.raises(ValueError, match="columns must be"):
        read_maf(write(tmp_path / "n.maf", text), columns="some")  # type: ignore[arg-type]


def test_the_reader_reads_the_columns_the_statistics_require() -> None:
    """io and stats may not import each other (layer rule), so the list is written twice."""
    from remarkit.io.maf import MAF_STATISTICS_COLUMNS
    from remarkit.stats._maf import REQUIRED_COLUMNS

    assert MAF_STATISTICS_COLUMNS == REQUIRED_COLUMNS
