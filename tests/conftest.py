"""Shared fixtures: a test distribution installed on sys.path with a `remarkit` entry point."""

from __future__ import annotations

from pathlib import Path

import pytest


def install_fake_distribution(
    site: Path, name: str, version: str, entry_points: dict[str, str]
) -> Path:
    """Write a ``.dist-info`` folder so importlib.metadata sees an installed distribution."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[remarkit]"] + [f"{ep} = {target}" for ep, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return info


@pytest.fixture
def test_plugin_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Install the engine test units as distribution 'remarkit-engine-testunits' 1.2.3."""
    site = tmp_path / "site"
    install_fake_distribution(
        site, "remarkit-engine-testunits", "1.2.3", {"engine_units": "tests.plugins.engine_units"}
    )
    monkeypatch.syspath_prepend(str(site))
    return "remarkit-engine-testunits"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """One `remarkit demo` for the whole session: (output folder, exit code, stdout)."""
    import contextlib
    import io

    from remarkit.cli.main import main

    out = tmp_path_factory.mktemp("demo") / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["demo", "--out", str(out)])
    return out, code, printed.getvalue()


#: Test folders and files whose tests extract radiomics, train networks, run the whole demo or
#: bootstrap thousands of times; ``make test-fast`` (``pytest -m "not slow"``) skips them and CI
#: (``make test``) runs everything.
SLOW_PATHS = (
    "tests/radiomics/",
    "tests/deep_learning/",
    "tests/test_demo.py",
    "tests/examples/",
    "tests/report/test_demo_report.py",
    "tests/evaluators/test_demo_cohort.py",
    "tests/clinical/test_demo_units.py",
    "tests/plugin_kit/test_packages.py",
    "tests/export/test_demo_export.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under :data:`SLOW_PATHS` slow."""
    root = Path(str(config.rootpath))
    for item in items:
        where = Path(str(item.path)).relative_to(root).as_posix()
        if where.startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)
