"""One test per hook (test_docs checks that every hook in hookspecs.py has its test_hook_<name>)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from remarkit import UnitResult, hookimpl
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.report.compile import compile_report
from remarkit.report.templates import make_environment
from remarkit.testing import MakeStudy, check_fragment, run_unit
from tests.plugin_kit.conftest import cli_json, install_fake_distribution, write_plugin_module
from tests.plugins import engine_units

UNITS_MODULE = """
from pydantic import Field
from remarkit import Needs, Unit, UnitContext, UnitParams, UnitResult, hookimpl
from remarkit.engine.registry import UnitRegistry


class MeanParams(UnitParams):
    column: str = Field(description="Continuous column")


class MeanResult(UnitResult):
    kind: str = "kit_mean"
    mean: float = Field(description="Training-set mean")


class KitMean(Unit[MeanParams, MeanResult]):
    name = "kit_mean"
    family = "clinical"
    version = "3.1"
    Params = MeanParams
    Result = MeanResult
    remark_items = (13,)

    def needs(self, params: MeanParams) -> Needs:
        return Needs(columns=[params.column])

    def run(self, ctx: UnitContext, params: MeanParams) -> MeanResult:
        return MeanResult(mean=float(ctx.cohort.data[params.column][ctx.cohort.train].mean()))

    def methods(self, result: MeanResult, params: MeanParams) -> str:
        return f"The training-set mean of {params.column} was computed."


class NoResult:
    name = "kit_incomplete"
    family = "clinical"
    version = "1"
    Params = MeanParams


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    registry.add(KitMean)
    registry.add(NoResult)
"""

CHECKLIST_MODULE = """
from remarkit import Checklist, ChecklistItem, hookimpl
from remarkit.engine.registry import ChecklistRegistry

KIT = Checklist(
    name="kit",
    title="Kit reporting",
    citation="Kit authors. A kit checklist. 2025.",
    items=(
        ChecklistItem(1, "Methods", "Assay", "Name the assay.", fields=("study.narrative.assay",)),
        ChecklistItem(13, "Results", "Characteristics", "Tabulate the patients.",
                      satisfy="run baseline_table"),
        ChecklistItem(99, "Results", "Kinetics", "Report kinetics.", satisfy="run a kinetics unit"),
    ),
)


@hookimpl
def remarkit_register_checklists(registry: ChecklistRegistry) -> None:
    registry.add(KIT)
    registry.add(Checklist(name="remark", title="Copy", citation="", items=()))
