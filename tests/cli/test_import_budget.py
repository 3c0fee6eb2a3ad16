"""The command line's import budget: the entry point, ``--help``, ``plugins`` and ``validate`` of a
clinical study import none of the heavy libraries (they are imported where a unit fits or draws).

Each check runs in a fresh interpreter, so modules imported by other tests do not count.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from remarkit.demo import DEFAULT_SEED, demo_table
from remarkit.demo.spec import study_toml
from remarkit.demo.units_clinical import CLINICAL_UNITS

#: Libraries that take seconds to import; no verb that fits or draws nothing may load them.
HEAVY = (
    "torch",
    "xgboost",
    "shap",
    "SimpleITK",
    "radiomics",
    "weasyprint",
    "matplotlib",
    "sklearn",
    "pysam",
)
#: What ``remarkit --help`` must not import either: it builds the parser and nothing else.
NOT_FOR_HELP = (*HEAVY, "pydantic", "numpy", "pandas", "scipy", "pluggy", "jinja2")

PROBE = """
import contextlib, io, json, sys

def loaded(names):
    return sorted(n for n in names if n in sys.modules)

names = json.loads(sys.argv[1])
stages = {}
import remarkit.cli.main as cli
stages["import"] = loaded(names)
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
    cli.main(["--help"])
assert "usage: remarkit" in out.getvalue(), out.getvalue()
stages["--help"] = loaded(names)
for argv in json.loads(sys.argv[2]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(argv)
    assert code == 0, (argv, code)
    stages[" ".join(argv[:1])] = loaded(names)
print(json.dumps(stages))
"""


def _probe(verbs: list[list[str]]) -> dict[str, list[str]]:
    """Modules of :data:`NOT_FOR_HELP` loaded after each stage, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(NOT_FOR_HELP), json.dumps(verbs)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stages: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return stages


def test_help_and_plugins_import_no_heavy_library() -> None:
    stages = _probe([["plugins"]])
    assert stages["import"] == [], f"`import remarkit.cli.main` loads {stages['import']}"
    assert stages["--help"] == [], f"`remarkit --help` loads {stages['--help']}"
    heavy = [name for name in stages["plugins"] if name in HEAVY]
    assert heavy == [], f"`remarkit plugins` loads {heavy}: import them where a unit uses them"


def test_validate_of_a_clinical_study_imports_no_heavy_library(tmp_path: Path) -> None:
    demo_table(DEFAULT_SEED).to_csv(tmp_path / "cohort.csv", index=False, lineterminator="\n")
    text = re.sub(r"\n\[images\]\n(?:[^\n\[]+\n)*", "\n", study_toml(DEFAULT_SEED, CLINICAL_UNITS))
    spec = tmp_path / "study.toml"
    spec.write_text(text, encoding="utf-8")
    stages = _probe([["validate", str(spec)]])
    heavy = [name for name in stages["validate"] if name in HEAVY]
    assert heavy == [], f"`remarkit validate` loads {heavy}: import them where a unit uses them"


@pytest.mark.parametrize("name", ["matplotlib.pyplot"])
def test_the_probe_sees_a_heavy_import(name: str) -> None:
    """The probe itself works: a library imported up front is reported."""
    root = name.split(".")[0]
    code = f"import {name}\n" + PROBE
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps([root]), "[]"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["import"] == [root]
