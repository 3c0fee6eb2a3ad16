"""Read study.toml into a :class:`Study`, turning every problem into a located InputError."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from remarkit.engine.spec import Study
from remarkit.engine.suggest import (
    did_you_mean,
    expected_literals,
    fields_at,
    misspelt_required,
)
from remarkit.errors import InputError, InputErrors


def pydantic_errors(
    exc: ValidationError,
    *,
    file: str,
    prefix: str = "",
    model: type[BaseModel] | None = None,
) -> list[InputError]:
    """Convert a pydantic ValidationError into one InputError per problem, naming the field.

    With ``model`` (the validated model), an unknown field suggests the closest valid one.
    """
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        field = f"{prefix}.{loc}" if prefix and loc else (prefix or loc)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
            if model is not None and err["loc"]:
                valid = fields_at(model, err["loc"][:-1])
                message += did_you_mean(str(err["loc"][-1]), valid)
        elif err["type"] == "missing":
            message = "required field is missing"
            if model is not None:
                message += misspelt_required(model, err["loc"], err.get("input"))
        elif err["type"] == "literal_error" and isinstance(err.get("input"), str):
            choices = expected_literals(str((err.get("ctx") or {}).get("expected", "")))
            message += did_you_mean(err["input"], choices)
        problems.append(InputError(_one_line(message), file=file, field=_one_line(field) or None))
    return problems


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (a key may hold them)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def load_study(path: Path) -> Study:
    """Parse and validate study.toml's structure (not yet its data files).

    Raises :class:`InputErrors` listing every structural problem at once.
    """
    path = Path(path)
    if not path.is_file():
        raise InputErrors([InputError("study file not found", file=str(path))])
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputErrors([InputError(f"invalid TOML: {exc}", file=str(path))]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputErrors([InputError(f"cannot read: {exc}", file=str(path))]) from exc
    except RecursionError as exc:
        message = "invalid TOML: arrays or inline tables nested too deeply"
        raise InputErrors([InputError(message, file=str(path))]) from exc
    raw["base_dir"] = path.resolve().parent
    try:
        return Study.model_validate(raw)
    except ValidationError as exc:
        raise InputErrors(pydantic_errors(exc, file=str(path), model=Study)) from exc
