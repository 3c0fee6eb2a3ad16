"""neoantigen_load: binder counts, group test and parameters against independent computations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from remarkit.demo.genomics import GENOMICS_TOML
from tests.radiogenomics.conftest import Runner, ok, refused

UNITS = """
[[unit]]
id = "neo"
use = "neoantigen_load"
score = "score"
high_label = "DCB"
low_label = "Non-DCB"
"""


def _counts(root: Path, cutoff: float) -> pd.Series:
    table = pd.read_csv(root / "genomics" / "neoantigens.tsv", sep="\t")
    binders = table[table["Median MT IC50 Score"] < cutoff]
    counts = binders.groupby("Sample Name")["MT Epitope Seq"].nunique()
    return counts.reindex(table["Sample Name"].unique(), fill_value=0)


@pytest.mark.parametrize("cutoff", [None, 150.0])
def test_counts_and_test_equal_independent_computation(
    run_study: Runner, cutoff: float | None
) -> None:
    units = UNITS if cutoff is None else UNITS + f"ic50_cutoff = {cutoff}\n"
    records = run_study(units)
    result = ok(records["neo"])
    want = _counts(records["__root__"], 500.0 if cutoff is None else cutoff)
    patients = pd.DataFrame(result["patients"]).set_index("sample")
    assert len(patients) == 36
    assert (patients["neoantigens"] == want.loc[patients.index]).all()
    assert result["ic50_cutoff"] == (500.0 if cutoff is None else cutoff)
    assert result["layout"] == "predictions"
    high = patients.loc[patients["group"] == "DCB", "neoantigens"]
    low = patients.loc[patients["group"] == "Non-DCB", "neoantigens"]
    expected = sps.mannwhitneyu(high, low, use_continuity=True, method="asymptotic")
    assert result["test"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert [f["name"] for f in result["figures"]] == ["neoantigen_violin"]


def test_planted_difference_and_spec_cutoff(run_study: Runner) -> None:
    result = ok(run_study(UNITS)["neo"])
    summary = {s["group"]: s for s in result["summaries"]}
    assert summary["DCB"]["median"] > summary["Non-DCB"]["median"]
    strict = ok(run_study(UNITS, genomics=GENOMICS_TOML.replace("= 500.0", "= 50.0"))["neo"])
    assert strict["ic50_cutoff"] == 50.0
    total = sum(p["neoantigens"] for p in result["patients"])
    assert sum(p["neoantigens"] for p in strict["patients"]) < total


def test_per_sample_counts_table(run_study: Runner) -> None:
    def counts(root: Path) -> None:
        rng = np.random.default_rng(1)
        table = pd.read_csv(root / "genomics" / "neoantigens.tsv", sep="\t")
        samples = table["Sample Name"].unique()
        pd.DataFrame({"sample": samples, "neoantigens": rng.integers(0, 90, len(samples))}).to_csv(
            root / "genomics" / "neoantigens.tsv", sep="\t", index=False
        )

    records = run_study(UNITS, edit=counts)
    result = ok(records["neo"])
    table = pd.read_csv(records["__root__"] / "genomics" / "neoantigens.tsv", sep="\t")
    got = {p["sample"]: p["neoantigens"] for p in result["patients"]}
    assert got == dict(zip(table["sample"], table["neoantigens"], strict=True))
    assert (result["layout"], result["ic50_cutoff"]) == ("counts", None)


def test_table_without_needed_columns_fails(run_study: Runner) -> None:
    def spoil(root: Path) -> None:
        path = root / "genomics" / "neoantigens.tsv"
        pd.read_csv(path, sep="\t").drop(columns="Median MT IC50 Score").to_csv(
            path, sep="\t", index=False
        )

    error = refused(lambda: run_study(UNITS, edit=spoil))
    assert "neoantigens.tsv: the neoantigen table needs a per-sample count column" in error


def test_exact_request_with_ties_becomes_a_named_warning(run_study: Runner) -> None:
    result = ok(run_study(UNITS + "exact = true\n")["neo"])
    counts = [p["neoantigens"] for p in result["patients"]]
    assert len(set(counts)) < len(counts)  # ties, so R falls back to the normal approximation
    assert result["test"]["exact"] is False
    assert any(
        w.startswith("Neoantigens: mann_whitney: cannot compute an exact")
        for w in result["warnings"]
    )
