"""Plugin manager: built-ins, entry points, deny/allow lists, duplicates, broken plugins."""

from __future__ import annotations

import importlib.metadata as metadata
import json
from pathlib import Path

import pytest

from remarkit import Needs, hookimpl
from remarkit.cli.main import main
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.engine.registry import UnitRegistry
from remarkit.errors import InputErrors
from tests.conftest import install_fake_distribution
from tests.engine.conftest import StudyFactory
from tests.plugins import engine_units


def test_entry_point_plugin_listed_with_distribution(
    test_plugin_installed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plugins", "--json"]) == 0
    units = {u["name"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["test_count"]["source"] == test_plugin_installed
    assert units["test_count"]["source_version"] == "1.2.3"
    assert units["test_count"]["family"] == "evaluator"


def test_plain_listing_shows_family_version_source(
    test_plugin_installed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("test_standardise"))
    assert "marker_response" in line and "1.0" in line
    assert "remarkit-engine-testunits 1.2.3" in line and line.rstrip().endswith("10")


def test_env_var_disables_plugin(
    test_plugin_installed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REMARKIT_DISABLE_PLUGINS", test_plugin_installed)
    assert "test_count" not in make_plugin_manager().units().units


def test_registry_deny_and_allow_lists(test_plugin_installed: str, tmp_path: Path) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text('[builtin]\nplugins = []\n[third_party]\ndeny = ["engine_units"]\n')
    assert "test_count" not in make_plugin_manager(registry_file=registry).units().units
    registry.write_text('[builtin]\nplugins = []\n[third_party]\nallow = ["other"]\n')
    assert "test_count" not in make_plugin_manager(registry_file=registry).units().units
    registry.write_text(
        '[builtin]\nplugins = []\n[third_party]\nallow = ["remarkit-engine-testunits"]\n'
    )
    assert "test_count" in make_plugin_manager(registry_file=registry).units().units


def test_duplicate_unit_name_rejected_naming_both_origins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    install_fake_distribution(site, "first-dist", "1.0", {"first": "tests.plugins.engine_units"})
    monkeypatch.syspath_prepend(str(site))
    eps = list(metadata.entry_points(group="remarkit"))
    plugins = make_plugin_manager(entry_points=eps, extra_plugins=[("second", _SecondCopy())])
    registry = plugins.units()
    messages = [str(p) for p in plugins.problems]
    assert any(
        "registered twice" in m and "first-dist 1.0" in m and "second" in m for m in messages
    )
    assert registry.origins["test_count"].distribution == "first-dist"


class _SecondCopy:
    """Registers one of the test units again, under another plugin name."""

    @hookimpl
    def remarkit_register_units(self, registry: UnitRegistry) -> None:
        registry.add(engine_units.CountAbove)


def test_plugin_failing_at_import_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    (site / "broken_plugin_mod.py").parent.mkdir(parents=True)
    (site / "broken_plugin_mod.py").write_text("raise RuntimeError('boom at import')\n")
    install_fake_distribution(site, "broken-dist", "0.9", {"broken": "broken_plugin_mod"})
    monkeypatch.syspath_prepend(str(site))
    assert main(["plugins"]) == 0
    err = capsys.readouterr().err
    assert "broken-dist 0.9" in err and "failed to import" in err and "boom at import" in err


def test_plugin_raising_in_registration_is_reported(tmp_path: Path) -> None:
    class Raises:
        @hookimpl
        def remarkit_register_units(self, registry: UnitRegistry) -> None:
            raise KeyError("bad registration")

    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("raises", Raises())])
    plugins.units()
    assert any("KeyError" in str(p) and "raises" in str(p) for p in plugins.problems)


def test_each_factory_call_is_fresh() -> None:
    a = make_plugin_manager(entry_points=[])
    b = make_plugin_manager(entry_points=[])
    assert a.pm is not b.pm


def test_plugin_with_unknown_hook_is_rejected_not_fatal() -> None:
    class Typo:
        @hookimpl
        def remarkit_register_unit(self, registry: UnitRegistry) -> None:
            """Misspelt hook name."""

    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("typo", Typo())])
    assert any("typo" in str(p) and "rejected" in str(p) for p in plugins.problems)
    assert not plugins.pm.has_plugin("typo")


def test_raising_tracer_is_reported_and_run_continues(
    make_study: StudyFactory, tmp_path: Path
) -> None:
    class Tracer:
        @hookimpl
        def remarkit_before_unit(self, unit_id: str, unit_name: str) -> None:
            raise RuntimeError("tracer broke")

    plugins = make_plugin_manager(
        entry_points=[], extra_plugins=[("engine_units", engine_units), ("tracer", Tracer())]
    )
    results = run_prepared(prepare(make_study(), plugins), tmp_path / "out", use_cache=False)
    assert [u.status for u in results.units] == ["ok", "ok"]
    assert any("tracer broke" in p for p in results.plugin_problems)


def test_needs_that_raises_is_a_located_input_error(make_study: StudyFactory) -> None:
    class BadNeeds(engine_units.CountAbove):
        name = "bad_needs"

        def needs(self, params: engine_units.CountParams) -> Needs:
            raise KeyError("no such thing")

    class Plugin:
        @hookimpl
        def remarkit_register_units(self, registry: UnitRegistry) -> None:
            registry.add(BadNeeds)

    plugins = make_plugin_manager(entry_points=[], extra_plugins=[("bad", Plugin())])
    spec = make_study(units='\n[[unit]]\nid = "x"\nuse = "bad_needs"\ncolumn = "age"\n')
    with pytest.raises(InputErrors) as info:
        prepare(spec, plugins)
    assert "could not state its needs: KeyError" in str(info.value)


def test_unknown_unit_names_plugins_that_failed(
    make_study: StudyFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site2"
    site.mkdir()
    (site / "broken_mod2.py").write_text("raise ImportError('missing dep')\n")
    install_fake_distribution(site, "broken-two", "0.1", {"broken2": "broken_mod2"})
    monkeypatch.syspath_prepend(str(site))
    spec = make_study(units='\n[[unit]]\nid = "x"\nuse = "from_broken"\n')
    with pytest.raises(InputErrors) as info:
        prepare(spec, make_plugin_manager())
    assert "plugins that failed to load: plugin broken-two 0.1" in str(info.value)
