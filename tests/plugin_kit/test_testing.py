"""remarkit.testing: the synthetic study, the TOML writer, run_unit, and the fragment checks."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from remarkit import InputErrors
from remarkit.cli.main import main
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.testing import (
    CheckFragment,
    FragmentError,
    MakeStudy,
    RunUnit,
    render_record,
    synthetic_cohort,
    unit_table,
)
from remarkit.testing.study import MIN_PATIENTS
from tests.plugins import engine_units, report_units

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def test_synthetic_cohort_is_a_stratified_deterministic_sample() -> None:
    full = synthetic_cohort(203)
    small = synthetic_cohort(80)
    assert len(full) == 203 and len(small) == 80
    assert small.equals(synthetic_cohort(80)) and not small.equals(synthetic_cohort(80, seed=1))
    assert set(small["patient_id"]) <= set(full["patient_id"])
    shares = small.groupby(["set", "response"]).size() / 80
    expected = full.groupby(["set", "response"]).size() / 203
    assert (shares - expected).abs().max() < 1 / 80
    with pytest.raises(ValueError, match=f"between {MIN_PATIENTS} and 203"):
        synthetic_cohort(10)


def test_synthetic_study_validates_with_images_and_genomics(
    remarkit_study: MakeStudy, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = remarkit_study(patients=40, images=True, genomics=True)
    assert main(["validate", str(spec)]) == 0
    assert "40 patients (30 train, 10 test)" in capsys.readouterr().out
    manifest = pd.read_csv(spec.parent / "images" / "manifest.csv")
    assert len(manifest) == 80 and set(manifest["phase"]) == {"arterial", "portal"}
    assert (spec.parent / "genomics" / "mutations.maf").is_file()
    text = spec.read_text(encoding="utf-8")
    assert "[images]" in text and "[genomics]" in text
    with pytest.raises(ValueError, match="genomics=True needs at least 36 patients"):
        remarkit_study(patients=30, genomics=True)


def test_unit_table_round_trips_through_toml() -> None:
    table: dict[str, Any] = {
        "use": "discrimination",
        "id": "perf",
        "scores": [{"column": "kin.slope", "direction": "lower", "label": 'AFP "slope" ±'}],
        "level": 0.9,
        "flag": True,
        "n": 3,
        "weird key": [1.5, -2.0],
        "nested": {},
    }
    text = unit_table(table)
    assert text.startswith('[[unit]]\nid = "perf"\nuse = "discrimination"\n')
    assert tomllib.loads(text)["unit"] == [table]
    with pytest.raises(ValueError, match="needs 'id'"):
        unit_table({"use": "x"})
    with pytest.raises(TypeError, match="cannot write object"):
        unit_table({"id": "a", "use": "b", "x": object()})


def test_run_unit_gives_typed_results_and_failures(
    remarkit_run_unit: RunUnit, remarkit_study: MakeStudy
) -> None:
    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("engine_units", engine_units)])
    run = remarkit_run_unit("test_standardise", {"column": "platelets"}, plugins=plugins)
    assert isinstance(run.result, engine_units.StandardiseResult)
    train = run.cohort.data["platelets"][run.cohort.train]
    assert run.result.mean == pytest.approx(train.mean(), rel=1e-12)
    assert run.column("z").index.equals(run.cohort.data.index)
    with pytest.raises(KeyError, match="derived no column 'y'"):
        run.column("y")
    failed = remarkit_run_unit(
        "test_depends",
        {"upstream": ["boom"]},
        upstream='[[unit]]\nid = "boom"\nuse = "test_fail"\n',
        plugins=plugins,
    )
    assert failed.status == "skipped"
    with pytest.raises(AssertionError, match="not run: upstream unit 'boom' failed"):
        _ = failed.result
    with pytest.raises(InputErrors, match="unknown field"):
        remarkit_run_unit(
            "test_standardise", {"column": "platelets", "colour": "red"}, plugins=plugins
        )
    with pytest.raises(ValueError, match="pass unit_id="):
        remarkit_run_unit("not an id")


def test_a_failing_unit_shows_its_traceback(remarkit_run_unit: RunUnit) -> None:
    """The fixtures keep the one-line error and show where the unit raised."""
    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("engine_units", engine_units)])
    failed = remarkit_run_unit("test_fail", {}, unit_id="boom", plugins=plugins)
    assert failed.status == "failed"
    assert failed.error == "ValueError: deliberate failure (unit from engine_units)"
    assert failed.record.error == failed.error
    assert failed.traceback is not None
    assert failed.traceback.startswith("Traceback (most recent call last):\n")
    assert 'engine_units.py", line' in failed.traceback and "in run" in failed.traceback
    with pytest.raises(AssertionError) as info:
        _ = failed.result
    text = str(info.value)
    assert text.startswith("unit 'boom' (test_fail) failed: ValueError: deliberate failure (unit")
    assert 'raise ValueError("deliberate failure")' in text
    ok = remarkit_run_unit("test_standardise", {"column": "platelets"}, plugins=plugins)
    assert ok.traceback is None


def test_check_fragment_accepts_a_good_fragment(
    remarkit_run_unit: RunUnit, remarkit_check_fragment: CheckFragment
) -> None:
    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("report_units", report_units)])
    run = remarkit_run_unit("test_report_groups", {"column": "age"}, plugins=plugins)
    fragment = remarkit_check_fragment(run)
    assert fragment.tables and fragment.figures == ["Distribution of age"]
    assert fragment.template_file == str(report_units.TEMPLATES / "units/test_report_groups.html")


def _record(result: dict[str, Any]) -> dict[str, Any]:
    return {"id": "u", "name": "kit", "version": "1", "status": "ok", "result": result}


BAD_TEMPLATES = {
    "undefined": "{{ result.nope }}",
    "raw_float": "<p>AUC {{ result.auc }}</p>",
    "raw_none": "<table><caption>c</caption><tr><td>{{ result.missing }}</td></tr></table>",
    "no_caption": "<table class='data'><tr><td>{{ result.auc|num }}</td></tr></table>",
    "unbalanced": "<div><p>{{ result.auc|num }}</span></div>",
    "no_figure": "<p>{{ result.auc|num }}</p>",
    "linked_image": "<img src='units/u/f.svg' alt='x'>",
}
PROBLEMS = {
    "undefined": "undefined variable: 'dict object' has no attribute 'nope'",
    "raw_float": "unformatted number(s) 0.8123456789",
    "raw_none": "raw value(s) None",
    "no_caption": "1 table(s) without a caption",
    "unbalanced": "end tag </span> without a start tag",
    "no_figure": "figure 'f' is not shown",
    "linked_image": "image(s) not embedded as data URIs: units/u/f.svg",
}


@pytest.mark.parametrize("case", sorted(BAD_TEMPLATES))
def test_fragment_problems_are_caught(case: str, tmp_path: Path) -> None:
    (tmp_path / "t" / "units").mkdir(parents=True)
    (tmp_path / "t" / "units" / "kit.html").write_text(BAD_TEMPLATES[case], encoding="utf-8")
    (tmp_path / "out" / "units" / "u").mkdir(parents=True)
    (tmp_path / "out" / "units" / "u" / "f.svg").write_bytes(SVG)
    figure = {"name": "f", "path": "units/u/f.svg", "caption": "A figure"}
    result = {"kind": "kit", "auc": 0.8123456789, "missing": None, "figures": [figure]}
    fragment = render_record(_record(result), tmp_path / "out", templates=tmp_path / "t")
    assert any(PROBLEMS[case] in p for p in fragment.problems), fragment.problems


def test_missing_template_and_hidden_warning_are_caught(tmp_path: Path) -> None:
    result = {"kind": "kit_without_template", "auc": 0.5, "warnings": ["few events"]}
    fragment = render_record(_record(result), tmp_path)
    assert fragment.template == "units/_generic.html"
    assert fragment.problems == [
        "no template units/kit_without_template.html: the generic fallback was used"
    ]
    (tmp_path / "t" / "units").mkdir(parents=True)
    (tmp_path / "t" / "units" / "kit_without_template.html").write_text("<p>ok</p>")
    hidden = render_record(_record(result), tmp_path, templates=tmp_path / "t")
    assert hidden.problems == ["warning not shown (use m.warnings(result.warnings)): few events"]


def test_check_fragment_raises_listing_problems(
    remarkit_run_unit: RunUnit, remarkit_check_fragment: CheckFragment, tmp_path: Path
) -> None:
    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("engine_units", engine_units)])
    run = remarkit_run_unit("test_standardise", {"column": "age"}, plugins=plugins)
    with pytest.raises(FragmentError, match=r"no template units/test_standardise\.html"):
        remarkit_check_fragment(run)
    assert remarkit_check_fragment(run, require_template=False).template == "units/_generic.html"


def test_pytest_plugin_is_registered_and_light() -> None:
    code = (
        "import sys, importlib.metadata as m\n"
        "eps = [e.value for e in m.entry_points(group='pytest11') if e.name == 'remarkit']\n"
        "import remarkit.testing.plugin\n"
        "heavy = [n for n in ('remarkit.engine.api', 'remarkit.report', 'matplotlib') if n in sys.modules]\n"
        "print(eps, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['remarkit.testing.plugin'] []"
