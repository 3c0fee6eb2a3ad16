"""`remarkit demo` ends with report.html and report.pdf; `remarkit audit` lists all 20 items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remarkit.cli.main import main


@pytest.mark.slow
def test_demo_report_and_audit(
    demo_run: tuple[Path, int, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out, code, printed = demo_run
    assert code == 0, printed
    assert (out / "report.html").stat().st_size > 0 and (out / "report.pdf").stat().st_size > 0
    capsys.readouterr()
    assert main(["audit", str(out), "--json"]) == 0
    audit = json.loads(capsys.readouterr().out)
    items = audit["checklists"][0]["items"]
    assert [i["number"] for i in items] == list(range(1, 21))
    status = {i["number"]: i["status"] for i in items}
    # A careful reading: no storage of the synthetic specimens (4), no Kaplan-Meier curves by
    # the marker (15), no table of the marker against the standard variables (14), variables
    # selected by univariable significance (17), no limitations (19); item 18 needs a
    # validation repeating the whole pipeline (partial until internal_validation offers one).
    assert {n for n, s in status.items() if s == "missing"} == {14, 17, 19}
    assert {n for n, s in status.items() if s == "partial"} - {18} == {4, 15}
    assert status[18] in ("partial", "reported")
    for item in items:
        assert item["decided_by"], item
        if item["status"] != "reported":
            assert all(
                any(t.startswith(f"{r}: ") for t in item["lacking"]) for r in item["decided_by"]
            ), item
        else:
            assert all(r["met"] for r in item["rules"]), item
    assert {i["status"] for i in audit["inputs"]} == {"match"}
    assert audit["study_dir"] == str((out / "study").resolve())


@pytest.mark.slow
def test_demo_further_cohorts_have_their_reports(demo_run: tuple[Path, int, str]) -> None:
    out, code, printed = demo_run
    assert code == 0, printed
    external = (out / "external" / "report.html").read_text(encoding="utf-8")
    assert "100 patients (external validation set)" in external
    assert "form an external validation cohort" in external
    assert "fixed on the training set of the applied model" in external
    genomic = (out / "radiogenomics" / "report.html").read_text(encoding="utf-8")
    assert "Radiogenomics" in genomic and "Top 10 mutated genes per group" in genomic
    assert "Integrated radiomics model" in genomic
    for name in ("external", "radiogenomics"):
        assert (out / name / "report.pdf").stat().st_size > 0
        assert (out / name / "scores.csv").stat().st_size > 0
