"""Fixtures: a small synthetic imaging study and a plugin manager with only the deep_score unit."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.executor import Executor
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.results import RunResults
from tests.deep_learning.phantoms import SPEC, write_study

#: Fast settings: small inputs, few epochs.
FAST = """
[[unit]]
id = "a_cnn"
use = "deep_score"
phase = "arterial"
size = 24
max_epochs = 3
architectures = ["cnn"]
gradcam_n = 1
"""

StudyCopy = Callable[[str], Path]
Runner = Callable[..., RunResults]


@pytest.fixture(scope="session")
def base_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 patients (22 train, 8 test), arterial phase only; written once per session."""
    root = tmp_path_factory.mktemp("deep_base") / "study"
    write_study(root, FAST, n=30, n_test=8, seed=3)
    return root


@pytest.fixture
def study_copy(base_study: Path, tmp_path: Path) -> StudyCopy:
    """Copy the base study into this test's folder with the given [[unit]] tables."""
    counter = {"n": 0}

    def factory(units: str = FAST) -> Path:
        counter["n"] += 1
        root = tmp_path / f"study{counter['n']}"
        shutil.copytree(base_study, root)
        spec = root / "study.toml"
        spec.write_text(SPEC + units, encoding="utf-8")
        return spec

    return factory


@pytest.fixture
def deep_plugins(tmp_path: Path) -> Plugins:
    """A plugin manager with the deep_learning built-ins only (no third-party plugins)."""
    registry = tmp_path / "registry.toml"
    registry.write_text(
        '[builtin]\nplugins = ["remarkit.plugins.deep_learning"]\n'
        "[third_party]\nallow = []\ndeny = []\n",
        encoding="utf-8",
    )
    return make_plugin_manager(registry_file=registry, entry_points=[])


@pytest.fixture
def run_study(deep_plugins: Plugins) -> Runner:
    """Run a study without the cache into ``out``; return its results."""

    def runner(spec: Path, out: Path, executor: Executor | None = None) -> RunResults:
        return run_prepared(prepare(spec, deep_plugins), out, use_cache=False, executor=executor)

    return runner
