"""examples/demo/ holds the study the built-in demo writes, byte for byte, so they cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

import remarkit.demo
from remarkit.demo import DEFAULT_SEED, write_demo_study
from remarkit.engine.load import load_study
from remarkit.engine.plan import plan_study
from remarkit.engine.plugin_manager import make_plugin_manager

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo"
REFRESH = (
    "examples/demo/{name} differs from what the demo writes; refresh it: .venv/bin/python -c "
    '"from pathlib import Path; from remarkit.demo import write_demo_study; '
    "write_demo_study(Path('/tmp/demo'))\" && cp /tmp/demo/{name} examples/demo/"
)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `remarkit demo` writes its study into, without the CT phantoms."""
    folder = tmp_path_factory.mktemp("demo") / "study"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(remarkit.demo, "write_phantoms", lambda *args, **kwargs: None)
        mp.setattr(remarkit.demo, "shift_scanner_images", lambda *args, **kwargs: 0)
        mp.setattr(remarkit.demo, "add_second_segmentations", lambda *args, **kwargs: 0)
        spec = write_demo_study(folder, seed=DEFAULT_SEED)
    assert spec == folder / "study.toml"
    return folder


@pytest.mark.parametrize("name", ["study.toml", "radiomics_params.yaml"])
def test_checked_in_example_is_what_the_demo_writes(written: Path, name: str) -> None:
    expected = (written / name).read_text(encoding="utf-8")
    assert (EXAMPLE / name).read_text(encoding="utf-8") == expected, REFRESH.format(name=name)


def test_example_spec_is_valid_and_plans() -> None:
    """The checked-in spec loads and every [[unit]] table validates and plans."""
    study = load_study(EXAMPLE / "study.toml")
    assert study.cohort.table == Path("cohort.csv") and len(study.unit) >= 10
    registry = make_plugin_manager(entry_points=[]).units()
    columns = set(study.cohort.variables) | set(study.cohort.semantic)
    planned = plan_study(study, registry, columns, spec_file=str(EXAMPLE / "study.toml"))
    assert [u.id for u in planned] and {u.id for u in planned} == {u.id for u in study.unit}