"""

TRACED_UNITS = [
    {"id": "std", "use": "test_standardise", "column": "platelets"},
    {"id": "boom", "use": "test_fail"},
    {"id": "after", "use": "test_depends", "upstream": ["boom"]},
]


def test_hook_remarkit_register_units(
    fake_site: Path, remarkit_study: MakeStudy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_plugin_module(fake_site, "kit_register_units", UNITS_MODULE)
    install_fake_distribution(
        fake_site, "remarkit-kit-units", "2.0.1", {"kit_units": "kit_register_units"}
    )
    listing = cli_json("plugins", capsys=capsys)
    row = next(u for u in listing["units"] if u["name"] == "kit_mean")
    assert (row["source"], row["source_version"], row["version"]) == (
        "remarkit-kit-units",
        "2.0.1",
        "3.1",
    )
    assert any(
        "remarkit-kit-units 2.0.1 (kit_units)" in p and "lacks 'Result'" in p
        for p in listing["problems"]
    )
    spec = remarkit_study(units=[{"id": "m", "use": "kit_mean", "column": "platelets"}])
    run = run_unit(spec, "m", out_dir=tmp_path / "out", plugins=make_plugin_manager())
    platelets = run.cohort.data["platelets"][run.cohort.train]
    assert run.result.mean == pytest.approx(platelets.mean(), rel=1e-12)
    assert run.record.source == "remarkit-kit-units 2.0.1"


def test_hook_remarkit_register_checklists(
    fake_site: Path, remarkit_study: MakeStudy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_plugin_module(fake_site, "kit_checklists", CHECKLIST_MODULE)
    install_fake_distribution(
        fake_site, "remarkit-kit-checklists", "1.0", {"kit_checklists": "kit_checklists"}
    )
    plugins = make_plugin_manager()
    assert set(plugins.checklists().checklists) >= {"kit", "remark"}
    assert plugins.checklists().origins["remark"].distribution == "remarkit"
    assert any(
        "checklist 'remark' registered twice" in str(p) and "remarkit-kit-checklists 1.0" in str(p)
        for p in plugins.problems
    )
    spec = remarkit_study(units=[{"id": "t1", "use": "baseline_table", "variables": ["age"]}])
    out = tmp_path / "out"
    run_unit(spec, "t1", out_dir=out, plugins=plugins)
    report = cli_json("audit", str(out), capsys=capsys)
    kit = next(c for c in report["checklists"] if c["name"] == "kit")
    items = {i["number"]: i for i in kit["items"]}
    assert [items[n]["status"] for n in (1, 13, 99)] == ["reported", "reported", "missing"]
    assert items[13]["evidence"][0]["label"] == "t1 (baseline_table)"
    assert items[13]["evidence"][0]["anchor"] == "unit-t1"
    assert items[99]["satisfy"] == "run a kinetics unit"


class _TemplateDirs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def remarkit_template_dirs(self) -> list[str]:
        return [str(self.folder)]


class _BrokenTemplateDirs:
    @hookimpl
    def remarkit_template_dirs(self) -> list[str]:
        raise OSError("template folder unreadable")


FRAGMENT = """{% import "macros.html" as m with context %}
<table class="data">{{ m.caption("WHO standardised " ~ result.mean|num(1)) }}<tbody><tr><td>{{ result.sd|sig(3) }}</td></tr></tbody></table>
"""


def test_hook_remarkit_template_dirs(remarkit_study: MakeStudy, tmp_path: Path) -> None:
    plugin_dir, user_dir = tmp_path / "plugin_templates", tmp_path / "user_templates"
    for folder, who in ((plugin_dir, "Plugin"), (user_dir, "User")):
        (folder / "units").mkdir(parents=True)
        text = FRAGMENT.replace("WHO", who)
        (folder / "units" / "test_standardise.html").write_text(text, encoding="utf-8")
    (plugin_dir / "units" / "_generic.html").write_text("plugin generic", encoding="utf-8")
    plugins = make_plugin_manager(
        entry_points=[],
        extra_plugins=[
            ("engine_units", engine_units),
            ("kit_templates", _TemplateDirs(plugin_dir)),
            ("kit_broken", _BrokenTemplateDirs()),
        ],
    )
    assert plugins.template_dirs() == [plugin_dir]
    assert any(
        "kit_broken" in str(p) and "template folder unreadable" in str(p) for p in plugins.problems
    )
    overrides = [(p.origin.plugin, p.message) for p in plugins.problems if "overrides" in p.message]
    assert overrides == [
        (
            "kit_templates",
            "template units/_generic.html overrides the built-in one of remarkit "
            "(plugin templates are searched before the built-ins)",
        )
    ]
    plugins.template_dirs()
    assert len(plugins.problems) == 2  # reported once, however often the folders are asked for
    spec = remarkit_study(units=[TRACED_UNITS[0]])
    run = run_unit(spec, "std", out_dir=tmp_path / "out", plugins=plugins)
    fragment = check_fragment(run)
    assert fragment.template_file == str(plugin_dir / "units" / "test_standardise.html")
    assert fragment.tables == [f"Plugin standardised {run.result.mean:.1f}"]
    overridden = check_fragment(run, templates=user_dir)
    assert overridden.tables[0].startswith("User standardised")
    env = make_environment(None, plugins.template_dirs())
    assert env.get_template("units/_generic.html").render() == "plugin generic"
    default = env.get_template("default:units/_generic.html").filename
    assert default is not None and str(plugin_dir) not in default
    compiled = compile_report(
        run.out_dir, run.results.model_dump(mode="json"), plugins=plugins, pdf=False
    )
    assert "Plugin standardised" in compiled.html.read_text(encoding="utf-8")


class _Tracer:
    def __init__(self) -> None:
        self.before: list[tuple[str, str]] = []
        self.after: list[tuple[str, str, str, float, UnitResult | None]] = []

    @hookimpl
    def remarkit_before_unit(self, unit_id: str, unit_name: str) -> None:
        self.before.append((unit_id, unit_name))

    @hookimpl
    def remarkit_after_unit(
        self, unit_id: str, unit_name: str, status: str, seconds: float, result: UnitResult | None
    ) -> None:
        self.after.append((unit_id, unit_name, status, seconds, result))


def _traced_run(spec: Path, out: Path, *, use_cache: bool) -> _Tracer:
    """Run the traced study (ok, failing and skipped units) with a tracing plugin."""
    tracer = _Tracer()
    plugins = make_plugin_manager(
        entry_points=[], extra_plugins=[("engine_units", engine_units), ("tracer", tracer)]
    )
    run_unit(spec, "std", out_dir=out, plugins=plugins, use_cache=use_cache)
    return tracer


def test_hook_remarkit_before_unit(remarkit_study: MakeStudy, tmp_path: Path) -> None:
    spec = remarkit_study(units=TRACED_UNITS)
    tracer = _traced_run(spec, tmp_path / "out", use_cache=False)
    assert tracer.before == [
        ("std", "test_standardise"),
        ("boom", "test_fail"),
        ("after", "test_depends"),
    ]


def test_hook_remarkit_after_unit(remarkit_study: MakeStudy, tmp_path: Path) -> None:
    spec = remarkit_study(units=TRACED_UNITS)
    first = _traced_run(spec, tmp_path / "first", use_cache=True)
    statuses = [(uid, name, status) for uid, name, status, _, _ in first.after]
    assert statuses == [
        ("std", "test_standardise", "ok"),
        ("boom", "test_fail", "failed"),
        ("after", "test_depends", "skipped"),
    ]
    assert all(seconds >= 0 for _, _, _, seconds, _ in first.after)
    results: list[Any] = [r for *_, r in first.after]
    assert isinstance(results[0], engine_units.StandardiseResult) and results[1:] == [None, None]
    cached = _traced_run(spec, tmp_path / "second", use_cache=True)
    assert cached.after[0][2] == "ok" and cached.after[0][4] == results[0]


def test_a_plugin_fragment_hiding_a_built_in_or_another_plugins_is_reported(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        (folder / "units").mkdir(parents=True)
        (folder / "units" / "baseline_table.html").write_text(str(folder.name), encoding="utf-8")
    plugins = make_plugin_manager(
        entry_points=[],
        extra_plugins=[("kit_first", _TemplateDirs(first)), ("kit_second", _TemplateDirs(second))],
    )
    assert plugins.template_dirs() == [second, first]  # the last loaded is searched first
    messages = sorted((p.origin.plugin, p.message) for p in plugins.problems)
    assert messages == [
        (
            "kit_first",
            "template units/baseline_table.html is hidden by the one of plugin 'kit_second'",
        ),
        (
            "kit_second",
            "template units/baseline_table.html overrides the built-in one of remarkit "
            "(remarkit.plugins.clinical) (plugin templates are searched before the built-ins)",
        ),
    ]
    env = make_environment(None, plugins.template_dirs(), plugins.builtin_template_dirs())
    assert env.get_template("units/baseline_table.html").render() == "second"
    builtin = env.get_template("default:units/baseline_table.html").filename
    assert builtin is not None and builtin.endswith("clinical/templates/units/baseline_table.html")
