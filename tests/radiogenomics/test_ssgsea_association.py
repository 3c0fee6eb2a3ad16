"""ssgsea_association: numbers equal remarkit.stats.ssgsea + scipy + statsmodels on the raw data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from remarkit.demo.genomics import HALLMARK, IMMUNE, UNMATCHED_SAMPLE
from remarkit.io import read_expression, read_gmt
from remarkit.stats import ssgsea
from tests.radiogenomics.conftest import Runner, demo_cohort, failed, ok, refused

UNITS = """
[[unit]]
id = "sets"
use = "ssgsea_association"
score = "score"
collection_labels = ["Hallmark", "Immune"]
"""


def _expected(root: Path, method: str, variant: str = "gsva") -> dict[str, pd.DataFrame]:
    """Per collection: r, p, q recomputed from the files."""
    matrix = read_expression(root / "genomics" / "expression.tsv").values
    samples = [c for c in matrix.columns if c != UNMATCHED_SAMPLE]
    score = demo_cohort().set_index("patient_id")["score"]
    y = score.loc[[s[:7] for s in samples]].to_numpy(float)
    out = {}
    for name in ("hallmark_demo.gmt", "immune_demo.gmt"):
        sets = read_gmt(root / "genomics" / name)
        scores = ssgsea(matrix[samples], sets, variant=variant).scores  # type: ignore[arg-type]
        test = sps.spearmanr if method == "spearman" else sps.pearsonr
        rows = [test(scores.loc[s].to_numpy(), y) for s in scores.index]
        frame = pd.DataFrame(
            {"r": [t.statistic for t in rows], "p": [t.pvalue for t in rows]}, index=scores.index
        )
        frame["q"] = multipletests(frame["p"], method="fdr_bh")[1]
        out[name] = frame
    return out


@pytest.mark.parametrize("method", ["spearman", "pearson"])
def test_correlations_equal_independent_computation(run_study: Runner, method: str) -> None:
    records = run_study(UNITS + f'method = "{method}"\n')
    result = ok(records["sets"])
    expected = _expected(records["__root__"], method)
    assert [c["label"] for c in result["collections"]] == ["Hallmark", "Immune"]
    for collection, name in zip(result["collections"], expected, strict=True):
        want = expected[name]
        assert collection["file"] == name
        got = pd.DataFrame(collection["sets"]).set_index("name")
        assert sorted(got.index) == sorted(want.index)
        got = got.loc[want.index]
        np.testing.assert_allclose(got["r"], want["r"], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(got["p_value"], want["p"], rtol=1e-10, atol=1e-300)
        np.testing.assert_allclose(got["q_value"], want["q"], rtol=1e-10, atol=1e-300)
        assert (got["significant"] == (want["q"] < 0.05)).all()
        ps = [s["p_value"] for s in collection["sets"]]
        assert ps == sorted(ps)  # table sorted by p


def test_planted_sets_are_found_with_their_sign(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["sets"])
    planted = {f"DEMO_HALLMARK_{k}": v for k, v in HALLMARK.items() if v}
    planted |= {f"DEMO_IMMUNE_{k}": v for k, v in IMMUNE.items() if v}
    rows = {s["name"]: s for c in result["collections"] for s in c["sets"]}
    for name, direction in planted.items():
        assert rows[name]["significant"], name
        assert np.sign(rows[name]["r"]) == direction, name
    assert [f["name"] for f in result["figures"]] == ["gene_sets_1", "gene_sets_2"]


def test_mismatches_and_duplicates_are_reported(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["sets"])
    match = result["match"]
    assert match["n_samples"] == 37
    assert match["n_patients"] == 36
    assert match["samples_without_patient"] == [UNMATCHED_SAMPLE]
    assert len(match["patients_without_sample"]) == 203 - 36
    text = " | ".join(result["warnings"])
    assert f"1 sample(s) match no cohort patient: {UNMATCHED_SAMPLE}" in text
    assert "167 cohort patient(s) have no sample" in text
    assert (result["duplicated_genes"], result["rows_removed"]) == (5, 5)
    assert result["n_genes"] == 3000


def test_gseapy_variant_and_p_significance(run_study: Runner) -> None:
    records = run_study(UNITS + 'variant = "gseapy"\nsignificance = "p"\nalpha = 0.01\n')
    result = ok(records["sets"])
    expected = _expected(records["__root__"], "spearman", variant="gseapy")["immune_demo.gmt"]
    got = pd.DataFrame(result["collections"][1]["sets"]).set_index("name").loc[expected.index]
    np.testing.assert_allclose(got["r"], expected["r"], rtol=1e-12, atol=1e-14)
    assert (got["significant"] == (expected["p"] < 0.01)).all()


def test_no_significant_set_draws_no_figure(run_study: Runner) -> None:
    result = ok(run_study(UNITS + "alpha = 1e-300\n")["sets"])
    assert result["figures"] == []
    assert all(c["n_significant"] == 0 for c in result["collections"])


def test_labels_must_match_files(run_study: Runner) -> None:
    units = UNITS.replace('["Hallmark", "Immune"]', '["Only one"]')
    assert "collection_labels has 1 label(s) for 2 gene-set file(s)" in failed(
        run_study(units)["sets"]
    )


def test_non_numeric_expression_fails_naming_row_and_column(run_study: Runner) -> None:
    def spoil(root: Path) -> None:
        path = root / "genomics" / "expression.tsv"
        lines = path.read_text(encoding="utf-8").splitlines()
        cells = lines[4].split("\t")
        cells[3] = "n/a?"
        lines[4] = "\t".join(cells)
        path.write_text("\n".join(lines) + "\n")

    error = refused(lambda: run_study(UNITS, edit=spoil))
    assert "expression.tsv: row 5, column 'HCC-" in error
    assert "non-numeric value 'n/a?'" in error
    assert "\n" not in error


def test_malformed_gmt_fails(run_study: Runner) -> None:
    def spoil(root: Path) -> None:
        with (root / "genomics" / "immune_demo.gmt").open("a") as handle:
            handle.write("BROKEN_SET only-one-field\n")

    error = refused(lambda: run_study(UNITS, edit=spoil))
    assert "immune_demo.gmt: row 13: expected a set name, a description and genes" in error
