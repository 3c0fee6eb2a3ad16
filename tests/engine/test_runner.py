"""Planner order, derived columns, failure isolation, cache hits and invalidation, determinism."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from remarkit.cli.main import main
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.cache import ResultCache
from remarkit.engine.executor import LocalExecutor, SerialExecutor, make_executor
from remarkit.engine.plugin_manager import Plugins
from tests.engine.conftest import SPEC, UNITS, StudyFactory, cohort_frame


@pytest.fixture(autouse=True)
def _units(test_plugin_installed: str) -> None:
    """Every test here runs with the engine test units installed."""


def _load(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


def _without_execution(data: dict[str, Any]) -> dict[str, Any]:
    for unit in data["units"]:
        unit.pop("execution")
    return data


def test_plan_orders_by_derived_columns(make_study: StudyFactory, plugins: Plugins) -> None:
    reversed_units = """
[[unit]]
id = "count"
use = "test_count"
column = "std.z"

[[unit]]
id = "std"
use = "test_standardise"
column = "marker"
"""
    prepared = prepare(make_study(units=reversed_units), plugins)
    assert [u.id for u in prepared.plan] == ["std", "count"]
    assert prepared.plan[1].depends_on == ("std",)


def test_dry_run_prints_plan(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    spec = make_study()
    assert main(["run", str(spec), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "cohort: 40 patients (28 train, 12 test)" in out
    assert "2. count [test_count 1.0] after: std; columns: std.z" in out
    assert not (spec.parent / "report").exists()


def test_derived_column_reaches_downstream_unit(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    assert main(["run", str(spec), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    data = _load(tmp_path / "out")
    std, count = data["units"]
    frame = cohort_frame()
    train = frame[frame["set"] == "train"]["marker"]
    z = (frame["marker"] - train.mean()) / train.std(ddof=1)
    assert count["result"]["above"] == int((z > 0.5).sum())
    assert std["result"]["columns"][0]["name"] == "z"
    assert count["depends_on"] == ["std"]


def test_failure_is_isolated(
    make_study: StudyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = (
        UNITS
        + """
[[unit]]
id = "boom"
use = "test_fail"

[[unit]]
id = "after_boom"
use = "test_depends"
upstream = ["boom"]

