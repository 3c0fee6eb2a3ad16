"""`remarkit run` compiles the report in the staging folder; `remarkit audit` checks a report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.report import compile as report_compile
from remarkit.report.audit import Audit
from tests.conftest import install_fake_distribution
from tests.report.conftest import write_study


@pytest.fixture(autouse=True)
def _units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine and report test units, installed as a distribution with entry points."""
    site = tmp_path / "site"
    install_fake_distribution(
        site,
        "remarkit-report-testunits",
        "0.1",
        {
            "engine_units": "tests.plugins.engine_units",
            "report_units": "tests.plugins.report_units",
        },
    )
    monkeypatch.syspath_prepend(str(site))


@pytest.fixture
def report_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    spec = write_study(tmp_path / "study")
    assert main(["run", str(spec), "--no-cache"]) == 1  # boom fails, the rest still reported
    out = capsys.readouterr().out
    report = tmp_path / "study" / "report"
    assert f"report: {report / 'report.html'} and {report / 'report.pdf'}" in out
    return report


def test_run_writes_html_and_pdf(report_dir: Path) -> None:
    assert sorted(p.name for p in report_dir.iterdir()) == [
        ".remarkit-report",
        "checklist_pages.json",
        "report.html",
        "report.pdf",
        "results.json",
        "units",
    ]
    assert (
        json.loads((report_dir / "results.json").read_text(encoding="utf-8"))["study_dir"] == ".."
    )


def test_templates_option_overrides_a_fragment(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study")
    mine = tmp_path / "mine" / "units"
    mine.mkdir(parents=True)
    (mine / "test_count.html").write_text(
        '<p class="mine">above: {{ result.above }}</p>{% include "default:units/_generic.html" %}'
    )
    out = tmp_path / "out"
    main(["run", str(spec), "--out", str(out), "--no-cache", "--templates", str(mine.parent)])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<p class="mine">above: ' in html and "count (test_count): result values" in html


def test_missing_template_folder_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_study(tmp_path / "study")
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--templates", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--templates" in err[0] and "template folder not found" in err[0]
    assert not out.exists()


def test_failed_report_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(report_compile, "compile_report", broken)
    spec = write_study(tmp_path / "study")
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="renderer crashed"):
        main(["run", str(spec), "--out", str(out), "--no-cache"])
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_audit_prints_every_item_and_input_hashes(
    report_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(report_dir)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    items = [line for line in lines if line[:5].strip().isdigit()]
    assert [int(line.split()[0]) for line in items] == list(range(1, 21))
    assert any(
        re.fullmatch(
            r"    2  reported {8}Patient characteristics and selection  \[PDF p\. \d+\]", x
        )
        for x in lines
    )
    assert any(
        "-> report.html#f-study-narrative-patients (Study and patients; PDF p. " in x for x in lines
    )
    assert any("groups (test_report_groups) -> report.html#unit-groups" in x for x in lines)
    assert any(x.strip().startswith("to satisfy: describe the material") for x in lines)
    assert "  match     study file    study.toml" in lines
    assert "  match     cohort table  cohort.csv" in lines
    assert main(["audit", str(report_dir), "--strict"]) == 1


def test_audit_json_and_changed_or_absent_inputs(
    report_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = report_dir.parent
    with (study / "cohort.csv").open("a") as handle:
        handle.write("\n")
    capsys.readouterr()
    assert main(["audit", str(report_dir / "results.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["number"] for i in data["checklists"][0]["items"]] == list(range(1, 21))
    statuses = {i["path"]: i["status"] for i in data["inputs"]}
    assert statuses == {"study.toml": "match", "cohort.csv": "mismatch"}
    assert data["input_mismatches"] == 1
    moved = study.parent / "moved"
    shutil.move(str(report_dir), str(moved))
    assert main(["audit", str(moved), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in data["inputs"]} == {"absent"}
    assert data["study_dir"] is None
    assert main(["audit", str(moved), "--json", "--study-dir", str(study)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {i["path"]: i["status"] for i in data["inputs"]}["study.toml"] == "match"


def test_audit_finds_study_folder_recorded_relative_to_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_study(tmp_path / "project" / "data" / "study")
    out = tmp_path / "project" / "reports" / "run1"
    main(["run", str(spec), "--out", str(out), "--no-cache"])
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["study_dir"] == "../../data/study"
    shutil.move(str(tmp_path / "project"), str(tmp_path / "elsewhere"))
    capsys.readouterr()
    assert main(["audit", str(tmp_path / "elsewhere" / "reports" / "run1"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in data["inputs"]} == {"match"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "report folder or results file not found"),
        ("", "the report folder holds no results.json"),
        ("{not json", "cannot read results"),
        ('{"schema_version": "0.9"}', "results schema version '0.9' is not '1.2'"),
        ('{"schema_version": "1.2", "seed": 1}', "does not match the results schema"),
    ],
)
def test_audit_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    target = tmp_path / "report"
    if content is not None:
        target.mkdir()
        if content:
            (target / "results.json").write_text(content)
    assert main(["audit", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_audit_verifies_every_units_result_sha256(
    report_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited result (or a dropped files entry) is a unit mismatch; --strict fails on it."""
    monkeypatch.setattr(Audit, "missing_items", property(lambda self: 0))
    capsys.readouterr()
    assert main(["audit", str(report_dir), "--json", "--strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {u["id"]: u["status"] for u in data["units"]} == {
        "std": "match",
        "groups": "match",
        "count": "match",
    }
    assert data["unit_mismatches"] == 0
    path = report_dir / "results.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    count = next(u for u in results["units"] if u["id"] == "count")
    count["result"]["above"] = 99
    groups = next(u for u in results["units"] if u["id"] == "groups")
    assert groups["files"], "the groups unit writes a figure"
    groups["files"] = groups["files"][1:]
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    assert main(["audit", str(report_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {u["id"]: u["status"] for u in data["units"]}["count"] == "mismatch"
    assert {u["id"]: u["status"] for u in data["units"]}["groups"] == "mismatch"
    assert data["unit_mismatches"] == 2
    assert main(["audit", str(report_dir), "--strict"]) == 1
    text = capsys.readouterr().out
    assert "  mismatch  count" in text and "result differs from its result_sha256" in text


def test_audit_changed_unit_file_is_a_mismatch(
    report_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    groups = next(u for u in results["units"] if u["id"] == "groups")
    figure = report_dir / groups["files"][0]["path"]
    figure.write_bytes(figure.read_bytes() + b"\0")
    capsys.readouterr()
    assert main(["audit", str(report_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    check = next(u for u in data["units"] if u["id"] == "groups")
    assert check["status"] == "mismatch" and check["changed_files"] == [groups["files"][0]["path"]]


def test_audit_relative_study_dir_resolves(
    report_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    study = report_dir.parent
    moved = study.parent / "moved"
    shutil.move(str(report_dir), str(moved))
    with (study / "study.toml").open("a") as handle:
        handle.write("\n# edited\n")
    monkeypatch.chdir(study.parent)
    capsys.readouterr()
    assert main(["audit", "moved", "--json", "--study-dir", study.name]) == 0
    data = json.loads(capsys.readouterr().out)
    statuses = {i["path"]: i["status"] for i in data["inputs"]}
    assert statuses == {"study.toml": "mismatch", "cohort.csv": "match"}
    assert data["input_mismatches"] == 1 and data["study_dir"] == str(study)
