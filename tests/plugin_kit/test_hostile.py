"""Hostile and broken plugins: a unit that raises, one that returns the wrong type, one whose
name collides with a built-in, a plugin that fails to import. Each is reported with the plugin's
distribution name and version, and the run goes on wherever the unit is not needed."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from remarkit.cli.main import main
from remarkit.testing import write_synthetic_study
from tests.plugin_kit.conftest import install_fake_distribution, write_plugin_module

HOSTILE = "remarkit-hostile 6.6.6"
BROKEN = "remarkit-broken 0.0.1"

HOSTILE_MODULE = """
from pydantic import Field
from remarkit import Unit, UnitContext, UnitParams, UnitResult, hookimpl
from remarkit.engine.registry import UnitRegistry


class NoParams(UnitParams):
    pass


class Nothing(UnitResult):
    kind: str = "hostile_nothing"
    value: float = Field(default=0.0, description="Nothing")


class _Base(Unit[NoParams, Nothing]):
    family = "evaluator"
    version = "1.0"
    Params = NoParams
    Result = Nothing
    remark_items = (18,)

    def methods(self, result: Nothing, params: NoParams) -> str:
        return "Nothing was done."


class Raises(_Base):
    name = "hostile_raises"

    def run(self, ctx: UnitContext, params: NoParams) -> Nothing:
        raise RuntimeError("hostile unit exploded")


class WrongType(_Base):
    name = "hostile_wrong_type"

    def run(self, ctx: UnitContext, params: NoParams) -> Nothing:
        return {"kind": "hostile_nothing", "value": 1.0}  # type: ignore[return-value]


class Impostor(_Base):
    name = "marker_response"

    def run(self, ctx: UnitContext, params: NoParams) -> Nothing:
        raise AssertionError("the impostor must never run")


@hookimpl
def remarkit_register_units(registry: UnitRegistry) -> None:
    registry.add(Raises)
    registry.add(WrongType)
    registry.add(Impostor)
"""

BROKEN_MODULE = """
import remarkit_dependency_that_is_not_installed  # noqa: F401
"""

UNITS = [
    {"id": "table1", "use": "baseline_table", "variables": ["age", "sex"]},
    {
        "id": "afp",
        "use": "marker_response",
        "baseline": "afp_baseline",
        "follow_up": "afp_1month",
        "bootstrap": 200,
    },
    {"id": "boom", "use": "hostile_raises"},
    {"id": "wrong", "use": "hostile_wrong_type"},
    {"id": "after_boom", "use": "discrimination", "scores": [{"column": "boom.score"}]},
]


@dataclass(frozen=True)
class HostileRun:
    """A study run with the hostile plugins installed, and the plugin listing."""

    code: int
    results: dict[str, Any]
    units: dict[str, dict[str, Any]]
    html: str
    stderr: str
    listing: str
    listing_err: str
    out: Path


def _main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileRun]:
    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    write_plugin_module(site, "remarkit_hostile_units", HOSTILE_MODULE)
    write_plugin_module(site, "remarkit_broken_units", BROKEN_MODULE)
    install_fake_distribution(
        site, "remarkit-hostile", "6.6.6", {"hostile": "remarkit_hostile_units"}
    )
    install_fake_distribution(site, "remarkit-broken", "0.0.1", {"broken": "remarkit_broken_units"})
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(site))
        spec = write_synthetic_study(root / "study", units=UNITS)
        out = root / "report"
        code, _, stderr = _main(["run", str(spec), "--out", str(out), "--no-cache"])
        _, listing, listing_err = _main(["plugins"])
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        yield HostileRun(
            code=code,
            results=results,
            units={u["id"]: u for u in results["units"]},
            html=(out / "report.html").read_text(encoding="utf-8"),
            stderr=stderr,
            listing=listing,
            listing_err=listing_err,
            out=out,
        )
    sys.modules.pop("remarkit_hostile_units", None)


def test_the_run_goes_on_and_exits_1(hostile: HostileRun) -> None:
    assert hostile.code == 1
    status = {uid: u["status"] for uid, u in hostile.units.items()}
    assert status == {
        "table1": "ok",
        "afp": "ok",
        "boom": "failed",
        "wrong": "failed",
        "after_boom": "skipped",
    }
    assert hostile.units["after_boom"]["error"] == "not run: upstream unit 'boom' failed"


def test_raising_unit_reported_with_distribution(hostile: HostileRun) -> None:
    boom = hostile.units["boom"]
    assert boom["error"] == f"RuntimeError: hostile unit exploded (unit from {HOSTILE})"
    assert boom["source"] == HOSTILE
    assert (
        f"boom (hostile_raises): failed: RuntimeError: hostile unit exploded (unit from {HOSTILE})"
        in hostile.stderr
    )
    assert "Analysis boom (hostile_raises) failed." in hostile.html
    assert f"hostile unit exploded (unit from {HOSTILE})" in hostile.html


def test_wrong_result_type_reported_with_distribution(hostile: HostileRun) -> None:
    wrong = hostile.units["wrong"]
    assert wrong["error"] == f"returned dict, expected Nothing (unit from {HOSTILE})"
    assert wrong["result"] is None and wrong["source"] == HOSTILE
    assert "Analysis wrong (hostile_wrong_type) failed." in hostile.html


def test_name_collision_keeps_the_builtin(hostile: HostileRun) -> None:
    message = (
        f"plugin {HOSTILE} (hostile): unit name 'marker_response' registered twice: by "
        "remarkit 0.1.0 (remarkit.plugins.marker_response) and by remarkit-hostile 6.6.6 (hostile)"
    )
    assert message in hostile.results["plugin_problems"]
    assert f"warning: {message}" in hostile.stderr and f"warning: {message}" in hostile.listing_err
    afp = hostile.units["afp"]
    assert afp["source"] == "remarkit 0.1.0" and afp["result"]["kind"] == "marker_response"
    line = next(row for row in hostile.listing.splitlines() if row.startswith("marker_response "))
    assert "remarkit 0.1.0" in line


def test_import_failure_reported_and_other_plugins_work(hostile: HostileRun) -> None:
    problem = next(p for p in hostile.results["plugin_problems"] if BROKEN in p)
    assert problem == (
        f"plugin {BROKEN} (broken): failed to import: ModuleNotFoundError: No module named "
        "'remarkit_dependency_that_is_not_installed'"
    )
    assert problem in hostile.stderr and problem in hostile.listing_err
    row = next(r for r in hostile.listing.splitlines() if r.startswith("hostile_raises "))
    assert row.split()[1:5] == ["evaluator", "1.0", "remarkit-hostile", "6.6.6"]


def test_failed_units_do_not_evidence_their_items(hostile: HostileRun) -> None:
    code, out, _ = _main(["audit", str(hostile.out), "--json"])
    assert code == 0
    remark = next(c for c in json.loads(out)["checklists"] if c["name"] == "remark")
    item18 = next(i for i in remark["items"] if i["number"] == 18)
    assert "unit boom (hostile_raises) failed" in item18["lacking"]
    assert not [e for e in item18["evidence"] if "hostile" in e["label"]]


def test_a_study_needing_the_broken_plugin_stops_before_running(
    hostile: HostileRun, tmp_path: Path
) -> None:
    site = hostile.out.parent / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(site))
        spec = write_synthetic_study(tmp_path / "s", units=[{"id": "x", "use": "broken_unit"}])
        code, _, err = _main(["run", str(spec), "--out", str(tmp_path / "o")])
    assert code == 2 and "unknown unit 'broken_unit'" in err
    assert not (tmp_path / "o").exists()
