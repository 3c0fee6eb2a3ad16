"""Cache invalidation for plugins: a new release of the distribution, or a new unit version,
re-runs the unit; the same release is served from the cache."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.testing import MakeStudy, run_unit
from tests.plugin_kit.conftest import install_fake_distribution, write_plugin_module
from tests.plugin_kit.test_hooks import UNITS_MODULE


def _hit(spec: Path, out: Path) -> bool:
    run = run_unit(spec, "m", out_dir=out, plugins=make_plugin_manager(), use_cache=True)
    assert run.status == "ok", run.error
    return run.record.execution.cache_hit


def test_new_release_or_unit_version_invalidates_the_cache(
    fake_site: Path, remarkit_study: MakeStudy, tmp_path: Path
) -> None:
    write_plugin_module(fake_site, "kit_register_units", UNITS_MODULE)
    info = install_fake_distribution(
        fake_site, "remarkit-kit-units", "2.0.1", {"kit_units": "kit_register_units"}
    )
    spec = remarkit_study(units=[{"id": "m", "use": "kit_mean", "column": "age"}])
    assert not _hit(spec, tmp_path / "a")
    assert _hit(spec, tmp_path / "b")
    shutil.rmtree(info)
    install_fake_distribution(
        fake_site, "remarkit-kit-units", "2.0.2", {"kit_units": "kit_register_units"}
    )
    assert not _hit(spec, tmp_path / "c"), "a new release of the distribution re-runs the unit"
    assert _hit(spec, tmp_path / "d")
    module = fake_site / "kit_register_units.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace('version = "3.1"', 'version = "3.1.1"')
    )
    sys.modules.pop("kit_register_units", None)
    assert not _hit(spec, tmp_path / "e"), "a new unit version re-runs the unit"
