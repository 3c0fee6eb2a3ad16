"""Fuzz the spec loader: whatever study.toml holds, only InputError/InputErrors escape."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from remarkit.engine.load import load_study
from remarkit.errors import InputError, InputErrors
from tests.fuzz._settings import fuzz

#: A valid spec touching most sections (the cohort file need not exist: load_study checks structure).
VALID: dict[str, Any] = {
    "study": {"title": "Fuzz", "markers": ["m"], "seed": 1, "narrative": {"patients": "p"}},
    "cohort": {
        "table": "cohort.csv",
        "id": "pid",
        "missing": ["", "NA"],
        "split": {"column": "split", "train": "train", "test": "test"},
        "outcome": {"column": "y", "positive": "1"},
        "survival": {"time": "t", "event": "e", "unit": "days"},
        "endpoints": {"os": {"time": "t2", "event": "e2"}},
        "variables": {
            "age": {"type": "continuous", "range": [0.0, 120.0]},
            "grade": {"type": "categorical", "levels": ["1", "2"], "reference": "1"},
        },
        "flow": [{"label": "all", "n": 10}, {"label": "excluded", "excluded": 2}],
    },
    "genomics": {"capture_mb": 30.0, "barcode_prefix_length": 12},
    "unit": [{"id": "u1", "use": "table1", "alpha": 0.05}],
}

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    _text,
    st.sampled_from(["continuous", "categorical", "error", "first", "train", "1", "../x", "/"]),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)),
    max_leaves=8,
)


def _toml_value(value: Any) -> str:
    """``value`` as an inline TOML value (None, which TOML lacks, as an empty inline table)."""
    if value is None:
        return "{}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    items = (
        f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items()
    )
    return "{" + ", ".join(items) + "}"


def to_toml(spec: dict[str, Any]) -> str:
    """A spec as TOML text, one top-level key per line with inline values."""
    return "".join(
        f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}\n" for k, v in spec.items()
    )


def _load(folder: Path, text: str | bytes) -> None:
    path = folder / "study.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    try:
        load_study(path)
    except InputErrors as exc:
        assert exc.errors, "an empty InputErrors"
        for error in exc.errors:
            assert error.file == str(path) and "\n" not in error.format()
    except InputError as exc:
        assert "\n" not in exc.format()


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """The valid spec with one to four random deletions, replacements or extra keys."""
    spec = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        node: Any = spec
        while True:  # walk down to a random container
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["delete", "replace", "add"]))
            if action == "delete":
                del node[key]
            elif action == "replace":
                node[key] = draw(_value)
            elif isinstance(node, dict):
                node[draw(_text)] = draw(_value)
            else:
                node.append(draw(_value))
            break
    return spec


def test_valid_spec_loads(tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    path.write_text(to_toml(VALID), encoding="utf-8")
    assert load_study(path).cohort.id == "pid"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spec")


@fuzz(500)
@given(spec=mutated_specs())
@example(spec={**VALID, "study": {**VALID["study"], "a\nb": 1}})  # was a two-line error
@example(spec={**VALID, "cohort": {**VALID["cohort"], "samples": "x\ry"}})
def test_mutated_spec_only_input_errors(folder: Path, spec: dict[str, Any]) -> None:
    _load(folder, to_toml(spec))


@fuzz(200)
@given(text=st.text(max_size=200))
@example(text="a = " + "[" * 5000)  # was RecursionError from tomllib
@example(text="x = {y = " * 5000)
def test_any_text_only_input_errors(folder: Path, text: str) -> None:
    _load(folder, text)


@fuzz(200)
@given(
    cut=st.integers(0, 2000),
    insert=st.binary(max_size=8),
    drop=st.integers(0, 8),
)
@example(cut=10, insert=b"\xff\xfe", drop=0)  # not UTF-8
def test_edited_spec_bytes_only_input_errors(
    folder: Path, cut: int, insert: bytes, drop: int
) -> None:
    data = to_toml(VALID).encode("utf-8")
    cut = min(cut, len(data))
    _load(folder, data[:cut] + insert + data[cut + drop :])
