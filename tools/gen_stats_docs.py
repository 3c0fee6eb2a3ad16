"""Regenerate docs/stats.md, the reference of the public statistics API (``remarkit.stats``).

Run after changing a public function or result of ``remarkit.stats``:
``.venv/bin/python tools/gen_stats_docs.py`` (``--check`` only reports whether the committed
file is stale; the test suite runs it). Every exported function and result must have a docstring.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import remarkit.stats as stats

DOCS = Path(__file__).resolve().parents[1] / "docs" / "stats.md"
HEADER = """\
# `remarkit.stats`: the public statistics API

Generated from the docstrings by `tools/gen_stats_docs.py` (a test fails when this file is
stale). Every function matches the R reference named in its description; the conventions
(two-sided tests, 95% intervals, how ties and missing values are handled) are those of
DESIGN.md section 7, and the reference scripts with their values are under `tests/reference/`.
Results are frozen pydantic models: `result.model_dump()` gives plain numbers.

"""


def _signature(name: str, func: Callable[..., Any]) -> str:
    """``name(a: T, *, b: U = 1) -> R`` with annotations as written in the source."""
    signature = inspect.signature(func)
    parts: list[str] = []
    star = False
    for param in signature.parameters.values():
        if param.kind is param.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        if param.kind is param.VAR_POSITIONAL:
            star = True
        prefix = {param.VAR_POSITIONAL: "*", param.VAR_KEYWORD: "**"}.get(param.kind, "")
        text = prefix + param.name
        if param.annotation is not param.empty:
            text += f": {_annotation(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}"
        parts.append(text)
    returns = signature.return_annotation
    arrow = f" -> {_annotation(returns)}" if returns is not signature.empty else ""
    return f"{name}({', '.join(parts)}){arrow}"


def _annotation(annotation: object) -> str:
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "?")


def _function(name: str, func: Callable[..., Any]) -> list[str]:
    doc = inspect.getdoc(func)
    if not doc:
        raise SystemExit(f"remarkit.stats.{name} has no docstring")
    return [f"### `{name}`", "", "```python", _signature(name, func), "```", "", doc, ""]


def _result(name: str, model: type[BaseModel]) -> list[str]:
    doc = inspect.getdoc(model)
    if not doc or model.__doc__ is None:
        raise SystemExit(f"remarkit.stats.{name} has no docstring")
    lines = [f"### `{name}`", "", doc, "", "| field | type | description |", "|---|---|---|"]
    for field, info in model.model_fields.items():
        annotation = _field_type(info.annotation).replace("|", "\\|")
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{field}` | `{annotation}` | {description} |")
    return [*lines, ""]


def _field_type(annotation: object) -> str:
    """A field's type as written: ``float``, ``list[float]``, ``Literal['auc']``."""
    if typing.get_args(annotation) or not hasattr(annotation, "__name__"):
        return str(annotation).replace("typing.", "").replace("NoneType", "None")
    return str(annotation.__name__)


def render() -> str:
    """docs/stats.md as it should be."""
    functions: list[str] = ["## Functions", ""]
    results: list[str] = ["## Results", ""]
    constants: list[str] = ["## Constants", ""]
    for name in sorted(stats.__all__, key=str.lower):
        value = getattr(stats, name)
        if inspect.isclass(value) and issubclass(value, BaseModel):
            results += _result(name, value)
        elif callable(value) and not inspect.isclass(value):
            functions += _function(name, value)
        else:
            constants += [f"- `{name}` = `{value!r}`"]
    return HEADER + "\n".join([*functions, *results, *constants]).rstrip() + "\n"


def main(argv: list[str]) -> int:
    """Write docs/stats.md, or with ``--check`` report whether it is stale (exit 1)."""
    text = render()
    if "--check" in argv:
        if DOCS.is_file() and DOCS.read_text(encoding="utf-8") == text:
            print(f"{DOCS.name} is up to date")
            return 0
        print(f"{DOCS} is stale: run `python tools/gen_stats_docs.py`")
        return 1
    DOCS.write_text(text, encoding="utf-8")
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
