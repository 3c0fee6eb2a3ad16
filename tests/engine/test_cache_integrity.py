"""Cache entries are verified against their recorded hashes on read; a bad entry is recomputed
and replaced atomically (issue 16, finding 8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.cache import RESULT_FILE, ResultCache
from tests.report.conftest import report_plugins, write_study

KEY = "cd" * 32


def _entry_with_file(tmp_path: Path) -> tuple[ResultCache, Path]:
    cache = ResultCache(tmp_path / "cache")
    files = tmp_path / "files"
    (files / "sub").mkdir(parents=True)
    (files / "sub" / "figure.svg").write_text("<svg/>", encoding="utf-8")
    cache.put(KEY, '{"kind":"x","value":1.5}', files)
    hit = cache.get(KEY)
    assert hit is not None and hit[0] == '{"kind":"x","value":1.5}'
    return cache, hit[1].parent


def _drop_file(entry: Path) -> None:
    (entry / "files" / "sub" / "figure.svg").unlink()


def _truncate(entry: Path) -> None:
    path = entry / RESULT_FILE
    path.write_text(path.read_text(encoding="utf-8")[:10], encoding="utf-8")


def _edit_value(entry: Path) -> None:
    path = entry / RESULT_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("1.5", "42.0"), encoding="utf-8")


def _edit_file(entry: Path) -> None:
    (entry / "files" / "sub" / "figure.svg").write_text("<svg>x</svg>", encoding="utf-8")


@pytest.mark.parametrize("damage", [_drop_file, _truncate, _edit_value, _edit_file])
def test_damaged_entry_is_a_miss_and_is_replaced(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    cache, entry = _entry_with_file(tmp_path)
    damage(entry)
    assert cache.get(KEY) is None
    files = tmp_path / "files"
    cache.put(KEY, '{"kind":"x","value":1.5}', files)  # the runner's recomputed result
    hit = cache.get(KEY)
    assert hit is not None and hit[0] == '{"kind":"x","value":1.5}'
    assert (hit[1] / "sub" / "figure.svg").read_text(encoding="utf-8") == "<svg/>"
    assert sorted(p.name for p in entry.parent.iterdir()) == [KEY]  # no staging left behind


def _groups_entry(cache: Path, results: dict[str, Any]) -> Path:
    key = next(u["cache_key"] for u in results["units"] if u["id"] == "groups")
    return cache / key[:2] / key


def _run(spec: Path, out: Path, cache: Path) -> dict[str, Any]:
    run_prepared(prepare(spec, report_plugins()), out, cache_dir=cache)
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


def _hits(data: dict[str, Any]) -> dict[str, bool]:
    return {u["id"]: u["execution"]["cache_hit"] for u in data["units"] if u["status"] == "ok"}


def _stable(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in u.items() if k != "execution"} for u in data["units"]]


def _first_file(entry: Path) -> Path:
    return next(p for p in sorted((entry / "files").rglob("*")) if p.is_file())


def _edit_mean(entry: Path) -> None:
    path = entry / RESULT_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rows"][0]["mean"] = 42.0
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: _first_file(e).unlink(),
        lambda e: (e / RESULT_FILE).write_text("{", encoding="utf-8"),
        _edit_mean,
    ],
    ids=["missing_file", "truncated_result", "edited_value"],
)
def test_run_recomputes_and_repairs_a_damaged_entry(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    spec = write_study(tmp_path / "study")
    cache = tmp_path / "cache"
    clean = _run(spec, tmp_path / "a", cache)
    entry = _groups_entry(cache, clean)
    damage(entry)
    repaired = _run(spec, tmp_path / "b", cache)
    assert _hits(repaired)["groups"] is False and _hits(repaired)["std"] is True
    assert _stable(repaired) == _stable(clean)
    again = _run(spec, tmp_path / "c", cache)
    assert all(_hits(again).values())
    assert _stable(again) == _stable(clean)
