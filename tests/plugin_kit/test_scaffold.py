"""``remarkit new-plugin``: the files it writes, the names it derives, the input it refuses; the
generated unit runs and renders in-process (the pip-installed round trip is in test_packages)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputError
from remarkit.scaffold import plugin_names, template_files
from remarkit.testing import MakeStudy, check_fragment, run_unit

FILES = [
    "README.md",
    "pyproject.toml",
    "src/remarkit_pivka_response/__init__.py",
    "src/remarkit_pivka_response/py.typed",
    "src/remarkit_pivka_response/templates/units/pivka_response.html",
    "src/remarkit_pivka_response/unit.py",
    "tests/test_pivka_response.py",
]


@pytest.fixture
def generated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code = main(["new-plugin", "pivka-response", "--family", "evaluator", "--dir", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "wrote remarkit-pivka-response (unit 'pivka_response', family evaluator)" in out
    return tmp_path / "remarkit-pivka-response"


def test_writes_a_complete_package(generated: Path) -> None:
    found = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert found == FILES
    config = tomllib.loads((generated / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["build-system"] == {
        "requires": ["setuptools>=68"],
        "build-backend": "setuptools.build_meta",
    }
    project = config["project"]
    assert project["name"] == "remarkit-pivka-response"
    assert project["entry-points"]["remarkit"] == {"pivka_response": "remarkit_pivka_response"}
    assert project["dependencies"] == ["remarkit>=0.1.0"]
    package_data = config["tool"]["setuptools"]["package-data"]["remarkit_pivka_response"]
    assert "templates/units/*.html" in package_data
    unit = (generated / FILES[5]).read_text(encoding="utf-8")
    assert 'family = "evaluator"' in unit and "class PivkaResponse(Unit[" in unit
    assert "$" not in unit and "__module__" not in "".join(FILES)


def test_generated_code_is_lint_clean(generated: Path) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        proc = subprocess.run(
            [str(ruff), *args], cwd=generated, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in generated.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_generated_unit_runs_and_renders_in_process(
    generated: Path, remarkit_study: MakeStudy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(generated / "src"))
    module = importlib.import_module("remarkit_pivka_response")
    try:
        plugins = make_plugin_manager(
            entry_points=[], extra_plugins=[("remarkit_pivka_response", module)]
        )
        assert plugins.units().units["pivka_response"].family == "evaluator"
        table = {"id": "pivka", "use": "pivka_response", "column": "platelets"}
        spec = remarkit_study(units=[table, {**table, "id": "bad", "column": "sex"}])
        run = run_unit(spec, "pivka", out_dir=tmp_path / "out", plugins=plugins)
        assert [s.split for s in run.result.splits] == ["train", "test"]
        assert run.column("z")[run.cohort.train].mean() == pytest.approx(0.0, abs=1e-12)
        fragment = check_fragment(run)
        assert fragment.template == "units/pivka_response.html"
        assert fragment.figures == ["PLT by outcome in the training and the test set."]
        assert "Software: pivka_response 0.1.0 (remarkit-pivka-response)" in run.record.methods
        bad = next(u for u in run.results.units if u.id == "bad")
        assert bad.status == "failed" and "column 'sex' is categorical" in str(bad.error)
    finally:
        for name in [m for m in sys.modules if m.startswith("remarkit_pivka_response")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("name", "slug", "distribution", "module", "unit", "class_name"),
    [
        ("pivka-response", "pivka-response", "remarkit-pivka-response", "remarkit_pivka_response", "pivka_response", "PivkaResponse"),
        ("remarkit_afp_slope2", "afp-slope2", "remarkit-afp-slope2", "remarkit_afp_slope2", "afp_slope2", "AfpSlope2"),
        ("clear", "clear", "remarkit-clear", "remarkit_clear", "clear", "Clear"),
    ],
)  # fmt: skip
def test_names(
    name: str, slug: str, distribution: str, module: str, unit: str, class_name: str
) -> None:
    names = plugin_names(name, "clinical")
    assert (names.slug, names.distribution, names.module) == (slug, distribution, module)
    assert (names.unit, names.class_name, names.family) == (unit, class_name, "clinical")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Pivka Response", "must be lower-case letters and digits"),
        ("9lives", "must be lower-case letters and digits"),
        ("pivka--response", "must be lower-case letters and digits"),
        ("remarkit", "must name something after the 'remarkit-' prefix"),
        ("remarkit-2x", "must name something after the 'remarkit-' prefix"),
        ("class", "is a Python keyword"),
    ],
)
def test_bad_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        plugin_names(name)


def test_cli_refuses_bad_input_with_exit_code_2(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-plugin", "pivka-response", "--dir", str(tmp_path)]) == 2
    assert "folder already exists and is not empty" in capsys.readouterr().err
    assert main(["new-plugin", "marker-response", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unit name 'marker_response' is already registered by remarkit 0.1.0" in err
    assert main(["new-plugin", "Bad Name", "--dir", str(tmp_path)]) == 2
    assert "NAME" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["new-plugin", "ok-name", "--family", "radiology", "--dir", str(tmp_path)])
    assert exc.value.code == 2
    assert "invalid choice: 'radiology'" in capsys.readouterr().err
    (tmp_path / "a-file").write_text("x")
    assert main(["new-plugin", "other", "--dir", str(tmp_path / "a-file")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_template_files_are_package_data() -> None:
    files = template_files()
    assert {p.as_posix() for p in files} == {
        "README.md.tmpl",
        "pyproject.toml.tmpl",
        "src/__module__/__init__.py.tmpl",
        "src/__module__/py.typed.tmpl",
        "src/__module__/templates/units/__kind__.html.tmpl",
        "src/__module__/unit.py.tmpl",
        "tests/test___unit__.py.tmpl",
    }


def test_pyproject_ships_every_template_file() -> None:
    """The wheel's package-data globs cover every template file (editable installs hide gaps)."""
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["remarkit.scaffold"]
    folder = root / "core" / "scaffold"
    shipped = {p.relative_to(folder / "template") for pat in patterns for p in folder.glob(pat)}
    assert {Path(p) for p in template_files()} == shipped
