"""`remarkit demo` ends with report.html and report.pdf; `remarkit audit` lists all 20 items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.plugins.checklists.remark import REMARK
from remarkit.report.checklist import field_value, is_filled


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
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    items = audit["checklists"][0]["items"]
    assert [i["number"] for i in items] == list(range(1, 21))
    declared = {n for u in results["units"] if u["status"] == "ok" for n in u["remark_items"]}
    for spec_item, item in zip(REMARK.items, items, strict=True):
        filled = bool(spec_item.fields) and all(
            is_filled(field_value(results, f)) for f in spec_item.fields
        )
        if filled or spec_item.number in declared:
            if spec_item.check is not None and item["status"] != "reported":
                assert item["lacking"], item  # a content rule says why the claim does not hold
                continue
            assert item["status"] == "reported", item
            assert item["evidence"], item
    reported = {i["number"] for i in items if i["status"] == "reported"}
    assert reported >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 19, 20}
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
