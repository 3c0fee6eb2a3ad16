"""+inf, -inf and NaN survive results.json and the cache; a cached re-run is a cache hit."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from remarkit import DerivedColumn, UnitResult
from remarkit.cli.main import main
from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.results import RunResults, result_json
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame

LOGISTIC = """
[[unit]]
id = "uni"
use = "univariable_logistic"
variables = ["stage", "age"]
ci = "profile"
"""


class _Inner(BaseModel):
    upper: float = Field(description="a bound")
    values: list[float] = Field(description="values")


class _Result(UnitResult):
    kind: str = "test_non_finite"
    estimate: float = Field(description="an estimate")
    bounds: list[_Inner] = Field(description="nested plain models")
    extra: dict[str, Any] = Field(description="untyped values")
    maybe: float | None = Field(default=None, description="optional")


def _strict(text: str) -> Any:
    """json.loads that rejects the non-standard NaN/Infinity tokens."""

    def refuse(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_result_json_round_trip_is_lossless() -> None:
    result = _Result(
        estimate=math.nan,
        bounds=[_Inner(upper=math.inf, values=[-math.inf, 1.5, math.nan])],
        extra={"upper": math.inf, "list": [math.nan]},
        columns=[
            DerivedColumn(name="z", kind="continuous", ids=["a", "b"], values=[math.inf, 0.5])
        ],
    )
    text = result_json(result)
    data = _strict(text)
    assert data["estimate"] == "NaN" and data["bounds"][0]["upper"] == "Infinity"
    assert data["bounds"][0]["values"] == ["-Infinity", 1.5, "NaN"]
    assert data["columns"][0]["values"] == ["Infinity", 0.5]
    back = _Result.model_validate_json(text)
    assert math.isnan(back.estimate) and back.bounds[0].upper == math.inf
    assert back.bounds[0].values[0] == -math.inf and math.isnan(back.bounds[0].values[2])
    assert back.columns[0].values == [math.inf, 0.5]
    assert back.maybe is None
    assert result_json(back) == text


def test_finite_results_serialise_as_before() -> None:
    """Finite results keep pydantic's own JSON text, so earlier result_sha256 values still hold."""
    result = _Result(estimate=0.1, bounds=[_Inner(upper=1e-7, values=[1e300])], extra={"a": 2})
    assert result_json(result) == result.model_dump_json()


def _run(spec: Path, out: Path) -> dict[str, Any]:
    """Run the study (no report) with the cache beside the spec; results.json as strict JSON."""
    run_prepared(prepare(spec), out)
    data: dict[str, Any] = _strict((out / "results.json").read_text(encoding="utf-8"))
    return data


def _upper(data: dict[str, Any]) -> Any:
    terms = data["units"][0]["result"]["variables"][0]["terms"]
    return next(t["upper"] for t in terms if t["level"] == "III")


@pytest.fixture
def no_events_study(make_study: StudyFactory) -> Path:
    """Stage III has only positive outcomes: its profile-likelihood upper OR limit is +inf."""
    frame = cohort_frame()
    frame.loc[frame["stage"] == "III", "response"] = "yes"
    return make_study(spec=SPEC, units=LOGISTIC, frame=frame)


def test_infinite_limit_in_results_json_and_cache_hit(
    no_events_study: Path, tmp_path: Path
) -> None:
    first = _run(no_events_study, tmp_path / "a")
    second = _run(no_events_study, tmp_path / "b")
    assert _upper(first) == "Infinity"
    # the outcome has no label and a bare code: named with its column, not as 'yes'
    assert first["units"][0]["result"]["outcome"] == "response = yes"
    assert [u["execution"]["cache_hit"] for u in first["units"]] == [False]
    assert [u["execution"]["cache_hit"] for u in second["units"]] == [True]
    assert first["units"][0]["result"] == second["units"][0]["result"]
    record = RunResults.model_validate(first).units[0]
    assert record.result is not None
    model = UnivariableLogistic.Result.model_validate(record.result)
    assert result_json(model) == json.dumps(record.result, separators=(",", ":"))
    term = next(t for t in model.variables[0].terms if t.level == "III")  # type: ignore[attr-defined]
    assert term.upper == math.inf


def test_unreadable_cache_entry_is_replaced(no_events_study: Path, tmp_path: Path) -> None:
    """An entry written by the old null form fails validation once, then is replaced."""
    _run(no_events_study, tmp_path / "a")
    cache = no_events_study.parent / ".remarkit-cache"
    (entry,) = [p for p in cache.glob("??/*") if p.is_dir()]
    stored = entry / "result.json"
    stored.write_text(stored.read_text(encoding="utf-8").replace('"Infinity"', "null"))
    hits = [_run(no_events_study, tmp_path / n)["units"][0]["execution"]["cache_hit"] for n in "bc"]
    assert hits == [False, True]
    assert '"Infinity"' in stored.read_text(encoding="utf-8")


def test_schema_allows_non_finite_strings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "Infinity" in schema["x-non-finite"]
    term = schema["x-result-kinds"]["univariable_logistic"]["$defs"]["TermRow"]
    upper = term["properties"]["upper"]["anyOf"]
    assert {"type": "number"} in upper
    assert {"type": "string", "enum": ["Infinity", "-Infinity", "NaN"]} in upper
