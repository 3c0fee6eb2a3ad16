"""Command-line options checked before any work: one line on stderr, exit 2 (issue 16, 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.cli.main import main


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
@pytest.mark.parametrize("verb", ["run", "demo"])
def test_jobs_must_be_a_positive_whole_number(
    verb: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = [verb, "--jobs", value, "--out", str(out)] + (["study.toml"] if verb == "run" else [])
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert f"argument --jobs: must be a whole number of at least 1, got '{value}'" in lines[0]
    assert "Traceback" not in err
    assert not out.exists()


def test_jobs_one_is_accepted() -> None:
    from remarkit.cli.main import build_parser

    assert build_parser().parse_args(["run", "s.toml", "--jobs", "1"]).jobs == 1