[[unit]]
id = "wrong"
use = "test_wrong_type"
"""
    )
    code = main(["run", str(make_study(units=units)), "--out", str(tmp_path / "o"), "--no-cache"])
    assert code == 1
    status = {u["id"]: (u["status"], u["error"]) for u in _load(tmp_path / "o")["units"]}
    assert status["std"] == ("ok", None) and status["count"] == ("ok", None)
    origin = "(unit from remarkit-engine-testunits 1.2.3)"
    assert status["boom"] == ("failed", f"ValueError: deliberate failure {origin}")
    assert status["after_boom"] == ("skipped", "not run: upstream unit 'boom' failed")
    assert status["wrong"] == ("failed", f"returned dict, expected FailResult {origin}")
    assert "boom (test_fail): failed: ValueError: deliberate failure" in capsys.readouterr().err


def test_second_run_is_served_from_cache(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    assert main(["run", str(spec), "--out", str(out1)]) == 0
    assert main(["run", str(spec), "--out", str(out2)]) == 0
    first, second = _load(out1), _load(out2)
    assert [u["execution"]["cache_hit"] for u in first["units"]] == [False, False]
    assert [u["execution"]["cache_hit"] for u in second["units"]] == [True, True]
    assert _without_execution(first) == _without_execution(second)
    assert (spec.parent / ".remarkit-cache").is_dir()


def test_cache_invalidated_by_params_and_data(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    cache = tmp_path / "cache"
    base = ["--cache-dir", str(cache)]
    assert main(["run", str(spec), "--out", str(tmp_path / "a"), *base]) == 0
    spec.write_text(SPEC + UNITS.replace("threshold = 0.5", "threshold = 1.5"))
    assert main(["run", str(spec), "--out", str(tmp_path / "b"), *base]) == 0
    hits = [u["execution"]["cache_hit"] for u in _load(tmp_path / "b")["units"]]
    assert hits == [True, False], "only the unit whose params changed reruns"
    frame = cohort_frame()
    frame.loc[0, "marker"] = 99.0
    make_study(frame=frame, units=UNITS.replace("threshold = 0.5", "threshold = 1.5"))
    assert main(["run", str(spec), "--out", str(tmp_path / "c"), *base]) == 0
    hits = [u["execution"]["cache_hit"] for u in _load(tmp_path / "c")["units"]]
    assert hits == [False, False], "changed data reruns the unit and its dependents"


def test_no_cache_flag(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    assert main(["run", str(spec), "--out", str(tmp_path / "a"), "--no-cache"]) == 0
    assert not (spec.parent / ".remarkit-cache").exists()


def test_results_deterministic_and_provenance(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    for name in ("a", "b"):
        assert main(["run", str(spec), "--out", str(tmp_path / name), "--no-cache"]) == 0
    a, b = _load(tmp_path / "a"), _load(tmp_path / "b")
    assert _without_execution(a) == _without_execution(b)
    assert a["schema_version"] == "1.2" and a["seed"] == 7
    assert a["inputs"][0]["role"] == "cohort table" and len(a["inputs"][0]["sha256"]) == 64
    assert {"numpy", "pandas", "pydantic"} <= set(a["libraries"])
    unit = a["units"][0]
    for key in ("name", "version", "params", "status", "result", "inputs", "cache_key", "methods"):
        assert key in unit
    assert a["cohort"]["n_train"] == 28 and a["cohort"]["flow"][1]["excluded"] == 5


def test_seed_changes_random_draws(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    assert main(["run", str(spec), "--out", str(tmp_path / "a"), "--no-cache"]) == 0
    spec.write_text((SPEC + UNITS).replace("seed = 7", "seed = 8"))
    assert main(["run", str(spec), "--out", str(tmp_path / "b"), "--no-cache"]) == 0
    draws = [_load(tmp_path / n)["units"][1]["result"]["random_draw"] for n in ("a", "b")]
    assert draws[0] != draws[1]


def test_executor_results_in_order_for_any_jobs(
    make_study: StudyFactory, plugins: Plugins, tmp_path: Path
) -> None:
    units = '\n[[unit]]\nid = "sq"\nuse = "test_squares"\n'
    prepared = prepare(make_study(units=units), plugins)
    serial = run_prepared(prepared, tmp_path / "s", use_cache=False, executor=SerialExecutor())
    pooled = run_prepared(prepared, tmp_path / "p", use_cache=False, executor=LocalExecutor(2))
    assert serial.units[0].result == pooled.units[0].result
    ages = cohort_frame()["age"]
    assert serial.units[0].result is not None
    assert serial.units[0].result["squares"] == [float(a) ** 2 for a in ages]


def test_unknown_executor_is_usage_error(
    make_study: StudyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(make_study()), "--executor", "spark"]) == 2
    assert "unknown executor 'spark'" in capsys.readouterr().err
    with pytest.raises(ValueError):
        make_executor("nope", 1)


def test_concurrent_cache_writers(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c")
    files = tmp_path / "files"
    files.mkdir()
    (files / "f.txt").write_text("x")
    threads = [
        threading.Thread(target=cache.put, args=("ab" * 32, '{"v": 1}', files)) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    hit = cache.get("ab" * 32)
    assert (
        hit is not None
        and hit[0] == '{"v": 1}'
        and (hit[1] / "f.txt").read_text(encoding="utf-8") == "x"
    )
    assert [p.name for p in (tmp_path / "c" / "ab").iterdir()] == ["ab" * 32]


def test_output_replaced_only_when_complete(make_study: StudyFactory, tmp_path: Path) -> None:
    spec = make_study()
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    (out / "keep.txt").write_text("user file")  # beside a previous report's outputs
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 0
    assert (out / "keep.txt").read_text(encoding="utf-8") == "user file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "RunResults" and "units" in schema["properties"]
    assert "test_count" in schema["x-result-kinds"]


def test_validate_command(make_study: StudyFactory, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(make_study())]) == 0
    assert "40 patients (28 train, 12 test), 2 units planned" in capsys.readouterr().out
