"""The demo study: shape of the synthetic cohort and an end-to-end run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from remarkit.demo import make_cohort, write_demo_study


def test_cohort_shape_matches_reference_table1() -> None:
    frame = make_cohort(2025)
    assert len(frame) == 203
    counts = frame.groupby("set")["response"].value_counts().to_dict()
    assert counts == {
        ("train", "DCB"): 93,
        ("train", "Non-DCB"): 60,
        ("test", "DCB"): 35,
        ("test", "Non-DCB"): 15,
    }
    assert frame["patient_id"].is_unique
    assert set(frame.loc[frame["response"] == "Non-DCB", "resection"]) == {"NA"}


def test_cohort_is_deterministic(tmp_path: Path) -> None:
    a = write_demo_study(tmp_path / "a", seed=11)
    b = write_demo_study(tmp_path / "b", seed=11)
    assert (a.parent / "cohort.csv").read_bytes() == (b.parent / "cohort.csv").read_bytes()
    c = write_demo_study(tmp_path / "c", seed=12)
    assert (a.parent / "cohort.csv").read_bytes() != (c.parent / "cohort.csv").read_bytes()


def test_outcome_carries_the_papers_signal() -> None:
    frame = make_cohort(2025)
    dcb = frame["response"] == "DCB"
    decline = 1 - frame["afp_1month"] / frame["afp_baseline"]
    responder = (frame["afp_baseline"] >= 7) & (decline >= 0.6)
    assert dcb[responder].mean() > dcb[~responder].mean() + 0.1
    assert (
        dcb[frame["dilated_vasculature"] == "Yes"].mean()
        > dcb[frame["dilated_vasculature"] == "No"].mean() + 0.1
    )
    assert frame.loc[dcb, "platelets"].mean() < frame.loc[~dcb, "platelets"].mean()


@pytest.mark.slow
def test_demo_runs_end_to_end(demo_run: tuple[Path, int, str]) -> None:
    out, code, printed = demo_run
    assert code == 0, printed
    assert "remarkit apply" in printed
    assert "fragment not rendered" not in printed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["cohort"]["n"] == 203
    assert (results["cohort"]["events_train"], results["cohort"]["events_test"]) == (93, 35)
    assert results["cohort"]["flow"][0]["n"] == 255
    assert all(u["status"] == "ok" for u in results["units"])
    readers = next(u for u in results["units"] if u["id"] == "readers")
    kappas = [f["pairs"][0]["kappas"][0]["estimate"] for f in readers["result"]["features"]]
    assert len(kappas) == 5 and all(0.6 < k < 0.8 for k in kappas)
    assert [r["name"] for r in results["cohort"]["semantic"]][-1] == "dilated_vasculature"
    pd.read_csv(out / "study" / "cohort.csv")
    integrators = ["integrated_radiomics", "integrated_no_afp", "integrated_afp"]
    assert [u["id"] for u in results["units"] if u["family"] == "integrator"] == integrators
    external = json.loads((out / "external" / "results.json").read_text(encoding="utf-8"))
    assert external["cohort"]["n"] == 100 and external["cohort"]["n_train"] == 0
    assert set(integrators) <= set(external["applied_model"]["models"])
    assert all(u["status"] == "ok" for u in external["units"])
    applied = [u["id"] for u in external["units"] if (u["result"] or {}).get("kind") == "applied"]
    assert set(integrators) <= set(applied) and "afp" in applied
    assert (out / "external" / "report.html").is_file()
    genomic = json.loads((out / "radiogenomics" / "results.json").read_text(encoding="utf-8"))
    assert genomic["cohort"]["n"] == 36
    assert genomic["applied_model"]["models"] == ["integrated_radiomics"]
    assert all(u["status"] == "ok" for u in genomic["units"])
    assert {"gene_sets", "tmb", "neoantigens"} <= {u["id"] for u in genomic["units"]}
    assert (out / "radiogenomics" / "report.html").is_file()
