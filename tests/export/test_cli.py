"""``remarkit export``: one-line errors, replacing an earlier export, atomic and deterministic."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.export import run as export_run
from tests.export.conftest import Exported


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_a_folder_without_results_is_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["export", str(tmp_path / "empty"), "--to", str(tmp_path / "out")]) == 2
    assert "not a remarkit report folder: it holds no results.json" in _error_line(capsys)
    assert main(["export", str(tmp_path / "nope"), "--to", str(tmp_path / "out")]) == 2
    assert "report folder not found" in _error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_results_without_a_compiled_report_is_refused(
    small_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report"
    report.mkdir()
    shutil.copy(small_report / "results.json", report / "results.json")
    assert main(["export", str(report), "--to", str(tmp_path / "out")]) == 2
    assert "holds no report.html" in _error_line(capsys)
    (report / "results.json").write_text("{}", encoding="utf-8")
    assert main(["export", str(report), "--to", str(tmp_path / "out")]) == 2
    assert "results schema version None" in _error_line(capsys)


def test_a_user_folder_is_never_overwritten(
    small_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["export", str(small_report), "--to", str(mine)]) == 2
    line = _error_line(capsys)
    assert "field '--to'" in line or "--to" in line
    assert "not empty and holds no earlier export (export.json)" in line
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["export", str(small_report), "--to", str(a_file)]) == 2
    assert "exists and is not a folder" in _error_line(capsys)
    assert main(["export", str(small_report), "--to", str(small_report)]) == 2
    assert "must not be the report folder" in _error_line(capsys)


def test_missing_to_is_a_usage_error(small_report: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", str(small_report)])
    assert exc.value.code == 2


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_export_is_deterministic_and_replaces_an_earlier_export(
    exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "again"
    shutil.copytree(exported.folder, target)
    (target / "figures" / "stale.tiff").write_bytes(b"old")
    assert main(["export", str(exported.report), "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"export: {target.resolve()}" in out or f"export: {target}" in out
    assert "tables.docx (14 tables)" in out and "checklist_remark.docx" in out
    assert _digests(target) == _digests(exported.folder)
    assert [p.name for p in tmp_path.iterdir()] == ["again"]  # no staging folder left


def test_word_files_carry_no_timestamps(exported: Exported) -> None:
    import docx

    for name in ("tables.docx", "checklist_remark.docx"):
        with zipfile.ZipFile(exported.folder / name) as package:
            assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        props = docx.Document(str(exported.folder / name)).core_properties
        assert props.created is not None and props.created.year == 2000
        assert props.modified == props.created and props.author == "remarkit"


def test_a_failed_export_leaves_nothing_behind(
    small_report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object) -> None:
        raise export_run.InputError("figure 1: pdftoppm not found (install poppler-utils)")

    monkeypatch.setattr(export_run, "_write_figures", broken)
    target = tmp_path / "sub" / "out"
    assert main(["export", str(small_report), "--to", str(target)]) == 2
    assert "pdftoppm not found" in _error_line(capsys)
    assert not target.exists() and list((tmp_path / "sub").iterdir()) == []
