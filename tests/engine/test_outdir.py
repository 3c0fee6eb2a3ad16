"""The output folder: refused unless new, empty or a remarkit report; checked before any work;
one run's complete outputs under concurrent runs; nothing remarkit did not write is deleted
(issue 16, findings 10 to 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from remarkit.cli import commands
from remarkit.cli.main import main
from remarkit.engine.outdir import MARKER, claim, remove_stale_staging
from tests.conftest import install_fake_distribution
from tests.engine.conftest import SPEC, UNITS, StudyFactory

REPO = Path(__file__).resolve().parents[2]


GROUPS = '[[unit]]\nid = "groups"\nuse = "test_report_groups"\ncolumn = "age"\n'


@pytest.fixture(autouse=True)
def _units(test_plugin_installed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here runs with the engine and report test units installed."""
    site = tmp_path / "site-report"
    entry = {"report_units": "tests.plugins.report_units"}
    install_fake_distribution(site, "remarkit-report-testunits", "0.1", entry)
    monkeypatch.syspath_prepend(str(site))


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def test_non_empty_folder_without_marker_is_refused(
    make_study: StudyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = make_study()
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("user file")
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 2
    line = _one_line(capsys)
    assert str(out) in line and "--out" in line and f"no {MARKER}" in line
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "user file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]


def test_rerun_keeps_what_remarkit_did_not_write(
    make_study: StudyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's file beside the outputs survives a re-run; one inside an output the run
    replaces (units/) makes the re-run refuse, and both the file and the report stay."""
    spec = make_study(units=UNITS + GROUPS)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    written = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert "results.json" in written and any(f.startswith("units/") for f in written)
    (out / "notes.txt").write_text("mine")
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    mine = out / "units" / "groups" / "my-analysis.txt"
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("mine too")
    before = (out / "results.json").read_bytes()
    capsys.readouterr()
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 2
    line = _one_line(capsys)
    assert str(mine) in line and "not written by remarkit" in line
    assert mine.read_text(encoding="utf-8") == "mine too"
    assert (out / "results.json").read_bytes() == before


def test_previous_outputs_the_new_run_does_not_write_are_removed(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    spec = make_study()
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    (out / "scores.csv").write_text("old run's scores\n")  # as if the earlier run wrote it
    marker["files"].append("scores.csv")
    (out / MARKER).write_text(json.dumps(marker))
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    assert not (out / "scores.csv").exists()


def _bad_out(tmp_path: Path) -> dict[str, Path]:
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    return {
        "proc": Path("/proc/remarkit-x"),
        "under_a_file": a_file / "out",
        "existing_file": a_file,
    }


@pytest.mark.parametrize("option", ["--out", "--cache-dir"])
@pytest.mark.parametrize("case", ["proc", "under_a_file", "existing_file"])
def test_unusable_folder_is_refused_before_any_work(
    make_study: StudyFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    case: str,
) -> None:
    spec = make_study()
    target = _bad_out(tmp_path)[case]

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the study was prepared before the folders were checked")

    monkeypatch.setattr(commands, "prepare", never)
    args = ["run", str(spec), option, str(target)]
    if option == "--cache-dir":
        args += ["--out", str(tmp_path / "out")]
    assert main(args) == 2
    line = _one_line(capsys)
    assert option in line and line.startswith("error: ")
    assert not (tmp_path / "out").exists()
    assert (tmp_path / "a_file.txt").read_text() == "x"


def test_stale_staging_of_dead_runs_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".out.tmp-{pid}-abc"
    (stale / "units").mkdir(parents=True)
    alive = tmp_path / f".out.tmp-{os.getpid()}-def"
    alive.mkdir()
    old = out / f".units.old-{pid}"
    old.mkdir()
    other = tmp_path / ".other.tmp-1-x"
    other.mkdir()
    assert sorted(remove_stale_staging(out)) == sorted([stale, old])
    assert alive.exists() and other.exists() and not stale.exists() and not old.exists()


RUNNER = """
import sys
from remarkit.cli.main import main
for _ in range(int(sys.argv[3])):
    code = main(["run", sys.argv[1], "--out", sys.argv[2], "--no-cache"])
    if code != 0:
        sys.exit(code)
"""

LOGISTIC = '[[unit]]\nid = "uni"\nuse = "univariable_logistic"\nvariables = ["age"]\n'


@pytest.mark.slow
def test_concurrent_runs_into_one_folder(make_study: StudyFactory, tmp_path: Path) -> None:
    """Two processes re-running two different studies into one folder: no traceback, and the
    folder always ends as one run's complete outputs."""
    specs = [
        make_study(
            spec=SPEC.replace("Engine test study", f"Study {name}"), units=LOGISTIC, folder=name
        )
        for name in ("A", "B")
    ]
    out = tmp_path / "shared"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(spec), str(out), "3"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for spec in specs
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert "Traceback" not in err and proc.returncode == 0, err
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    title = results["study"]["title"]
    assert title in ("Study A", "Study B")
    assert f"<title>{title}" in (out / "report.html").read_text(encoding="utf-8")
    written = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    present = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER
    )
    assert present == sorted(written)
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_demo_refuses_a_foreign_folder_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("x")
    assert main(["demo", "--out", str(out)]) == 2
    assert f"no {MARKER}" in _one_line(capsys)
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_claimed_folder_takes_a_study_and_its_report(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    """The demo's layout: the folder is claimed, the study written into it, the run fills it."""
    out = tmp_path / "demo"
    claim(out)
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == []
    spec = make_study(folder="demo/study")
    for _ in range(2):
        claim(out)
        assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    assert (out / "study" / "cohort.csv").is_file() and (out / "results.json").is_file()


@pytest.mark.parametrize("name", ["report.pdf", "checklist_pages.json", "units"])
def test_user_file_named_like_a_new_output_is_refused_before_any_work(
    make_study: StudyFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    """A report folder whose previous run wrote no report (the API, no PDF) holds a user's
    file named like an output the CLI run writes: refused before the study is prepared."""
    from remarkit.engine.api import prepare, run_prepared

    spec = make_study()
    out = tmp_path / "out"
    run_prepared(prepare(spec), out, use_cache=False)  # results.json only: no report, no units/
    assert not (out / name).exists()
    (out / name).write_text("mine")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the study was prepared before the output names were checked")

    monkeypatch.setattr(commands, "prepare", never)
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 2
    line = _one_line(capsys)
    assert line.startswith("error: ") and str(out / name) in line and "--out" in line
    assert "not written by remarkit" in line
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]


def test_apply_output_name_is_checked_by_the_api_before_any_work(
    make_study: StudyFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_prepared refuses a user's scores.csv in a report folder when the run applies a
    model, before any unit runs; a plain run leaves it alone."""
    from dataclasses import replace

    from remarkit.engine import api
    from remarkit.engine.outdir import output_names
    from remarkit.engine.results import AppliedModel
    from remarkit.errors import InputError

    spec = make_study()
    out = tmp_path / "out"
    api.run_prepared(api.prepare(spec), out, use_cache=False)
    (out / "scores.csv").write_text("mine")
    api.run_prepared(api.prepare(spec), out, use_cache=False)  # a plain run writes no scores
    assert (out / "scores.csv").read_text() == "mine"
    applied = AppliedModel(
        model_dir="m", results_sha256="0" * 64, spec_sha256="0" * 64, remarkit_version="0",
        models=[], units=[], thresholds={}, threshold_sources={},
    )  # fmt: skip
    prepared = replace(api.prepare(spec), applied=applied)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("units ran before the output names were checked")

    monkeypatch.setattr(api, "run_units", never)
    with pytest.raises(InputError, match="not written by remarkit") as exc:
        api.run_prepared(prepared, out, use_cache=False, finalize=lambda s, r: None)
    assert exc.value.file == str(out / "scores.csv")
    assert (out / "scores.csv").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert output_names(applied=True, report=True) >= {"scores.csv", "report.pdf", "units"}
