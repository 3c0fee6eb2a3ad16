"""The bad-input corpus (issue 16): every case exits 2 with one located line, writes nothing to
--out and leaves every input file as it was, under both `remarkit validate` and `remarkit run`
(model cases: under `remarkit apply`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from remarkit.cli.main import main
from tests.bad_inputs.base import Broken, Case, write_clinical
from tests.bad_inputs.cases_clinical import CLINICAL_CASES
from tests.bad_inputs.cases_files import FILE_CASES
from tests.bad_inputs.cases_models import MODEL_CASES, write_model_base

CASES: list[Case] = CLINICAL_CASES + FILE_CASES


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The valid base studies (folders), written once; each case breaks a copy."""
    from remarkit.testing.study import write_synthetic_study

    root = tmp_path_factory.mktemp("bases")
    return {
        "clinical": write_clinical(root / "clinical").parent,
        "images": write_synthetic_study(root / "images", images=True, patients=30).parent,
        "genomics": write_synthetic_study(root / "genomics", genomics=True, patients=40).parent,
    }


@pytest.fixture(scope="module")
def model_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fitted model folder and a new cohort's study (cases_models.py), written once."""
    return write_model_base(tmp_path_factory.mktemp("model-base"))


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _main(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as exc:  # a usage error
        return int(exc.code or 0)


def test_corpus_size() -> None:
    every = CASES + MODEL_CASES
    assert len(every) >= 60
    assert len({c.name for c in every}) == len(every)
    assert {c.area for c in every} == {"spec", "cohort", "images", "genomics", "cli", "models"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(
    case: Case, bases: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "study"
    shutil.copytree(bases[case.base], root)
    broken = case.build(root)
    before = _hashes(root)
    out = tmp_path / "out"
    for verb in ("validate", "run"):
        args = [verb, str(broken.spec), *broken.args]
        if verb == "run" or broken.args:
            args += ["--out", str(out)]
        if verb == "validate" and broken.args:
            continue  # run options
        code = _main(args)
        err = capsys.readouterr().err
        assert "Traceback" not in err, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2, (verb, err)
        assert len(lines) == 1, (verb, lines)
        assert broken.where in lines[0], (verb, lines[0])
        if broken.file is not None:
            assert str(broken.file) in lines[0], (verb, lines[0])
        assert not out.exists(), f"{verb} wrote {out}"
        assert _hashes(root) == before, f"{verb} changed or added input files"


def _one_located_line(err: str, broken: Broken) -> None:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines[0]
    assert broken.where in lines[0], lines[0]
    if broken.file is not None:
        assert str(broken.file) in lines[0], lines[0]


@pytest.mark.parametrize("case", MODEL_CASES, ids=[c.name for c in MODEL_CASES])
def test_bad_model(
    case: Case, model_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "base"
    shutil.copytree(model_base, root)
    broken = case.build(root)
    assert broken.model is not None
    before = _hashes(root)
    out = tmp_path / "out"
    cache = ("--cache-dir", str(tmp_path / "cache"))
    code = _main(
        ["apply", str(broken.model), str(broken.spec), *broken.args, "--out", str(out), *cache]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    _one_located_line(err, broken)
    assert not out.exists(), f"apply wrote {out}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert _hashes(root) == before, "apply changed or added input files"
