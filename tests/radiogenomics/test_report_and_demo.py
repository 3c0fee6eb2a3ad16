"""Fragments render every radiogenomics result; results and demo data are deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remarkit.demo.cohort import make_cohort
from remarkit.demo.genomics import write_genomics
from remarkit.demo.units_genomics import GENOMICS_UNITS
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.testing.toml import unit_tables
from tests.radiogenomics.conftest import Runner, ok

UNITS = "\n" + unit_tables([{**unit, "score": "score"} for unit in GENOMICS_UNITS])


@pytest.fixture(scope="module")
def environment():  # type: ignore[no-untyped-def]
    return make_environment()


def test_demo_units_run_and_render(run_study: Runner, environment) -> None:  # type: ignore[no-untyped-def]
    records = run_study(UNITS)
    out = records["__root__"] / "out"
    html = {}
    for uid in ("gene_sets", "tmb", "neoantigens"):
        ok(records[uid])
        html[uid] = str(render_unit(environment, records[uid], ReportState(out)))
    assert "Hallmark gene sets (synthetic): ssGSEA scores correlated with" in html["gene_sets"]
    assert "DEMO_IMMUNE_MHC_CLASS_I" in html["gene_sets"]
    assert "samples matched to patients" in html["gene_sets"]
    assert "HCC-900-01A" in html["gene_sets"]
    assert "Top 10 mutated genes per group" in html["tmb"]
    assert "TP53" in html["tmb"] and "data:image/svg+xml;base64," in html["tmb"]
    assert (
        "Tumour mutation burden (mutations/Mb) by Integrated radiomics model group" in html["tmb"]
    )
    assert "IC50 Score &lt; 500.0 nM" in html["neoantigens"]
    for text in html.values():
        assert "167" in text  # patients without a sample, named in table and warnings
        assert "None" not in text and "nan" not in text


def test_results_are_deterministic(run_study: Runner) -> None:
    first = run_study(UNITS, fresh=True)
    second = run_study(UNITS, fresh=True)
    for uid in ("gene_sets", "tmb", "neoantigens"):
        assert json.dumps(first[uid]["result"]) == json.dumps(second[uid]["result"])
        for fig in first[uid]["result"]["figures"]:
            a = (first["__root__"] / "out" / fig["path"]).read_bytes()
            b = (second["__root__"] / "out" / fig["path"]).read_bytes()
            assert a == b, fig["path"]


def test_demo_genomics_files_are_deterministic(tmp_path: Path) -> None:
    cohort = make_cohort(2025)
    write_genomics(tmp_path / "a", cohort, 2025)
    write_genomics(tmp_path / "b", cohort, 2025)
    write_genomics(tmp_path / "c", cohort, 7)
    names = sorted(p.name for p in (tmp_path / "a" / "genomics").iterdir())
    assert names == [
        "expression.tsv",
        "hallmark_demo.gmt",
        "immune_demo.gmt",
        "mutations.maf",
        "neoantigens.tsv",
    ]
    for name in names:
        a = (tmp_path / "a" / "genomics" / name).read_bytes()
        assert a == (tmp_path / "b" / "genomics" / name).read_bytes()
        assert a != (tmp_path / "c" / "genomics" / name).read_bytes()
