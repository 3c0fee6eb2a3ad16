"""The pytest plugin of remarkit.testing (entry point ``pytest11``: ``remarkit``).

Fixtures for plugin authors (see docs/plugins.md, "Testing"):

- ``remarkit_plugins``: a fresh plugin manager (built-ins and installed plugins);
- ``remarkit_study``: writes a small synthetic study (optional images and genomics);
- ``remarkit_run_unit``: runs one unit in a study and returns its :class:`UnitRun`;
- ``remarkit_check_fragment``: renders a unit's report fragment and checks it.

Imports of remarkit happen inside the fixtures, so loading the plugin costs a pytest session
that does not use it nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from remarkit.engine.plugin_manager import Plugins
    from remarkit.testing.fragments import Fragment
    from remarkit.testing.protocols import CheckFragment, MakeStudy, RunUnit
    from remarkit.testing.runs import UnitRun

_UNIT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@pytest.fixture
def remarkit_plugins() -> Plugins:
    """A fresh plugin manager: the built-in units and every installed plugin."""
    from remarkit.engine.plugin_manager import make_plugin_manager

    return make_plugin_manager()


@pytest.fixture
def remarkit_study(tmp_path: Path) -> MakeStudy:
    """A factory writing a small synthetic study into the test's tmp folder."""
    from remarkit.demo import DEFAULT_SEED
    from remarkit.testing.study import DEFAULT_PATIENTS, write_synthetic_study

    counter = itertools.count(1)

    def make(
        *,
        units: Sequence[Mapping[str, Any]] | str = (),
        patients: int = DEFAULT_PATIENTS,
        images: bool = False,
        genomics: bool = False,
        seed: int = DEFAULT_SEED,
    ) -> Path:
        folder = tmp_path / f"remarkit-study-{next(counter)}"
        return write_synthetic_study(
            folder, units=units, patients=patients, images=images, genomics=genomics, seed=seed
        )

    return make


@pytest.fixture
def remarkit_run_unit(
    tmp_path: Path, remarkit_plugins: Plugins, remarkit_study: MakeStudy
) -> RunUnit:
    """A function running one unit (after its ``upstream`` units) in a study."""
    from remarkit.testing.runs import run_unit
    from remarkit.testing.study import add_units
    from remarkit.testing.toml import unit_table, unit_tables

    counter = itertools.count(1)

    def run(
        use: str,
        params: Mapping[str, Any] | None = None,
        *,
        unit_id: str | None = None,
        upstream: Sequence[Mapping[str, Any]] | str = (),
        study: Path | None = None,
        plugins: Plugins | None = None,
    ) -> UnitRun:
        uid = unit_id or use
        if not _UNIT_ID.match(uid):
            raise ValueError(f"unit id {uid!r} is not valid; pass unit_id=")
        n = next(counter)
        tables = (
            unit_tables(upstream) + "\n" + unit_table({"id": uid, "use": use, **(params or {})})
        )
        spec = add_units(study or remarkit_study(), tables, name=f"{uid}-{n}")
        out = tmp_path / "remarkit-runs" / f"{uid}-{n}"
        return run_unit(spec, uid, out_dir=out, plugins=plugins or remarkit_plugins)

    return run


@pytest.fixture
def remarkit_check_fragment() -> CheckFragment:
    """A function rendering a unit's fragment as the report does; it fails on any problem."""
    from remarkit.testing.fragments import check_fragment

    def check(
        run: UnitRun, *, templates: Path | None = None, require_template: bool = True
    ) -> Fragment:
        return check_fragment(run, templates=templates, require_template=require_template)

    return check
